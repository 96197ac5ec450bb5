// The policy-gradient loss's configuration (docs/design.md §3). Pure data and its validation: the loss
// kernel, its float64 reference, the presets and the run schema all read it.

/**
 * Where the importance ratio is taken: per token (GRPO), per trajectory (TIC-GRPO), the per-token
 * geometric mean over the sequence (GSPO), or nowhere, the gradient being taken at θ_old (No-IS).
 */
export type RatioLevel = 'token' | 'trajectory' | 'sequence' | 'none-at-old';

/** TIC-GRPO's clipped weight: held at 1+ε_high (its gradient still flows through ℓ), or its gradient dropped. */
export type ClipMode = 'truncate' | 'zero-grad';

/** How token terms become the loss (verl's names); the weights a_{i,t} they give are in docs/design.md §3. */
export type Aggregation = 'seq-mean-token-mean' | 'token-mean' | 'seq-mean-token-sum' | 'seq-mean-token-sum-norm';

/** Per-token estimators of KL(π_θ ‖ π_ref) from ℓ − ℓ_ref (Schulman's k1, k2, k3). */
export type KlEstimator = 'k1' | 'k2' | 'k3';

/** Group baseline of the advantage: (r − mean)/(std + 1e-4), r − mean (Dr.GRPO), or the raw reward. */
export type AdvantageMode = 'group-std' | 'group-mean' | 'none';

export interface PolicyLossConfig {
  level: RatioLevel;
  /** Low clip: a ratio below 1 − ε_low with Â < 0 is clipped. In [0, 1]; unused by 'trajectory' and 'none-at-old'. */
  epsLow: number;
  /** High clip: a ratio above 1 + ε_high is clipped (with Â > 0, or for either sign at 'trajectory'). ≥ 0. */
  epsHigh: number;
  /** Applies to 'trajectory' only. */
  clipMode: ClipMode;
  /** How token terms are combined for 'token' and 'none-at-old', and how KL tokens are combined at every level. */
  aggregation: Aggregation;
  /** KL weight: J = J_policy − β·J_KL. ≥ 0. */
  beta: number;
  kl: KlEstimator;
}

/** Log-ratios are clamped to ±this before exp (shaders/policy-loss.wgsl likewise): a diverged policy gives large finite weights, never inf. */
export const MAX_LOG_RATIO = 20;

export const RATIO_LEVELS: readonly RatioLevel[] = ['token', 'trajectory', 'sequence', 'none-at-old'];
export const CLIP_MODES: readonly ClipMode[] = ['truncate', 'zero-grad'];
export const AGGREGATIONS: readonly Aggregation[] = ['seq-mean-token-mean', 'token-mean', 'seq-mean-token-sum', 'seq-mean-token-sum-norm'];
export const KL_ESTIMATORS: readonly KlEstimator[] = ['k1', 'k2', 'k3'];
export const ADVANTAGE_MODES: readonly AdvantageMode[] = ['group-std', 'group-mean', 'none'];

function oneOf<T extends string>(field: string, value: T, allowed: readonly T[]): string | null {
  return allowed.includes(value) ? null : `${field} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`;
}

function inRange(field: string, value: number, lo: number, hi: number): string | null {
  // Written so that NaN fails too.
  return Number.isFinite(value) && value >= lo && value <= hi ? null : `${field} must be in [${lo}, ${hi}], got ${value}`;
}

/** Throws one message naming every bad field, so a config from a URL or a typo fails loudly, not as NaN coefficients. */
export function checkPolicyLossConfig(config: PolicyLossConfig): void {
  const problems = [
    oneOf('level', config.level, RATIO_LEVELS),
    oneOf('clipMode', config.clipMode, CLIP_MODES),
    oneOf('aggregation', config.aggregation, AGGREGATIONS),
    oneOf('kl', config.kl, KL_ESTIMATORS),
    inRange('epsLow', config.epsLow, 0, 1),
    inRange('epsHigh', config.epsHigh, 0, Number.MAX_VALUE),
    inRange('beta', config.beta, 0, Number.MAX_VALUE),
  ].filter((p): p is string => p !== null);
  if (problems.length > 0) throw new Error(`policy loss config: ${problems.join('; ')}`);
}
