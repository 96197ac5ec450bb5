import { compileError, withErrorScopes } from './errors';
import { Kernel, kernelName, type KernelSpec } from './kernel';
import type { RequestedLimits } from './limits';
import { Recorder } from './recorder';
import type { ShaderSource } from './shader-source';

/** What the adapter says of itself, plus how the runtime came to it. */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  /** How the runtime found this adapter, e.g. "system" or "SwiftShader from /usr/lib/chromium". */
  via: string;
}

export type TypedArray = Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | Int32Array<ArrayBuffer>;

/** WebGPU takes override constants as numbers only; booleans become 0 or 1. */
function numericConstants(constants: KernelSpec['constants']): Record<string, number> | undefined {
  return constants && Object.fromEntries(Object.entries(constants).map(([k, v]) => [k, Number(v)]));
}

const STORAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/**
 * One WebGPU device and everything cached on it: shader modules, pipelines, uniform blocks.
 * The same class serves the browser and Node; only how the device and the WGSL text are
 * obtained differs (see browser.ts and node.ts).
 */
export class Gpu {
  private readonly modules = new Map<string, Promise<GPUShaderModule>>();
  private readonly kernels = new Map<string, Promise<Kernel>>();
  /** Modules that loadShader compiled, for kernelNow. */
  private readonly loadedModules = new Map<string, GPUShaderModule>();
  /** Every pipeline built so far, by kernel or by kernelNow: what kernelNow serves without building. */
  private readonly builtKernels = new Map<string, Kernel>();
  private readonly uniforms = new Map<string, GPUBuffer>();
  private readonly lostHandlers: ((reason: string) => void)[] = [];
  private readonly errorHandlers: ((error: Error) => void)[] = [];
  private destroyed = false;
  /** A 16-byte storage buffer bound where a kernel's optional input is absent. */
  readonly dummy: GPUBuffer;

  constructor(
    /** Held for the device's whole life: Dawn for Node frees a device's internals when its instance is collected. */
    readonly instance: GPU,
    readonly device: GPUDevice,
    readonly adapter: AdapterSummary,
    readonly limits: RequestedLimits,
    private readonly shaders: ShaderSource,
  ) {
    this.dummy = this.zeros(16, 'dummy');
    void device.lost.then((info) => {
      if (this.destroyed) return;
      const reason = `WebGPU device lost (${info.reason}): ${info.message}`;
      for (const handler of this.lostHandlers) handler(reason);
    });
    device.onuncapturederror = (event: GPUUncapturedErrorEvent) => {
      const error = new Error(`WebGPU error: ${event.error.message}`);
      if (this.errorHandlers.length === 0) console.error(error.message);
      for (const handler of this.errorHandlers) handler(error);
    };
  }

  onLost(handler: (reason: string) => void): void {
    this.lostHandlers.push(handler);
  }

  onError(handler: (error: Error) => void): void {
    this.errorHandlers.push(handler);
  }

  /** The compiled pipeline for a WGSL entry point; compiled once, then served from the cache. */
  kernel(spec: KernelSpec): Promise<Kernel> {
    const name = kernelName(spec);
    let kernel = this.kernels.get(name);
    if (!kernel) {
      kernel = this.compileKernel(name, spec);
      this.kernels.set(name, kernel);
      kernel.catch(() => this.kernels.delete(name)); // a failed compile is not cached
    }
    return kernel;
  }

  /** Compiles a shader file (reporting its WGSL errors) so that kernelNow can build pipelines from it. */
  async loadShader(shader: string): Promise<void> {
    this.loadedModules.set(shader, await this.module(shader));
  }

  /**
   * The pipeline for an entry point of a shader loadShader compiled, built synchronously on first use:
   * for kernels specialised per call (Matmul's layouts, epilogues and accumulation), of which compiling
   * only those a model uses saves seconds per pipeline on a CPU adapter. One that `kernel` built
   * already is returned as it is: compiling ahead with `kernel` keeps the synchronous build (which
   * holds a browser's GPU process for as long) off the first step. An error reaches onError, as any
   * uncaptured one does.
   */
  kernelNow(spec: KernelSpec): Kernel {
    const name = kernelName(spec);
    let kernel = this.builtKernels.get(name);
    if (!kernel) {
      const module = this.loadedModules.get(spec.shader);
      if (!module) throw new Error(`${name}: shaders/${spec.shader}.wgsl was not loaded (await gpu.loadShader first)`);
      const pipeline = this.device.createComputePipeline({
        label: name,
        layout: 'auto',
        compute: { module, entryPoint: spec.entry, constants: numericConstants(spec.constants) },
      });
      kernel = new Kernel(name, this.device, pipeline);
      this.builtKernels.set(name, kernel);
    }
    return kernel;
  }

