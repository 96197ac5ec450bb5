import { describe, expect, it } from 'vitest';
import { maxRelError } from '../../src/reference/compare';
import { SEQ_STATS } from '../../src/loss/codes';
import { policyLoss } from '../../src/reference/policy-loss';
import type { PolicyLossConfig } from '../../src/loss/config';
import { normalRng } from '../../src/util/rng';
import { finiteDifferenceError } from '../helpers/finite-difference';
import { testSeed, uniformRng } from '../helpers/random';

// Exactness by enumeration (docs/design.md §3, the paper's central claim), in float64 with no GPU: a tabular
// autoregressive policy small enough that every output can be listed, so expectations under π_old
// are finite sums and ∇J(θ) = Σ_o π_θ(o)·r(o)·∇log π_θ(o) is exact. The estimators' coefficients
// come from the loss reference itself, one trajectory at a time (M = 1, Â = r: advantage 'none').

const V = 3; // tokens
const L = 3; // every output is exactly L tokens long
const PREFIXES = (V ** L - 1) / (V - 1); // 1 + V + V²: the empty prefix, then every prefix of length 1 and 2
const PARAMS = PREFIXES * V; // θ [PREFIXES, V]: logits of the next token after each prefix

/** Every output sequence [V^L][L], in lexicographic order. */
const OUTPUTS = Array.from({ length: V ** L }, (_, s) => Array.from({ length: L }, (_, t) => Math.floor(s / V ** (L - 1 - t)) % V));

/** The row of θ holding the logits after o[0..t): prefixes of length t start at row (V^t − 1)/(V − 1). */
function prefixRow(o: number[], t: number): number {
  let index = 0;
  for (let s = 0; s < t; s++) index = index * V + o[s]!;
  return (V ** t - 1) / (V - 1) + index;
}

function softmaxRow(theta: Float64Array, row: number): number[] {
  const logits = Array.from(theta.subarray(row * V, (row + 1) * V));
  const max = Math.max(...logits);
  const e = logits.map((z) => Math.exp(z - max));
  const sum = e.reduce((s, x) => s + x, 0);
  return e.map((x) => x / sum);
}

/** ℓ_t(θ) = log π_θ(o_t | o_<t), t = 0..L−1. */
function logProbs(theta: Float64Array, o: number[]): number[] {
  return o.map((token, t) => Math.log(softmaxRow(theta, prefixRow(o, t))[token]!));
}

/** g += c·∇_θ ℓ_t(θ): on the prefix's row, [j = o_t] − p_j. */
function addScore(g: Float64Array, theta: Float64Array, o: number[], t: number, c: number): void {
  const row = prefixRow(o, t);
  softmaxRow(theta, row).forEach((p, j) => (g[row * V + j] = g[row * V + j]! + c * ((j === o[t] ? 1 : 0) - p)));
}

const maxAbsDifference = (a: Float64Array, b: Float64Array) => a.reduce((m, x, k) => Math.max(m, Math.abs(x - b[k]!)), 0);

const sequenceProb = (theta: Float64Array, o: number[]) => Math.exp(logProbs(theta, o).reduce((s, l) => s + l, 0));

/** J(θ) = Σ_o π_θ(o)·r(o). */
function objective(theta: Float64Array, rewards: number[]): number {
  return OUTPUTS.reduce((s, o, k) => s + sequenceProb(theta, o) * rewards[k]!, 0);
}

/** ∇J(θ) = Σ_o π_θ(o)·r(o)·Σ_t ∇ℓ_t(θ). */
function exactGradient(theta: Float64Array, rewards: number[]): Float64Array {
  const g = new Float64Array(PARAMS);
  OUTPUTS.forEach((o, k) => o.forEach((_, t) => addScore(g, theta, o, t, sequenceProb(theta, o) * rewards[k]!)));
  return g;
}

/** E_{o∼π_old}[Σ_t c_t(o)·∇ℓ_t(θ)] with c the loss reference's coefficients for trajectory o alone (M = 1, Â = r(o)). */
function expectedEstimate(theta: Float64Array, thetaOld: Float64Array, rewards: number[], config: PolicyLossConfig): Float64Array {
  const g = new Float64Array(PARAMS);
  const coef = new Float64Array(L);
  const scratch = () => new Float64Array(L);
  OUTPUTS.forEach((o, k) => {
    const logp = logProbs(theta, o);
    const logpOld = logProbs(thetaOld, o);
    const mask = new Array<number>(L).fill(1);
    policyLoss(
      { coef, ratio: scratch(), clip: scratch(), kl: scratch(), seqStats: new Float64Array(SEQ_STATS.width) },
      { logp, logpOld, logpRef: logp, mask, adv: [rewards[k]!] },
      { M: 1, T: L, totalTokens: L, maxLen: L },
      config,
    );
    const pOld = sequenceProb(thetaOld, o);
    o.forEach((_, t) => addScore(g, theta, o, t, pOld * coef[t]!));
  });
  return g;
}

