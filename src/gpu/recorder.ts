import type { Gpu } from './gpu';
import type { Kernel } from './kernel';

/**
 * Records the dispatches of one unit of work (a training step, a decode step) into a single
 * command buffer: one compute pass, interrupted only for copies. Nothing is waited on until
 * `submit`, and not even then: reading results is the caller's separate, asynchronous act.
 */
export class Recorder {
  private encoder: GPUCommandEncoder;
  private pass: GPUComputePassEncoder | null = null;
  dispatches = 0;
  /** With a profile, every dispatch becomes its own command buffer, timed on submit (see profileSubmit). */
  private readonly profiled: { kernel: string; commands: GPUCommandBuffer }[] | null;

  constructor(
    readonly gpu: Gpu,
    readonly label = 'step',
    profile = false,
  ) {
    this.encoder = gpu.device.createCommandEncoder({ label });
    this.profiled = profile ? [] : null;
  }

  dispatch(kernel: Kernel, group: GPUBindGroup, [x, y = 1, z = 1]: readonly [number, number?, number?]): void {
    const max = this.gpu.limits.maxComputeWorkgroupsPerDimension;
    if (!(x >= 1 && y >= 1 && z >= 1 && x <= max && y <= max && z <= max) || ![x, y, z].every(Number.isInteger)) {
      throw new Error(`${kernel.name}: workgroup count [${x}, ${y}, ${z}] must be integers in 1..${max}`);
    }
    this.pass ??= this.encoder.beginComputePass();
    this.pass.setPipeline(kernel.pipeline);
    this.pass.setBindGroup(0, group);
    this.pass.dispatchWorkgroups(x, y, z);
    this.dispatches++;
    if (this.profiled) {
      this.endPass();
      this.profiled.push({ kernel: kernel.name, commands: this.encoder.finish() });
      this.encoder = this.gpu.device.createCommandEncoder({ label: this.label });
    }
  }

  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, byteLength: number): void {
    this.endPass();
    this.encoder.copyBufferToBuffer(src, srcOffset, dst, dstOffset, byteLength);
  }

  clear(buffer: GPUBuffer, byteOffset = 0, byteLength?: number): void {
    this.endPass();
    this.encoder.clearBuffer(buffer, byteOffset, byteLength);
  }

  submit(): void {
    if (this.profiled) throw new Error('a profiling Recorder is submitted with profileSubmit()');
    this.endPass();
    this.gpu.device.queue.submit([this.encoder.finish()]);
  }

  /**
   * Submits a profiling recorder one dispatch at a time, waiting for each, and returns the wall
   * time each kernel took (summed over its dispatches). Copies and clears run with the next dispatch.
   * For finding hot spots only: waiting between dispatches is what a real step never does.
   */
  async profileSubmit(): Promise<Map<string, { ms: number; dispatches: number }>> {
    if (!this.profiled) throw new Error('profileSubmit() needs a Recorder made with profile = true');
    const queue = this.gpu.device.queue;
    const times = new Map<string, { ms: number; dispatches: number }>();
    for (const { kernel, commands } of this.profiled) {
      const start = performance.now();
      queue.submit([commands]);
      await queue.onSubmittedWorkDone();
      const entry = times.get(kernel) ?? { ms: 0, dispatches: 0 };
      times.set(kernel, { ms: entry.ms + performance.now() - start, dispatches: entry.dispatches + 1 });
    }
    this.endPass();
    queue.submit([this.encoder.finish()]);
    await queue.onSubmittedWorkDone();
    return times;
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = null;
  }
}
