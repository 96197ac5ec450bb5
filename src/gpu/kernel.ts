import { type Binding, bindingBuffer, bindingResource } from './binding';
import type { Recorder } from './recorder';

export type OverrideConstants = Record<string, number | boolean>;

/** Which WGSL entry point, in which file, with which pipeline-overridable constants. */
export interface KernelSpec {
  shader: string;
  entry: string;
  constants?: OverrideConstants;
}

export function kernelName(spec: KernelSpec): string {
  const c = spec.constants;
  const suffix =
    c && Object.keys(c).length > 0
      ? `{${Object.entries(c)
          .map(([k, v]) => `${k}=${Number(v)}`)
          .join(',')}}`
      : '';
  return `shaders/${spec.shader}.wgsl:${spec.entry}${suffix}`;
}

let nextBufferId = 1;
const bufferIds = new WeakMap<GPUBuffer, number>();
function bindingKey(binding: Binding): string {
  const buffer = bindingBuffer(binding);
  let id = bufferIds.get(buffer);
  if (id === undefined) bufferIds.set(buffer, (id = nextBufferId++));
  const { offset = 0, size = buffer.size } = bindingResource(binding);
  return `${id}@${offset}+${size}`;
}

/**
 * A compiled compute pipeline and its bind groups. Binding convention for every kernel:
 * `@binding(0)` is a uniform block of parameters, `@binding(1..n)` the storage buffers in the
 * order the WGSL declares them (whole buffers or 256-byte-aligned slices). Bind groups are cached
 * per binding set, so a training step that reuses its buffers creates none.
 */
export class Kernel {
  private readonly bindGroups = new Map<string, GPUBindGroup>();

  constructor(
    readonly name: string,
    private readonly device: GPUDevice,
    readonly pipeline: GPUComputePipeline,
  ) {}

  bind(params: GPUBuffer, buffers: readonly Binding[]): GPUBindGroup {
    const key = `${bindingKey(params)}:${buffers.map(bindingKey).join(',')}`;
    let group = this.bindGroups.get(key);
    if (!group) {
      group = this.device.createBindGroup({
        label: this.name,
        layout: this.pipeline.getBindGroupLayout(0),
        entries: [params, ...buffers].map((b, binding) => ({ binding, resource: bindingResource(b) })),
      });
      this.bindGroups.set(key, group);
    }
    return group;
  }

  /** Records one dispatch; `params` is the uniform block, already packed (see ParamWriter). */
  dispatch(rec: Recorder, params: Uint32Array<ArrayBuffer>, buffers: readonly Binding[], workgroups: readonly [number, number?, number?]): void {
    rec.dispatch(this, this.bind(rec.gpu.uniform(params), buffers), workgroups);
  }
}

/** Packs a uniform block word by word: u32 and f32 fields, in WGSL struct order. */
export class ParamWriter {
  private readonly words: number[] = [];
  private readonly view = new DataView(new ArrayBuffer(4));

  u32(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new Error(`u32 parameter out of range: ${value}`);
    this.words.push(value);
    return this;
  }

  f32(value: number): this {
    this.view.setFloat32(0, value, true);
    this.words.push(this.view.getUint32(0, true));
    return this;
  }

  /** The packed words, padded to the 16-byte multiple that uniform blocks need. */
  finish(): Uint32Array<ArrayBuffer> {
    const padded = new Uint32Array(Math.max(4, Math.ceil(this.words.length / 4) * 4));
    padded.set(this.words);
    return padded;
  }
}
