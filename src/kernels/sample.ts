import { type Binding, requireLength } from '../gpu/binding';
import type { Gpu } from '../gpu/gpu';
import { type Kernel, ParamWriter } from '../gpu/kernel';
import type { Recorder } from '../gpu/recorder';
import { type RowLayout, rowLayout } from './row-layout';

export interface SampleDims {
  R: number;
  V: number;
  /** τ; 0 samples greedily (argmax). */
  temperature: number;
  seed: number;
  /** The sampling round (e.g. RL iteration); rounds draw independent numbers. */
  stream: number;
  /** The completion position being sampled, 0-based. */
  column: number;
  maxCompletion: number;
  eos: number;
  pad: number;
}

/** Token sampling (shaders/sample.wgsl): temperature or greedy, EOS-aware, counter-based randomness. */
export class Sampler {
  private constructor(
    private readonly kernel: Kernel,
    private readonly layout: RowLayout,
  ) {}

  static async create(gpu: Gpu, layout = rowLayout(gpu)): Promise<Sampler> {
    return new Sampler(await gpu.kernel({ shader: 'sample', entry: 'sample_tokens', constants: layout }), layout);
  }

  /**
   * Draws one token per row from softmax(logits/τ) and writes it to next [R] and to column
   * `column` of completions [R, maxCompletion]. Rows already finished get PAD; a row that draws EOS
   * is marked in finished [R] (clear it before a new completion).
   */
  sample(rec: Recorder, next: Binding, completions: Binding, finished: Binding, logits: Binding, d: SampleDims): void {
    const name = 'sample_tokens';
    if (!(d.temperature >= 0) || !Number.isFinite(d.temperature)) throw new Error(`${name}: temperature must be ≥ 0, got ${d.temperature}`);
    if (d.column >= d.maxCompletion) throw new Error(`${name}: column ${d.column} is past maxCompletion ${d.maxCompletion}`);
    requireLength(name, 'logits', logits, d.R * d.V);
    requireLength(name, 'next', next, d.R);
    requireLength(name, 'completions', completions, d.R * d.maxCompletion);
    requireLength(name, 'finished', finished, d.R);
    const params = new ParamWriter()
      .u32(d.R)
      .u32(d.V)
      .f32(d.temperature === 0 ? 0 : 1 / d.temperature)
      .u32(d.seed >>> 0)
      .u32(d.stream >>> 0)
      .u32(d.column)
      .u32(d.maxCompletion)
      .u32(d.eos)
      .u32(d.pad)
      .finish();
    const workgroups = Math.min(Math.ceil(d.R / this.layout.ROWS), rec.gpu.limits.maxComputeWorkgroupsPerDimension); // the shader strides over the rest
    this.kernel.dispatch(rec, params, [logits, next, completions, finished], [workgroups]);
  }
}
