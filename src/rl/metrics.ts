import { CLIP_CODE, SEQ_STATS } from '../loss/codes';
import type { RatioLevel } from '../loss/config';
import { mean } from '../util/stats';

/** What one inner optimiser step measured (docs/design.md §3 metrics). */
export interface InnerStepMetrics {
  /** J_policy − β·J_KL on the mini-batch (the maximised objective). */
  objective: number;
  /** Mean per-token KL estimate to π_ref over counted tokens. */
  kl: number;
  /** Fraction clipped on the low / high side: of tokens (token level) or of sequences (per-sequence levels). */
  clipLow: number;
  clipHigh: number;
  /** Statistics of ρ (token level) or w/s (per-sequence levels); 1 for the No-IS ablation. */
  ratioMean: number;
  ratioMin: number;
  ratioMax: number;
  ratioP95: number;
  /**
   * Effective sample size of those ratios as importance weights, as a fraction of their number:
   * 1 / mean(ŵ²) with ŵ = w / mean(w). 1 when every weight is equal; small when a few dominate.
   */
  ess: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
}

/** A prompt, one of its completions, its reward and each completion token's importance ratio. */
export interface SampleRecord {
  prompt: string;
  completion: string[];
  reward: number;
  /** Per completion token, from the last inner step that used this trajectory (null if none did). */
  ratios: number[] | null;
}

/**
 * What one iteration (sample, score, K inner steps) measured. The InnerStepMetrics fields are the
 * means over its inner steps (ratioMin, ratioMax: their minimum and maximum).
 */
export interface IterationMetrics extends InnerStepMetrics {
  iteration: number;
  rewardMean: number;
  rewardStd: number;
  /** Fraction of groups whose rewards were all equal (zero advantage everywhere). */
  zeroStdGroups: number;
  completionLength: number;
  /** Mean token entropy of π_old on its own samples. */
  entropy: number;
  /** Held-out greedy accuracy, on the iterations that evaluate. */
  accuracy: number | null;
  /** Held-out greedy accuracy of the base model, before any training: on the run's first iteration only. */
  startAccuracy: number | null;
  inner: InnerStepMetrics[];
  samples: SampleRecord[];
  wallMs: number;
  /** Tokens sampled and trained on per second of this iteration. */
  tokensPerSecond: number;
  /** Trajectories sampled so far, this iteration's included. */
  samplesSeen: number;
  /** Milliseconds since the run started. */
  elapsedMs: number;
}

/** 1 / mean(ŵ²) with ŵ = w / mean(w), i.e. (Σw)² / (n·Σw²): the fraction of the n weights that effectively count. */
export function effectiveSampleFraction(weights: readonly number[]): number {
  let sum = 0;
  let squares = 0;
  for (const w of weights) {
    sum += w;
    squares += w * w;
  }
  return squares > 0 ? (sum * sum) / (weights.length * squares) : Number.NaN;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** The fraction of groups of G consecutive rewards that are all equal. */
export function zeroStdFraction(rewards: ArrayLike<number>, G: number): number {
  let zero = 0;
  const groups = rewards.length / G;
  for (let g = 0; g < groups; g++) {
    let same = true;
    for (let j = 1; j < G; j++) same &&= rewards[g * G + j] === rewards[g * G];
    if (same) zero++;
  }
  return groups > 0 ? zero / groups : Number.NaN;
}

/**
 * An inner step's metrics from what the loss kernel wrote: per-token ratio, clip code and KL
 * [M·T], per-sequence stats [M, SEQ_STATS.width] (J_policy part, J_KL part, Σ log-ratio, n_i) and the mask.
 */
export function innerStepMetrics(
  level: RatioLevel,
  beta: number,
  ratio: Float32Array,
  clip: Float32Array,
  kl: Float32Array,
  seqStats: Float32Array,
  mask: Float32Array,
  T: number,
  gradNorm: number,
): InnerStepMetrics {
  const M = seqStats.length / SEQ_STATS.width;
  let policy = 0;
  let klObjective = 0;
  for (let i = 0; i < M; i++) {
    policy += seqStats[i * SEQ_STATS.width + SEQ_STATS.policy]!;
    klObjective += seqStats[i * SEQ_STATS.width + SEQ_STATS.kl]!;
  }
  const perSequence = level === 'trajectory' || level === 'sequence';
  const ratios: number[] = [];
  let low = 0;
  let high = 0;
  let klSum = 0;
  let tokens = 0;
  for (let i = 0; i < M; i++) {
    let first = -1;
    for (let t = 0; t < T; t++) {
      const k = i * T + t;
      if (mask[k] === 0) continue;
      tokens++;
      klSum += kl[k]!;
      if (first < 0) first = k;
      if (!perSequence) {
        ratios.push(ratio[k]!);
        if (clip[k] === CLIP_CODE.low) low++;
        if (clip[k] === CLIP_CODE.high) high++;
      }
    }
    if (perSequence && first >= 0) {
      ratios.push(ratio[first]!);
      if (clip[first] === CLIP_CODE.low) low++;
      if (clip[first] === CLIP_CODE.high) high++;
    }
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  const counted = Math.max(1, ratios.length);
  return {
    objective: policy - beta * klObjective,
    kl: tokens > 0 ? klSum / tokens : 0,
    clipLow: low / counted,
    clipHigh: high / counted,
    ratioMean: mean(ratios),
    ratioMin: sorted[0] ?? Number.NaN,
    ratioMax: sorted.at(-1) ?? Number.NaN,
    ratioP95: quantile(sorted, 0.95),
    ess: effectiveSampleFraction(ratios),
    gradNorm,
  };
}
