import { trainStepFlops } from './flops';
import type { BenchSession, Implementation } from './implementation';
import { interleaved } from './interleave';
import type { BenchProblem } from './problem';
import type { TrainStepResult } from './results';
import { median } from '../util/stats';

/** Float32 implementations of one computation agree far closer than this; a wrong model or optimiser misses it. */
export const LOSS_TOLERANCE = 1e-3;

/** Throws, naming every implementation's loss, when one differs from the first's by more than LOSS_TOLERANCE (relative). */
export function checkLossesAgree(which: string, names: readonly string[], losses: readonly number[]): void {
  const reference = losses[0]!;
  const worst = Math.max(...losses.map((l) => Math.abs(l - reference) / Math.abs(reference)));
  if (!(worst <= LOSS_TOLERANCE)) {
    const listed = names.map((n, i) => `${n} ${losses[i]}`).join(', ');
    throw new Error(
      `bench: the ${which} losses disagree (${listed}; relative difference ${worst.toExponential(1)} > ${LOSS_TOLERANCE}): the implementations are not computing the same thing`,
    );
  }
}

/** Interleaved forward + backward + Adam steps; refuses to go on if the first losses disagree. */
export async function timeTrainSteps(
  impls: readonly Implementation[],
  sessions: readonly BenchSession[],
  problem: BenchProblem,
  warmup: number,
  runs: number,
): Promise<TrainStepResult[]> {
  const names = impls.map((i) => i.name);
  const timed = await interleaved(
    sessions,
    warmup + runs,
    (s) => s.trainStep(),
    (round, results) => {
      if (round === 0)
        checkLossesAgree(
          'first',
          names,
          results.map((r) => r.value),
        );
    },
  );
  checkLossesAgree(
    'last',
    names,
    timed.map((t) => t.at(-1)!.value),
  );
  const { preset, config, layout, B, T } = problem;
  const flops = trainStepFlops(config, B, T);
  return impls.map((impl, i) => {
    const kept = timed[i]!.slice(warmup);
    const ms = median(kept.map((t) => t.ms));
    return {
      bench: 'train-step',
      impl: impl.name,
      preset,
      B,
      T,
      params: layout.count,
      msPerStep: ms,
      tokensPerSecond: (B * T) / (ms / 1000),
      gflopPerSecond: flops / (ms / 1000) / 1e9,
      dispatches: median(kept.map((t) => t.dispatches)),
      firstLoss: timed[i]![0]!.value,
      lastLoss: timed[i]!.at(-1)!.value,
      runs,
    };
  });
}