// Clip ranges far wider than any ratio here: the unclipped estimators. seq-mean-token-sum gives the
// token level the same scale as the trajectory level (a = 1/M = 1). β = 0: the policy term alone.
const UNCLIPPED = { epsLow: 1, epsHigh: 1e6, clipMode: 'truncate', aggregation: 'seq-mean-token-sum', beta: 0, kl: 'k3' } as const;
const TIC: PolicyLossConfig = { ...UNCLIPPED, level: 'trajectory' };
const GRPO: PolicyLossConfig = { ...UNCLIPPED, level: 'token' };
const NO_IS: PolicyLossConfig = { ...UNCLIPPED, level: 'none-at-old' };

describe('exactness by enumeration (tabular policy, V = 3, L = 3: 27 outputs, 39 parameters)', () => {
  const uniform = uniformRng(testSeed('exactness'));
  const normal = normalRng(uniform);
  const thetaOld = Float64Array.from({ length: PARAMS }, normal);
  const step = Float64Array.from({ length: PARAMS }, () => 0.5 * normal()); // Δ = θ − θ_old
  const at = (s: number) => thetaOld.map((x, k) => x + s * step[k]!); // θ_old + s·(θ − θ_old)
  const theta = at(1);
  const rewards = OUTPUTS.map(() => uniform());

  it('the exact ∇J agrees with finite differences of J(θ)', () => {
    const x = Float64Array.from(theta);
    const err = finiteDifferenceError(() => objective(x, rewards), x, exactGradient(theta, rewards));
    console.log(`exactness: ∇J against finite differences ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-8);
  });

  it('TIC-GRPO (trajectory level, unclipped) is unbiased: E_old[estimate] = ∇J(θ)', () => {
    const err = maxRelError(expectedEstimate(theta, thetaOld, rewards, TIC), exactGradient(theta, rewards));
    console.log(`exactness: TIC-GRPO expectation against ∇J(θ), relative error ${err.toExponential(2)}`);
    expect(err).toBeLessThanOrEqual(1e-12);
  });

  it('No-IS (none-at-old) is exactly the gradient at θ_old, not at θ', () => {
    const atOld = maxRelError(expectedEstimate(thetaOld, thetaOld, rewards, NO_IS), exactGradient(thetaOld, rewards));
    const againstTheta = maxRelError(expectedEstimate(thetaOld, thetaOld, rewards, NO_IS), exactGradient(theta, rewards));
    console.log(`exactness: No-IS expectation against ∇J(θ_old) ${atOld.toExponential(2)}, against ∇J(θ) ${againstTheta.toExponential(2)}`);
    expect(atOld).toBeLessThanOrEqual(1e-12);
    expect(againstTheta).toBeGreaterThan(0.02);
  });

  // Thresholds from 400 seeds at this Δ: relative bias at s = 1 ≥ 0.046; a halving multiplies the
  // absolute bias by at most 0.79, and the last one (first-order regime) by 0.44…0.58.
  it('GRPO (token level, unclipped) is biased, and its bias shrinks with ‖θ − θ_old‖', () => {
    const scales = [1, 1 / 2, 1 / 4, 1 / 8];
    const gap = scales.map((s) => {
      const [estimate, exact] = [expectedEstimate(at(s), thetaOld, rewards, GRPO), exactGradient(at(s), rewards)];
      return {
        absolute: maxAbsDifference(estimate, exact),
        relative: maxRelError(estimate, exact),
        tic: maxRelError(expectedEstimate(at(s), thetaOld, rewards, TIC), exact),
      };
    });
    gap.forEach((g, k) =>
      console.log(
        `exactness: θ = θ_old + ${scales[k]}·Δ: GRPO bias ${g.absolute.toExponential(3)} (relative ${g.relative.toExponential(3)}), TIC-GRPO relative error ${g.tic.toExponential(1)}`,
      ),
    );
    expect(gap[0]!.relative).toBeGreaterThan(0.02);
    const shrink = gap.slice(1).map((g, k) => g.absolute / gap[k]!.absolute);
    console.log(`exactness: each halving of ‖θ − θ_old‖ multiplies GRPO's bias by ${shrink.map((r) => r.toFixed(3)).join(', ')}`);
    for (const r of shrink) expect(r).toBeLessThan(0.85);
    expect(Math.abs(shrink.at(-1)! - 0.5)).toBeLessThan(0.15); // first order in θ − θ_old
    for (const g of gap) expect(g.tic).toBeLessThanOrEqual(1e-12);
  });
});
