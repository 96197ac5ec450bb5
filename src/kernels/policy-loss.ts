import { type Binding, bindingBuffer, bindingResource, requireLength } from '../gpu/binding';
import type { Gpu } from '../gpu/gpu';
import { type Kernel, ParamWriter } from '../gpu/kernel';
import type { Recorder } from '../gpu/recorder';
import { type Aggregation, checkPolicyLossConfig, type KlEstimator, type PolicyLossConfig, type RatioLevel } from '../loss/config';

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

// Codes as in shaders/policy-loss.wgsl.
const LEVEL_CODE: Record<RatioLevel, number> = { token: 0, trajectory: 1, sequence: 2, 'none-at-old': 3 };
const KL_CODE: Record<KlEstimator, number> = { k1: 0, k2: 1, k3: 2 };

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
  /** [3, M*T], grown on demand; never shrunk, so bind groups stay cached. */
  private diagnostics: GPUBuffer | null = null;

  private constructor(
    private readonly gpu: Gpu,
    private readonly kernel: Kernel,
  ) {}

  static async create(gpu: Gpu): Promise<PolicyLoss> {
    return new PolicyLoss(gpu, await gpu.kernel({ shader: 'policy-loss', entry: 'forward' }));
  }

  /**
   * Inputs, f32: logp, logpOld, logpRef, mask [M*T] (mask 1 = a completion token that counts, EOS
   * included; 0 = after EOS or padding, whose log-probs are never read); adv [M].
   * Outputs, f32 (ratio, clip and kl need COPY_DST usage, as gpu.zeros gives):
   *   coef [M*T] = ∂J/∂ℓ with J = J_policy − β·J_KL, 0 where mask = 0;
   *   ratio [M*T] = ρ (token), w_i (trajectory), s_i (sequence) broadcast over the sequence's tokens,
   *     1 for none-at-old and where mask = 0;
   *   clip [M*T] = 0 not clipped, 1 clipped at the low side, 2 at the high side (per-sequence levels broadcast;
   *     at 'trajectory', 2 wherever w_i > 1 + ε_high, whatever the sign of Â);
   *   kl [M*T] = the per-token KL estimate, 0 where mask = 0;
   *   seqStats [M*4] = per sequence: its part of J_policy, its part of J_KL (before β), Σ_t mask·(ℓ − ℓ_old), n_i.
   * A sequence with n_i = 0 contributes nothing.
   */
  forward(
    rec: Recorder,
    coef: Binding,
    ratio: Binding,
    clip: Binding,
    kl: Binding,
    seqStats: Binding,
    logp: Binding,
    logpOld: Binding,
    logpRef: Binding,
    mask: Binding,
    adv: Binding,
    dims: PolicyLossDims,
    config: PolicyLossConfig,
  ): void {
    const { M, T } = dims;
    const what = `policy-loss forward [M ${M}, T ${T}]`;
    checkPolicyLossDims(what, dims);
    checkPolicyLossConfig(config);
    const tokens = M * T;
    for (const [name, b] of [
      ['coef', coef],
      ['ratio', ratio],
      ['clip', clip],
      ['kl', kl],
      ['logp', logp],
      ['logpOld', logpOld],
      ['logpRef', logpRef],
      ['mask', mask],
    ] as const) {
      requireLength(what, name, b, tokens);
    }
    requireLength(what, 'seqStats', seqStats, 4 * M);
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
    for (const [row, out] of [ratio, clip, kl].entries()) {
      rec.copy(diagnostics, row * tokens * 4, bindingBuffer(out), bindingResource(out).offset ?? 0, tokens * 4);
    }
  }

  private diagnosticsScratch(elements: number): GPUBuffer {
    if (!this.diagnostics || this.diagnostics.size < elements * 4) this.diagnostics = this.gpu.zeros(elements * 4, 'policy-loss diagnostics');
    return this.diagnostics;
  }
}
