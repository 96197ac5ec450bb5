import type { PolicyLossDims, PolicyLossInputs, PolicyLossOutputs } from '../../src/kernels/policy-loss';
import { SEQ_STATS } from '../../src/loss/codes';
import { policyLoss } from '../../src/reference/policy-loss';
import type { PolicyLossConfig } from '../../src/loss/config';
import { randomF32 } from '../helpers/random';

/** The loss's inputs, float32 as the GPU sees them, and its dims. */
export interface Batch extends PolicyLossInputs<Float32Array<ArrayBuffer>> {
  dims: PolicyLossDims;
}

export type Outputs<A extends ArrayLike<number> = ArrayLike<number>> = PolicyLossOutputs<A>;

/** The batch's inputs alone, as the loss takes them. */
export function lossInputs<A>({ logp, logpOld, logpRef, mask, adv }: PolicyLossInputs<A>): PolicyLossInputs<A> {
  return { logp, logpOld, logpRef, mask, adv };
}

/**
 * A mini-batch as the RL loop makes it: sequence 0 uses all T positions, sequence 1 none (n_i = 0),
 * the rest a random length followed by masked positions. Per-token log-ratios ℓ − ℓ_old are uniform
 * in ±`logRatioRange` (default ±0.5: token ratios 0.61…1.65, on both sides of ε = 0.2 clips, and
 * trajectory weights on both sides of 1 + ε_high); ℓ − ℓ_ref is uniform in ±1. Sequence 2's Â is 0,
 * as a zero-std group gives.
 */
export function randomBatch(rng: () => number, M: number, T: number, logRatioRange = 0.5): Batch {
  const mask = new Float32Array(M * T);
  for (let i = 0; i < M; i++) {
    const length = i === 0 ? T : i === 1 ? 0 : Math.floor(rng() * (T + 1));
    mask.fill(1, i * T, i * T + length);
  }
  const logpOld = randomF32(rng, M * T, -3, -0.05);
  const logp = logpOld.map((l) => l + (2 * rng() - 1) * logRatioRange);
  const logpRef = logp.map((l) => l + 2 * rng() - 1);
  const adv = randomF32(rng, M, -1.5, 1.5);
  if (M > 2) adv[2] = 0;
  const totalTokens = mask.reduce((s, m) => s + m, 0);
  // maxLen differs from T, so a kernel that confused them would show.
  return { logp, logpOld, logpRef, mask, adv, dims: { M, T, totalTokens, maxLen: T + 2 } };
}

/** The same batch with NaN at every masked position of the log-probs, which the loss must never read. */
export function poisonMasked(b: Batch): Batch {
  const nanWhereMasked = (x: Float32Array<ArrayBuffer>) => x.map((v, k) => (b.mask[k] === 0 ? Number.NaN : v));
  return { ...b, logp: nanWhereMasked(b.logp), logpOld: nanWhereMasked(b.logpOld), logpRef: nanWhereMasked(b.logpRef) };
}

/** The float64 reference's outputs (NaN-filled first, so an unwritten element shows) and objective. */
export function referenceLoss(b: Batch, config: PolicyLossConfig, logp: ArrayLike<number> = b.logp) {
  const { M, T } = b.dims;
  const out: Outputs<Float64Array> = {
    coef: new Float64Array(M * T).fill(Number.NaN),
    ratio: new Float64Array(M * T).fill(Number.NaN),
    clip: new Float64Array(M * T).fill(Number.NaN),
    kl: new Float64Array(M * T).fill(Number.NaN),
    seqStats: new Float64Array(SEQ_STATS.width * M).fill(Number.NaN),
  };
  const value = policyLoss(out, { ...lossInputs<ArrayLike<number>>(b), logp }, b.dims, config);
  return { ...out, value };
}

/** Column `c` of seqStats [M, SEQ_STATS.width]. */
export function seqStatsColumn(seqStats: ArrayLike<number>, c: number): Float64Array {
  return Float64Array.from({ length: seqStats.length / SEQ_STATS.width }, (_, i) => seqStats[SEQ_STATS.width * i + c]!);
}
