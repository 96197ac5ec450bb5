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

/**
 * What the forward writes, f32 [R*T], for every row (`B`: GPU bindings for the kernel,
 * float64 arrays for the reference): lse = logsumexp_j(z_ij/τ); logp = z_i,tok/τ − lse; and, where asked
 * for, entropy = −Σ_j p_ij log p_ij.
 */
export interface LogProbOutputs<B> {
  logp: B;
  lse: B;
  entropy?: B;
}

/** What the forward reads: logits [R*T, V]; tokens u32 [R*T], the chosen token of each row. */
export interface LogProbInputs<B> {
  logits: B;
  tokens: B;
}

/** What the backward reads: coef = ∂J/∂logp, the forward's lse, mask (1 = the token counts), all [R*T]; logits and tokens as the forward's. */
export interface LogProbBackwardInputs<B> extends LogProbInputs<B> {
  coef: B;
  lse: B;
  mask: B;
}

/** What sequenceSum reads: logp and mask [R*T]. */
export interface SequenceSumInputs<B> {
  logp: B;
  mask: B;
}

function checkSequences(kernel: string, R: number, T: number): void {
  if (![R, T].every((d) => Number.isInteger(d) && d >= 1)) throw new Error(`${kernel}: dimensions must be positive integers, got R=${R} T=${T}`);
}

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
    private readonly forwardEntropyKernel: Kernel,
    private readonly sequenceSumKernel: Kernel,
    private readonly backwardKernel: Kernel,
    /** Rows (sequences) per workgroup of the row kernels. */
    private readonly rows: number,
  ) {}

  static async create(gpu: Gpu, layout = rowLayout(gpu)): Promise<LogProb> {
    const [forward, forwardEntropy, sequenceSum, backward] = await Promise.all([
      gpu.kernel({ shader: 'logprob', entry: 'forward', constants: layout }),
      gpu.kernel({ shader: 'logprob', entry: 'forward_entropy', constants: layout }),
      gpu.kernel({ shader: 'logprob', entry: 'sequence_sum', constants: layout }),
      gpu.kernel({ shader: 'logprob', entry: 'backward' }),
    ]);
    return new LogProb(forward, forwardEntropy, sequenceSum, backward, layout.ROWS);
  }

  /** Writes `out` (see LogProbOutputs; entropy only where it is given) from `input`. */
  forward(rec: Recorder, out: LogProbOutputs<Binding>, input: LogProbInputs<Binding>, dims: LogProbDims): void {
    const what = `logprob forward [R ${dims.R}, T ${dims.T}, V ${dims.V}]`;
    checkDims(what, dims);
    const { R, T, V } = dims;
    const rows = R * T;
    const { logp, lse, entropy } = out;
    const { logits, tokens } = input;
    for (const [name, b] of Object.entries({ logp, lse, tokens })) requireLength(what, name, b, rows);
    if (entropy) requireLength(what, 'entropy', entropy, rows);
    requireLength(what, 'logits', logits, rows * V);
    const params = new ParamWriter()
      .u32(rows)
      .u32(V)
      .f32(1 / dims.temperature)
      .finish();
    const workgroups: [number] = [Math.min(Math.ceil(rows / this.rows), rec.gpu.limits.maxComputeWorkgroupsPerDimension)]; // the shader grid-strides over the rest
    if (entropy) this.forwardEntropyKernel.dispatch(rec, params, [logp, lse, logits, tokens, entropy], workgroups);
    else this.forwardKernel.dispatch(rec, params, [logp, lse, logits, tokens], workgroups);
  }

  /** seqSum [R] = Σ_t mask·logp: the log-probability of each sequence's counted tokens. */
  sequenceSum(rec: Recorder, seqSum: Binding, input: SequenceSumInputs<Binding>, { R, T }: Pick<LogProbDims, 'R' | 'T'>): void {
    const what = `logprob sequence sum [R ${R}, T ${T}]`;
    checkSequences(what, R, T);
    const { logp, mask } = input;
    for (const [name, b] of Object.entries({ logp, mask })) requireLength(what, name, b, R * T);
    requireLength(what, 'seqSum', seqSum, R);
    const workgroups = Math.min(Math.ceil(R / this.rows), rec.gpu.limits.maxComputeWorkgroupsPerDimension);
    this.sequenceSumKernel.dispatch(rec, new ParamWriter().u32(R).u32(T).finish(), [seqSum, logp, mask], [workgroups]);
  }

  /**
   * dlogits [R*T, V] += −mask[i]·coef[i]·([j = tok_i] − p_ij)/τ with p_ij = exp(z_ij/τ − lse[i]):
   * the gradient of the minimised loss L = −J when coef = ∂J/∂logp. Rows with mask 0 are
   * skipped, so their coef may hold anything (even NaN).
   */
  backward(rec: Recorder, dlogits: Binding, input: LogProbBackwardInputs<Binding>, dims: LogProbDims): void {
    const what = `logprob backward [R ${dims.R}, T ${dims.T}, V ${dims.V}]`;
    checkDims(what, dims);
    const { R, T, V } = dims;
    const rows = R * T;
    const { coef, logits, lse, tokens, mask } = input;
    for (const [name, b] of Object.entries({ coef, lse, tokens, mask })) requireLength(what, name, b, rows);
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
