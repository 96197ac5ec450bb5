import type { PolicyLossDims } from '../kernels/policy-loss';
import { SEQ_STATS } from '../loss/codes';
import type { ModelConfig } from '../model/config';
import type { PolicyLossConfig } from '../loss/config';
import { gptBackward, gptForward } from './gpt';
import { logprobBackward, logprobForward } from './logprob';
import { policyLoss } from './policy-loss';

export interface PolicyGradientInputs {
  config: ModelConfig;
  /** Flat parameters in the model's layout. */
  theta: Float64Array;
  thetaOld: Float64Array;
  thetaRef: Float64Array;
  /** [N, T] tokens, next-token targets and the completion mask (src/rl/batch.ts). */
  tokens: ArrayLike<number>;
  targets: ArrayLike<number>;
  mask: ArrayLike<number>;
  advantages: ArrayLike<number>;
  N: number;
  T: number;
  temperature: number;
  /** The completion-length cap (seq-mean-token-sum-norm's denominator). */
  maxLen: number;
  loss: PolicyLossConfig;
}

/** A sampled batch as the trainer holds it: [N, T] rows of prompt then completion, Lc completion positions. */
interface SampledRows {
  batch: { tokens: ArrayLike<number>; targets: ArrayLike<number>; mask: ArrayLike<number>; N: number; T: number; Lc: number };
  advantages: ArrayLike<number>;
}

/** The inputs for a trainer's batch: θ, θ_old and π_ref's parameters as read back, the batch and its advantages, M = N. */
export function sampledBatchInputs(
  config: ModelConfig,
  models: { policy: Float32Array; old: Float32Array; ref: Float32Array },
  { batch, advantages }: SampledRows,
  temperature: number,
  loss: PolicyLossConfig,
): PolicyGradientInputs {
  return {
    config,
    theta: Float64Array.from(models.policy),
    thetaOld: Float64Array.from(models.old),
    thetaRef: Float64Array.from(models.ref),
    tokens: batch.tokens,
    targets: batch.targets,
    mask: batch.mask,
    advantages,
    N: batch.N,
    T: batch.T,
    temperature,
    maxLen: batch.Lc,
    loss,
  };
}

/**
 * ∂L/∂θ in float64 for L = −(J_policy − β·J_KL) over N trajectories as one mini-batch: what the
 * GPU computes in one inner step, recomputed from the layer references. For the No-IS ablation
 * the gradient is taken at θ_old.
 */
export function policyGradient(x: PolicyGradientInputs): { grads: Float64Array; objective: number } {
  const { config, N, T } = x;
  const V = config.vocabSize;
  const dims = { R: N, T, V, temperature: x.temperature };
  const atOld = x.loss.level === 'none-at-old';
  const logprobs = (params: Float64Array) => {
    const fwd = gptForward(config, params, x.tokens, null, N, T);
    const logp = new Float64Array(N * T);
    const lse = new Float64Array(N * T);
    logprobForward({ logp, lse }, { logits: fwd.logits, tokens: x.targets }, dims);
    return { fwd, logp, lse };
  };
  const at = atOld ? x.thetaOld : x.theta;
  const current = logprobs(at);
  const old = logprobs(x.thetaOld);
  const ref = logprobs(x.thetaRef);
  let totalTokens = 0;
  for (let i = 0; i < N * T; i++) totalTokens += x.mask[i]!;
  const lossDims: PolicyLossDims = { M: N, T, totalTokens, maxLen: x.maxLen };
  const coef = new Float64Array(N * T);
  const scratch = () => new Float64Array(N * T);
  const { objective } = policyLoss(
    { coef, ratio: scratch(), clip: scratch(), kl: scratch(), seqStats: new Float64Array(SEQ_STATS.width * N) },
    { logp: current.logp, logpOld: old.logp, logpRef: ref.logp, mask: x.mask, adv: x.advantages },
    lossDims,
    x.loss,
  );
  const dlogits = new Float64Array(N * T * V);
  logprobBackward(dlogits, { coef, logits: current.fwd.logits, lse: current.lse, tokens: x.targets, mask: x.mask }, dims);
  return { grads: gptBackward(config, at, current.fwd, x.tokens, dlogits), objective };
}
