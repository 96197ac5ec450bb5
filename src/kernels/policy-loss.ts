import { type Binding, bindingBuffer, bindingResource, requireLength } from '../gpu/binding';
import type { Gpu } from '../gpu/gpu';
import { type Kernel, ParamWriter } from '../gpu/kernel';
import type { Recorder } from '../gpu/recorder';
import { KL_CODE, LEVEL_CODE, SEQ_STATS } from '../loss/codes';
import { type Aggregation, checkPolicyLossConfig, type PolicyLossConfig } from '../loss/config';

export interface PolicyLossDims {
  /** Sequences in the mini-batch. */
  M: number;
  /** Completion positions per sequence (the row stride). */
  T: number;
  /** Σ_i n_i over the mini-batch: token-mean's denominator, computed by the caller from the mask. */
  totalTokens: number;
  /** The completion-length cap: seq-mean-token-sum-norm's denominator. */
  maxLen: number;
}

/** Throws, naming `what`, unless the dims describe a non-empty batch. */
export function checkPolicyLossDims(what: string, { M, T, totalTokens, maxLen }: PolicyLossDims): void {
  if (![M, T].every((d) => Number.isInteger(d) && d >= 1)) throw new Error(`${what}: M and T must be positive integers, got M=${M} T=${T}`);
  if (!(Number.isFinite(totalTokens) && totalTokens >= 0)) throw new Error(`${what}: totalTokens must be a finite number ≥ 0, got ${totalTokens}`);
  if (!(Number.isFinite(maxLen) && maxLen > 0)) throw new Error(`${what}: maxLen must be a finite number > 0, got ${maxLen}`);
}

/**
 * What the loss writes, f32 (`B`: GPU bindings for the kernel, float64 arrays for the reference):
 *   coef [M*T] = ∂J/∂ℓ with J = J_policy − β·J_KL, 0 where mask = 0;
 *   ratio [M*T] = ρ (token), w_i (trajectory), s_i (sequence) broadcast over the sequence's tokens,
 *     1 for none-at-old and where mask = 0;
 *   clip [M*T] = CLIP_CODE (src/loss/codes.ts): none, low or high side (per-sequence levels broadcast;
 *     at 'trajectory', high wherever w_i > 1 + ε_high, whatever the sign of Â);
 *   kl [M*T] = the per-token KL estimate, 0 where mask = 0;
 *   seqStats [M, SEQ_STATS.width] = per sequence: its part of J_policy, its part of J_KL (before β), Σ_t mask·(ℓ − ℓ_old), n_i.
 */
export interface PolicyLossOutputs<B> {
  coef: B;
  ratio: B;
  clip: B;
  kl: B;
  seqStats: B;
}

/**
 * What the loss reads, f32: logp, logpOld, logpRef, mask [M*T] (mask 1 = a completion token that counts,
 * EOS included; 0 = after EOS or padding, whose log-probs are never read); adv [M].
 */
export interface PolicyLossInputs<B> {
  logp: B;
  logpOld: B;
  logpRef: B;
  mask: B;
  adv: B;
}

/** a_{i,t} = scale, or scale/n_i where `perSequenceMean` (docs/design.md §3 aggregation weights). */
function aggregationWeight(aggregation: Aggregation, { M, totalTokens, maxLen }: PolicyLossDims): { scale: number; perSequenceMean: boolean } {
  switch (aggregation) {
    case 'seq-mean-token-mean':
      return { scale: 1 / M, perSequenceMean: true };
    case 'token-mean':
      return { scale: totalTokens > 0 ? 1 / totalTokens : 0, perSequenceMean: false }; // 0 tokens: nothing to weigh
    case 'seq-mean-token-sum':
      return { scale: 1 / M, perSequenceMean: false };
    case 'seq-mean-token-sum-norm':
      return { scale: 1 / (M * maxLen), perSequenceMean: false };
  }
}

/** Rows of the diagnostics scratch, in the shader's order. */
const DIAGNOSTICS = 3; // ratio | clip | kl

/**
 * The clipped policy-gradient loss (shaders/policy-loss.wgsl, docs/design.md §3): one dispatch, a workgroup
 * per sequence. The shader may bind 8 storage buffers, and the API has 10, so ratio, clip and kl
 * are written to one scratch buffer and copied out to their bindings after the dispatch.
 */
export class PolicyLoss {
  /** [3, M*T] scratch, grown on demand, never shrunk (so bind groups stay cached); the last is current. */
  private readonly diagnostics: GPUBuffer[] = [];

  private constructor(
    private readonly gpu: Gpu,
    private readonly kernel: Kernel,
  ) {}

  static async create(gpu: Gpu): Promise<PolicyLoss> {
    return new PolicyLoss(gpu, await gpu.kernel({ shader: 'policy-loss', entry: 'forward' }));
  }

  /**
   * Writes `out` from `input` (see PolicyLossOutputs, PolicyLossInputs); ratio, clip and kl need COPY_DST
   * usage, as gpu.zeros gives. A sequence with n_i = 0 contributes nothing.
   */
  forward(rec: Recorder, out: PolicyLossOutputs<Binding>, input: PolicyLossInputs<Binding>, dims: PolicyLossDims, config: PolicyLossConfig): void {
    const { M, T } = dims;
    const what = `policy-loss forward [M ${M}, T ${T}]`;
    checkPolicyLossDims(what, dims);
    checkPolicyLossConfig(config);
    const tokens = M * T;
    const { coef, ratio, clip, kl, seqStats } = out;
    const { logp, logpOld, logpRef, mask, adv } = input;
    for (const [name, b] of Object.entries({ coef, ratio, clip, kl, logp, logpOld, logpRef, mask })) requireLength(what, name, b, tokens);
    requireLength(what, 'seqStats', seqStats, SEQ_STATS.width * M);
    requireLength(what, 'adv', adv, M);

    const { scale, perSequenceMean } = aggregationWeight(config.aggregation, dims);
    const params = new ParamWriter()
      .u32(M)
      .u32(T)
      .u32(LEVEL_CODE[config.level])
      .u32(config.clipMode === 'zero-grad' ? 1 : 0)
      .u32(KL_CODE[config.kl])
      .u32(perSequenceMean ? 1 : 0)
      .f32(scale)
      .f32(1 / M)
      .f32(config.epsLow)
      .f32(config.epsHigh)
      .f32(config.beta)
      .finish();
    const diagnostics = this.diagnosticsScratch(DIAGNOSTICS * tokens);
    const workgroups = Math.min(M, rec.gpu.limits.maxComputeWorkgroupsPerDimension); // the shader strides over the rest
    this.kernel.dispatch(rec, params, [coef, diagnostics, seqStats, logp, logpOld, logpRef, mask, adv], [workgroups]);
    for (const [row, b] of [ratio, clip, kl].entries()) {
      rec.copy(diagnostics, row * tokens * 4, bindingBuffer(b), bindingResource(b).offset ?? 0, tokens * 4);
    }
  }

  private diagnosticsScratch(elements: number): GPUBuffer {
    const current = this.diagnostics.at(-1);
    if (current && current.size >= elements * 4) return current;
    const grown = this.gpu.zeros(elements * 4, 'policy-loss diagnostics');
    this.diagnostics.push(grown); // a smaller one may still be bound in a recorder not yet submitted: freed by destroy()
    return grown;
  }

  /** Frees the diagnostics scratch; the kernel is the device's. */
  destroy(): void {
    for (const b of this.diagnostics.splice(0)) b.destroy();
  }
}
