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

/** The offset and size a binding takes of its buffer: with the buffers themselves, what tells two bind groups apart. */
function rangeKey(binding: Binding): string {
  const { offset = 0, size = bindingBuffer(binding).size } = bindingResource(binding);
  return `${offset}+${size}`;
}

/**
 * One level of the bind-group cache per binding, keyed weakly by that binding's buffer: a group goes
 * with the first of its buffers to be collected, so the cache never keeps a freed trainer's buffers.
 */
interface CacheLevel {
  next: WeakMap<GPUBuffer, CacheLevel>;
  groups: Map<string, GPUBindGroup>;
}

const newLevel = (): CacheLevel => ({ next: new WeakMap(), groups: new Map() });

/**
 * A compiled compute pipeline and its bind groups. Binding convention for every kernel:
 * `@binding(0)` is a uniform block of parameters, `@binding(1..n)` the storage buffers in the
 * order the WGSL declares them (whole buffers or 256-byte-aligned slices). Bind groups are cached
 * per binding set, so a training step that reuses its buffers creates none.
 */
export class Kernel {
  private readonly bindGroups = newLevel();

  constructor(
    readonly name: string,
    private readonly device: GPUDevice,
    readonly pipeline: GPUComputePipeline,
  ) {}

  bind(params: GPUBuffer, buffers: readonly Binding[]): GPUBindGroup {
    const all = [params, ...buffers];
    let level = this.bindGroups;
    for (const binding of all) {
      const buffer = bindingBuffer(binding);
      let next = level.next.get(buffer);
      if (!next) level.next.set(buffer, (next = newLevel()));
      level = next;
    }
    const key = all.map(rangeKey).join(',');
    let group = level.groups.get(key);
    if (!group) {
      group = this.device.createBindGroup({
        label: this.name,
        layout: this.pipeline.getBindGroupLayout(0),
        entries: all.map((b, binding) => ({ binding, resource: bindingResource(b) })),
      });
      level.groups.set(key, group);
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
