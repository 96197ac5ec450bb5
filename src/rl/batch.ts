import { EOS, PAD } from '../tasks';

/**
 * A batch of trajectories laid out for training: each row is prompt ‖ completion, T = P + Lc
 * tokens, with PAD after the first EOS. Position t predicts token t+1, so the per-token arrays
 * (targets, mask, log-probs) index by the predicting position.
 */
export interface TrajectoryBatch {
  N: number;
  /** Prompt tokens P, completion tokens Lc, row length T = P + Lc. */
  P: number;
  Lc: number;
  T: number;
  tokens: Uint32Array<ArrayBuffer>; // [N, T]
  targets: Uint32Array<ArrayBuffer>; // [N, T] tokens shifted left by one; PAD at the end
  mask: Float32Array<ArrayBuffer>; // [N, T] 1 where the target is a completion token that counts (EOS included)
  /** n_i: counted completion tokens of each row (up to and including EOS; all Lc without one). */
  lengths: Int32Array;
}

/** Completion tokens up to and including the first EOS (all of them if there is none). */
export function completionLength(completion: ArrayLike<number>): number {
  for (let j = 0; j < completion.length; j++) if (completion[j] === EOS) return j + 1;
  return completion.length;
}

/** Lays out N = prompts.length rows from prompts [N][P] and completions [N·Lc]. */
export function buildBatch(prompts: readonly (readonly number[])[], completions: Uint32Array, Lc: number): TrajectoryBatch {
  const N = prompts.length;
  const P = prompts[0]?.length ?? 0;
  const T = P + Lc;
  if (completions.length !== N * Lc) throw new Error(`buildBatch: ${completions.length} completion tokens for ${N} rows of ${Lc}`);
  const tokens = new Uint32Array(N * T);
  const targets = new Uint32Array(N * T).fill(PAD);
  const mask = new Float32Array(N * T);
  const lengths = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    const prompt = prompts[i]!;
    if (prompt.length !== P) throw new Error(`buildBatch: prompt ${i} has ${prompt.length} tokens, the first has ${P}`);
    const completion = completions.subarray(i * Lc, (i + 1) * Lc);
    const n = completionLength(completion);
    lengths[i] = n;
    const row = i * T;
    tokens.set(prompt, row);
    for (let j = 0; j < Lc; j++) tokens[row + P + j] = j < n ? completion[j]! : PAD;
    for (let t = 0; t < T - 1; t++) targets[row + t] = tokens[row + t + 1]!;
    for (let j = 0; j < n; j++) mask[row + P - 1 + j] = 1;
  }
  return { N, P, Lc, T, tokens, targets, mask, lengths };
}
