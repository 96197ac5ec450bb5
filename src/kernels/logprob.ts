import { type Binding, requireLength } from '../gpu/binding';
import type { Gpu } from '../gpu/gpu';
import { type Kernel, ParamWriter } from '../gpu/kernel';
import type { Recorder } from '../gpu/recorder';
import { rowLayout } from './row-layout';

/** R sequences of T positions, V logits each, sampled and trained at temperature τ. */
export interface LogProbDims {
  /** Sequences. */
  R: number;
  /** Positions per sequence. */
  T: number;
  V: number;
  /** τ > 0: the policy is softmax(z/τ). */
  temperature: number;
}

/** Invocations per workgroup of the backward, as in shaders/logprob.wgsl. */
const ELEMENT_THREADS = 256;

function checkDims(kernel: string, { R, T, V, temperature }: LogProbDims): void {
  if (![R, T, V].every((d) => Number.isInteger(d) && d >= 1)) throw new Error(`${kernel}: dimensions must be positive integers, got R=${R} T=${T} V=${V}`);
  if (!(temperature > 0 && Number.isFinite(temperature))) throw new Error(`${kernel}: temperature must be positive and finite, got ${temperature}`);
}

/**
 * Per-token log-probabilities of chosen tokens under softmax(z/τ) and their policy-gradient
 * backward (shaders/logprob.wgsl, docs/design.md §3). Rows are i = r·T + t. A token ≥ V has no logit:
 * its logp is 0 and it adds no one-hot term.
 */
export class LogProb {
  private constructor(
    private readonly forwardKernel: Kernel,
    private readonly sequenceSumKernel: Kernel,
    private readonly backwardKernel: Kernel,
    /** Rows (sequences) per workgroup of the row kernels. */
    private readonly rows: number,
  ) {}

  static async create(gpu: Gpu, layout = rowLayout(gpu)): Promise<LogProb> {
    const [forward, sequenceSum, backward] = await Promise.all([
      gpu.kernel({ shader: 'logprob', entry: 'forward', constants: layout }),
      gpu.kernel({ shader: 'logprob', entry: 'sequence_sum', constants: layout }),
      gpu.kernel({ shader: 'logprob', entry: 'backward' }),
    ]);
    return new LogProb(forward, sequenceSum, backward, layout.ROWS);
  }

  /**
   * lse [R*T] = logsumexp_j(z_ij/τ); logp [R*T] = z_i,tok/τ − lse; entropy [R*T] = −Σ_j p_ij log p_ij;
   * seqSum [R] = Σ_t mask·logp. logits [R*T, V]; tokens u32 [R*T]; mask f32 [R*T] (1 = the token
   * counts). logp, lse and entropy are written for every row, masked ones included.
   */
  forward(
    rec: Recorder,
    logp: Binding,
    lse: Binding,
    entropy: Binding,
    seqSum: Binding,
    logits: Binding,
    tokens: Binding,
    mask: Binding,
    dims: LogProbDims,
  ): void {
    const what = `logprob forward [R ${dims.R}, T ${dims.T}, V ${dims.V}]`;
    checkDims(what, dims);
    const { R, T, V } = dims;
    const rows = R * T;
    for (const [name, b] of [
      ['logp', logp],
      ['lse', lse],
      ['entropy', entropy],
      ['tokens', tokens],
      ['mask', mask],
    ] as const)
      requireLength(what, name, b, rows);
    requireLength(what, 'seqSum', seqSum, R);
    requireLength(what, 'logits', logits, rows * V);
    const max = rec.gpu.limits.maxComputeWorkgroupsPerDimension;
    // Rows, then sequences; the shader's grid-stride loops take any excess over `max` workgroups.
    const rowParams = new ParamWriter()
      .u32(rows)
      .u32(V)
      .f32(1 / dims.temperature)
      .finish();
    this.forwardKernel.dispatch(rec, rowParams, [logp, lse, entropy, logits, tokens], [Math.min(Math.ceil(rows / this.rows), max)]);
    this.sequenceSumKernel.dispatch(rec, new ParamWriter().u32(R).u32(T).finish(), [seqSum, logp, mask], [Math.min(Math.ceil(R / this.rows), max)]);
  }

  /**
   * dlogits [R*T, V] += −mask[i]·coef[i]·([j = tok_i] − p_ij)/τ with p_ij = exp(z_ij/τ − lse[i]):
   * the gradient of the minimised loss L = −J when coef [R*T] = ∂J/∂logp. Rows with mask 0 are
   * skipped, so their coef may hold anything (even NaN).
   */
  backward(rec: Recorder, dlogits: Binding, coef: Binding, logits: Binding, lse: Binding, tokens: Binding, mask: Binding, dims: LogProbDims): void {
    const what = `logprob backward [R ${dims.R}, T ${dims.T}, V ${dims.V}]`;
    checkDims(what, dims);
    const { R, T, V } = dims;
    const rows = R * T;
    for (const [name, b] of [
      ['coef', coef],
      ['lse', lse],
      ['tokens', tokens],
      ['mask', mask],
    ] as const)
      requireLength(what, name, b, rows);
    requireLength(what, 'dlogits', dlogits, rows * V);
    requireLength(what, 'logits', logits, rows * V);
    const params = new ParamWriter()
      .u32(rows)
      .u32(V)
      .f32(1 / dims.temperature)
      .finish();
    const workgroups = Math.min(Math.ceil((rows * V) / ELEMENT_THREADS), rec.gpu.limits.maxComputeWorkgroupsPerDimension);
    this.backwardKernel.dispatch(rec, params, [dlogits, coef, logits, lse, tokens, mask], [workgroups]);
  }
}
