import { checkPolicyLossDims, type PolicyLossDims, type PolicyLossInputs, type PolicyLossOutputs } from '../kernels/policy-loss';
import { CLIP_CODE, SEQ_STATS } from '../loss/codes';
import { type Aggregation, checkPolicyLossConfig, type KlEstimator, MAX_LOG_RATIO, type PolicyLossConfig } from '../loss/config';

type Floats = ArrayLike<number>;

/** What one token receives from the policy term: its ratio, clip code, ∂J_policy/∂ℓ and its part of J_policy. */
interface Term {
  ratio: number;
  clip: number;
  coef: number;
  objective: number;
}

const UNWEIGHTED: Term = { ratio: 1, clip: CLIP_CODE.none, coef: 0, objective: 0 };

const clampLog = (x: number) => Math.min(Math.max(x, -MAX_LOG_RATIO), MAX_LOG_RATIO);

/** a_{i,t} for a sequence of n ≥ 1 counting tokens (docs/design.md §3). */
function aggregationWeight(aggregation: Aggregation, n: number, { M, totalTokens, maxLen }: PolicyLossDims): number {
  switch (aggregation) {
    case 'seq-mean-token-mean':
      return 1 / (M * n);
    case 'token-mean':
      return totalTokens > 0 ? 1 / totalTokens : 0;
    case 'seq-mean-token-sum':
      return 1 / M;
    case 'seq-mean-token-sum-norm':
      return 1 / (M * maxLen);
  }
}

/** PPO's clip: min(r·Â, clip(r, 1−ε_low, 1+ε_high)·Â) = effective·Â; the high bound binds where Â > 0, the low where Â < 0. */
function ppoClip(r: number, advantage: number, { epsLow, epsHigh }: PolicyLossConfig): { code: number; effective: number } {
  if (advantage > 0 && r > 1 + epsHigh) return { code: CLIP_CODE.high, effective: 1 + epsHigh };
  if (advantage < 0 && r < 1 - epsLow) return { code: CLIP_CODE.low, effective: 1 - epsLow };
  return { code: CLIP_CODE.none, effective: r };
}

/** The per-sequence term of the trajectory and sequence levels, D = Σ_t(ℓ − ℓ_old) over n ≥ 1 tokens; J_policy's part is per sequence. */
function sequenceTerm(config: PolicyLossConfig, n: number, D: number, advantage: number, M: number): Term {
  if (config.level === 'trajectory') {
    const w = Math.exp(clampLog(D));
    const clipped = w > 1 + config.epsHigh;
    const truncated = Math.min(w, 1 + config.epsHigh);
    // truncate: the weight is the constant min(w, 1+ε_high); zero-grad: w where unclipped, else nothing.
    const coefWeight = config.clipMode === 'truncate' ? truncated : clipped ? 0 : w;
    return { ratio: w, clip: clipped ? CLIP_CODE.high : CLIP_CODE.none, coef: (coefWeight * advantage) / M, objective: (truncated * advantage) / M };
  }
  if (config.level === 'sequence') {
    const s = Math.exp(clampLog(D / n));
    const { code, effective } = ppoClip(s, advantage, config);
    return { ratio: s, clip: code, coef: code === CLIP_CODE.none ? (s * advantage) / (n * M) : 0, objective: (effective * advantage) / M };
  }
  return UNWEIGHTED;
}

/** The per-token term of the token and none-at-old levels, for log-ratio x = ℓ − ℓ_old and weight a. */
function tokenTerm(config: PolicyLossConfig, a: number, x: number, advantage: number): Term {
  if (config.level === 'token') {
    const rho = Math.exp(clampLog(x));
    const { code, effective } = ppoClip(rho, advantage, config);
    return { ratio: rho, clip: code, coef: code === CLIP_CODE.none ? a * rho * advantage : 0, objective: a * effective * advantage };
  }
  // none-at-old: the surrogate a·Â·(1 + ℓ − ℓ_old), GRPO's value at θ_old with gradient a·Â at any θ.
  return { ratio: 1, clip: CLIP_CODE.none, coef: a * advantage, objective: a * advantage * (1 + x) };
}

/** [k, ∂k/∂ℓ] for the per-token KL estimate from ℓ and ℓ_ref. */
function klEstimate(estimator: KlEstimator, l: number, lRef: number): [number, number] {
  switch (estimator) {
    case 'k1':
      return [l - lRef, 1];
    case 'k2':
      return [0.5 * (l - lRef) ** 2, l - lRef];
    case 'k3': {
      const x = clampLog(lRef - l); // k3 = e^x − x − 1, ∂k3/∂ℓ = 1 − e^x
      return [Math.expm1(x) - x, -Math.expm1(x)];
    }
  }
}

/**
 * Float64 reference of PolicyLoss.forward (same outputs, same conventions; see there), plus the
 * objective J = J_policy − β·J_KL and its two parts, each the sum of seqStats' column.
 */
export function policyLoss(
  out: PolicyLossOutputs<Float64Array>,
  input: PolicyLossInputs<Floats>,
  dims: PolicyLossDims,
  config: PolicyLossConfig,
): { objective: number; policy: number; kl: number } {
  checkPolicyLossDims('policyLoss reference', dims);
  checkPolicyLossConfig(config);
  const { coef, ratio, clip, kl, seqStats } = out;
  const { logp, logpOld, logpRef, mask, adv } = input;
  const { M, T } = dims;
  let policyTotal = 0;
  let klTotal = 0;
  for (let i = 0; i < M; i++) {
    const row = i * T;
    let n = 0;
    let D = 0;
    for (let t = 0; t < T; t++) {
      if (mask[row + t] !== 0) {
        n++;
        D += logp[row + t]! - logpOld[row + t]!;
      }
    }
    const advantage = adv[i]!;
    const perSequence = n > 0 ? sequenceTerm(config, n, D, advantage, M) : UNWEIGHTED;
    let policy = perSequence.objective;
    let klPart = 0;
    for (let t = 0; t < T; t++) {
      const k = row + t;
      if (mask[k] === 0) {
        coef[k] = 0;
        ratio[k] = 1;
        clip[k] = CLIP_CODE.none;
        kl[k] = 0;
        continue;
      }
      const a = aggregationWeight(config.aggregation, n, dims);
      const term =
        config.level === 'token' || config.level === 'none-at-old' ? tokenTerm(config, a, logp[k]! - logpOld[k]!, advantage) : { ...perSequence, objective: 0 };
      const [estimate, slope] = klEstimate(config.kl, logp[k]!, logpRef[k]!);
      coef[k] = term.coef - config.beta * a * slope;
      ratio[k] = term.ratio;
      clip[k] = term.clip;
      kl[k] = estimate;
      policy += term.objective;
      klPart += a * estimate;
    }
    const stats = SEQ_STATS.width * i;
    seqStats[stats + SEQ_STATS.policy] = policy;
    seqStats[stats + SEQ_STATS.kl] = klPart;
    seqStats[stats + SEQ_STATS.logRatioSum] = D;
    seqStats[stats + SEQ_STATS.tokens] = n;
    policyTotal += policy;
    klTotal += klPart;
  }
  return { objective: policyTotal - config.beta * klTotal, policy: policyTotal, kl: klTotal };
}
