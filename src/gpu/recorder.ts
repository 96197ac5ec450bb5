import type { Gpu } from './gpu';
import type { Kernel } from './kernel';

/**
 * Records the dispatches of one unit of work (a training step, a decode step) into a single
 * command buffer: one compute pass, interrupted only for copies. Nothing is waited on until
 * `submit`, and not even then: reading results is the caller's separate, asynchronous act.
 */
export class Recorder {
  private readonly encoder: GPUCommandEncoder;
  private pass: GPUComputePassEncoder | null = null;
  dispatches = 0;

  constructor(readonly gpu: Gpu, label = 'step') {
    this.encoder = gpu.device.createCommandEncoder({ label });
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
    this.endPass();
    this.gpu.device.queue.submit([this.encoder.finish()]);
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = null;
  }
}