  private async compileKernel(name: string, spec: KernelSpec): Promise<Kernel> {
    const module = await this.module(spec.shader);
    const pipeline = await withErrorScopes(this.device, name, async () => {
      try {
        return await this.device.createComputePipelineAsync({
          label: name,
          layout: 'auto',
          compute: { module, entryPoint: spec.entry, constants: numericConstants(spec.constants) },
        });
      } catch (error) {
        throw new Error(`${name}: ${(error as Error).message}`);
      }
    });
    const kernel = new Kernel(name, this.device, pipeline);
    this.builtKernels.set(name, kernel);
    return kernel;
  }

  private module(shader: string): Promise<GPUShaderModule> {
    let module = this.modules.get(shader);
    if (!module) {
      module = (async () => {
        const file = `shaders/${shader}.wgsl`;
        const code = this.shaders.load(shader);
        const created = await withErrorScopes(this.device, file, async () => {
          const m = this.device.createShaderModule({ label: file, code });
          const error = compileError(file, code, (await m.getCompilationInfo()).messages);
          if (error) throw error;
          return m;
        });
        return created;
      })();
      this.modules.set(shader, module);
      module.catch(() => this.modules.delete(shader));
    }
    return module;
  }

  /** A uniform buffer holding `words`, shared by every dispatch with the same parameters. */
  uniform(words: Uint32Array<ArrayBuffer>): GPUBuffer {
    const key = words.join(',');
    let buffer = this.uniforms.get(key);
    if (!buffer) {
      buffer = this.device.createBuffer({ label: 'params', size: words.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
      this.write(buffer, words);
      this.uniforms.set(key, buffer);
    }
    return buffer;
  }

  /** A storage buffer holding a copy of `data`. */
  upload(data: TypedArray, label: string): GPUBuffer {
    const buffer = this.zeros(data.byteLength, label);
    this.write(buffer, data);
    return buffer;
  }

  /** A zero-filled storage buffer of `byteLength` bytes (rounded up to a multiple of 4, at least 4). */
  zeros(byteLength: number, label: string): GPUBuffer {
    const size = Math.max(4, Math.ceil(byteLength / 4) * 4);
    if (size > this.limits.maxStorageBufferBindingSize) {
      throw new Error(`Buffer "${label}" needs ${size} bytes, over the ${this.limits.maxStorageBufferBindingSize}-byte limit`);
    }
    return this.device.createBuffer({ label, size, usage: STORAGE() });
  }

  write(buffer: GPUBuffer, data: TypedArray, byteOffset = 0): void {
    this.device.queue.writeBuffer(buffer, byteOffset, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Copies bytes of `buffer` back to the CPU; waits for all work submitted before it. */
  async read(buffer: GPUBuffer, byteOffset = 0, byteLength = buffer.size - byteOffset): Promise<ArrayBuffer> {
    const staging = this.device.createBuffer({ label: `read ${buffer.label}`, size: byteLength, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = this.device.createCommandEncoder({ label: 'read' });
    encoder.copyBufferToBuffer(buffer, byteOffset, staging, 0, byteLength);
    this.device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const copy = staging.getMappedRange().slice(0);
    staging.destroy();
    return copy;
  }

  async readF32(buffer: GPUBuffer, offset = 0, count = buffer.size / 4 - offset): Promise<Float32Array<ArrayBuffer>> {
    return new Float32Array(await this.read(buffer, offset * 4, count * 4));
  }

  recorder(label?: string, profile = false): Recorder {
    return new Recorder(this, label, profile);
  }

  destroy(): void {
    this.destroyed = true;
    this.device.destroy();
  }
}
