import type { LogProbBackwardInputs, LogProbDims, LogProbInputs, LogProbOutputs, SequenceSumInputs } from '../kernels/logprob';

type Floats = ArrayLike<number>;

/** Float64 reference of LogProb.forward (rows i = r·T + t; a token ≥ V gets logp 0; entropy where given). */
export function logprobForward(out: LogProbOutputs<Float64Array>, { logits, tokens }: LogProbInputs<Floats>, { R, T, V, temperature }: LogProbDims): void {
  const { logp, lse, entropy } = out;
  for (let i = 0; i < R * T; i++) {
    const base = i * V;
    let max = -Infinity;
    for (let j = 0; j < V; j++) max = Math.max(max, logits[base + j]! / temperature);
    let sum = 0;
    for (let j = 0; j < V; j++) sum += Math.exp(logits[base + j]! / temperature - max);
    const l = max + Math.log(sum);
    lse[i] = l;
    if (entropy) {
      let h = 0;
      for (let j = 0; j < V; j++) {
        const x = logits[base + j]! / temperature;
        h += Math.exp(x - l) * (l - x); // −p log p, written so that p = 0 gives 0
      }
      entropy[i] = h;
    }
    const tok = tokens[i]!;
    logp[i] = tok < V ? logits[base + tok]! / temperature - l : 0;
  }
}

/** Float64 reference of LogProb.sequenceSum: seqSum[r] = Σ_t mask·logp. */
export function sequenceSum(seqSum: Float64Array, { logp, mask }: SequenceSumInputs<Floats>, { R, T }: Pick<LogProbDims, 'R' | 'T'>): void {
  for (let r = 0; r < R; r++) {
    let s = 0;
    for (let t = 0; t < T; t++) s += mask[r * T + t]! * logp[r * T + t]!;
    seqSum[r] = s;
  }
}

/** Float64 reference of LogProb.backward: dlogits += −mask·coef·(onehot − p)/τ, rows with mask 0 skipped. */
export function logprobBackward(dlogits: Float64Array, input: LogProbBackwardInputs<Floats>, { R, T, V, temperature }: LogProbDims): void {
  const { coef, logits, lse, tokens, mask } = input;
  for (let i = 0; i < R * T; i++) {
    const w = mask[i]!;
    if (w === 0) continue;
    for (let j = 0; j < V; j++) {
      const k = i * V + j;
      const p = Math.exp(logits[k]! / temperature - lse[i]!);
      dlogits[k] = dlogits[k]! - (w * coef[i]! * ((j === tokens[i]! ? 1 : 0) - p)) / temperature;
    }
  }
}
