import { type Binding, requireLength } from '../gpu/binding';
import type { Gpu } from '../gpu/gpu';
import { type Kernel, ParamWriter } from '../gpu/kernel';
import type { Recorder } from '../gpu/recorder';

export interface GradNormDims {
  /** Gradient elements. */
  n: number;
  /** Clip to this global norm; ≤ 0 disables clipping. */
  maxNorm: number;
}

/** Invocations per workgroup, as in shaders/gradnorm.wgsl. */
const THREADS = 256;
/** Most workgroups in the first stage: enough to fill a large GPU, few enough for one workgroup to sum. */
const MAX_PARTIALS = 1024;
/** Elements each invocation sums at least: a workgroup's reduction costs barriers, so it should cover real work. */
const PER_INVOCATION = 16;

/** Workgroups of the first stage; a function of n alone, so the summation order is the same on every device. */
function partialCount(n: number): number {
  return Math.min(Math.ceil(n / (THREADS * PER_INVOCATION)), MAX_PARTIALS);
}

/**
 * Global gradient L2 norm and clip factor, computed on the GPU (shaders/gradnorm.wgsl):
 * out[0] = ‖grads‖₂, out[1] = maxNorm > 0 ? min(1, maxNorm / (norm + 1e-6)) : 1, for the optimiser
 * to read as its gradScale. A NaN or ±Inf gradient (or a norm past the float32 range) makes both
 * NaN, whatever maxNorm: the trainer can see it, and Optimizer skips a step whose factor is not finite.
 */
export class GradNorm {
  private constructor(
    private readonly sumSquares: Kernel,
    private readonly finish: Kernel,
  ) {}

  static async create(gpu: Gpu): Promise<GradNorm> {
    const [sumSquares, finish] = await Promise.all([
      gpu.kernel({ shader: 'gradnorm', entry: 'sum_squares' }),
      gpu.kernel({ shader: 'gradnorm', entry: 'finish' }),
    ]);
    return new GradNorm(sumSquares, finish);
  }

  /** Elements of scratch that `forward` needs as `partials` for n gradients. */
  static partialsLength(n: number): number {
    return 2 * partialCount(n); // a (sum of squares, non-finite flag) pair per workgroup
  }

  /** out [≥ 2] = (norm, clip factor) of grads [n]; partials: scratch of partialsLength(n) elements. */
  forward(rec: Recorder, out: Binding, partials: Binding, grads: Binding, dims: GradNormDims): void {
    const { n, maxNorm } = dims;
    const what = `gradnorm [n ${n}]`;
    if (!Number.isInteger(n) || n < 1) throw new Error(`${what}: n must be a positive integer`);
    if (!Number.isFinite(maxNorm)) throw new Error(`${what}: maxNorm must be finite, got ${maxNorm}`);
    requireLength(what, 'out', out, 2);
    requireLength(what, 'partials', partials, GradNorm.partialsLength(n));
    requireLength(what, 'grads', grads, n);
    const count = partialCount(n);
    const params = new ParamWriter().u32(n).u32(count).f32(maxNorm).finish();
    this.sumSquares.dispatch(rec, params, [partials, grads], [count]);
    this.finish.dispatch(rec, params, [out, partials], [1]);
  }
}
