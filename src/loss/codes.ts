// The numbers the loss kernel and its readers agree on (shaders/policy-loss.wgsl declares the same):
// the uniform block's codes for the enum fields, the clip codes it writes per token, and the columns of
// its per-sequence statistics. One place, so that the kernel wrapper, the float64 reference and the
// metrics cannot drift apart.
import type { KlEstimator, RatioLevel } from './config';

/** `level` in the kernel's uniform block (LEVEL_* in the shader). */
export const LEVEL_CODE: Readonly<Record<RatioLevel, number>> = { token: 0, trajectory: 1, sequence: 2, 'none-at-old': 3 };

/** `klEstimator` in the kernel's uniform block (KL_* in the shader). */
export const KL_CODE: Readonly<Record<KlEstimator, number>> = { k1: 0, k2: 1, k3: 2 };

/** What the kernel writes per token into `clip`: which bound of the clip binds there, if any. */
export const CLIP_CODE = { none: 0, low: 1, high: 2 } as const;

/** The columns of `seqStats` [M, SEQ_STATS.width], one row per sequence. */
export const SEQ_STATS = {
  /** The sequence's part of J_policy. */
  policy: 0,
  /** Its part of J_KL, before β. */
  kl: 1,
  /** D_i = Σ_t mask·(ℓ − ℓ_old): the log of the trajectory ratio. */
  logRatioSum: 2,
  /** n_i: its completion tokens. */
  tokens: 3,
  width: 4,
} as const;
