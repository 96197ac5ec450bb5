import type { BenchSession, Implementation } from './implementation';
import { interleaved } from './interleave';
import type { BenchProblem } from './problem';
import type { SamplingResult } from './results';
import { median } from '../util/stats';

/** Interleaved rollouts: every row decodes the problem's new tokens; tokens/s counts the new tokens of all rows. */
export async function timeSampling(
  impls: readonly Implementation[],
  sessions: readonly BenchSession[],
  problem: BenchProblem,
  warmup: number,
  runs: number,
): Promise<SamplingResult[]> {
  const { rows, promptLength, newTokens } = problem.sampling;
  const timed = await interleaved(sessions, warmup + runs, async (s, round) => {
    const tokens = await s.sample(round);
    if (tokens.length !== rows * newTokens) throw new Error(`bench: a rollout returned ${tokens.length} tokens, expected ${rows}×${newTokens}`);
  });
  return impls.map((impl, i) => {
    const kept = timed[i]!.slice(warmup);
    const ms = median(kept.map((t) => t.ms));
    return {
      bench: 'sampling',
      impl: impl.name,
      preset: problem.preset,
      rows,
      promptLength,
      newTokens,
      decoding: impl.decoding,
      msPerRollout: ms,
      tokensPerSecond: (rows * newTokens) / (ms / 1000),
      dispatches: median(kept.map((t) => t.dispatches)),
      runs,
    };
  });
}
