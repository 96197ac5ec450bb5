import { makeRunConfig } from '../experiment/config';
import { trainerConfig } from '../experiment/run';
import type { Gpu } from '../gpu/gpu';
import { type ModelPreset, modelConfig } from '../model/config';
import { initParameters } from '../model/init';
import { parameterLayout } from '../model/layout';
import { GrpoTrainer } from '../rl/trainer';
import { makeTask } from '../tasks';
import type { RlIterationResult } from './results';
import { median } from '../util/stats';

/**
 * One RL iteration of the default run configuration (task, B, G, K, M) on `preset`, from a seeded
 * random initialisation, in three phases: sampling (π_old ← π_θ, the KV-cache rollout read back,
 * rewards, advantages, and recording the scoring pass), scoring (that pass's log-probs under π_old
 * and π_ref, until its entropy is read back) and the K inner optimiser steps; and, apart, one held-out
 * evaluation, which runs every evalEvery iterations.
 */
export async function timeRlIteration(gpu: Gpu, preset: ModelPreset, warmup: number, runs: number): Promise<RlIterationResult> {
  const run = makeRunConfig({ model: preset });
  const task = makeTask(run.task);
  const model = modelConfig(preset, task.vocab.length, task.seqLen);
  const c = trainerConfig(run, task);
  const trainer = await GrpoTrainer.create(gpu, task, model, initParameters(model, parameterLayout(model), run.seed), c);
  const phases: { sampling: number; scoring: number; inner: number; evaluation: number }[] = [];
  try {
    for (let i = 0; i < warmup + runs; i++) {
      const t0 = performance.now();
      const sampled = await trainer.sample();
      const t1 = performance.now();
      await sampled.entropy;
      const t2 = performance.now();
      await trainer.train(sampled, c.K);
      const t3 = performance.now();
      await trainer.evaluate();
      const t4 = performance.now();
      if (i >= warmup) phases.push({ sampling: t1 - t0, scoring: t2 - t1, inner: t3 - t2, evaluation: t4 - t3 });
    }
  } finally {
    trainer.destroy();
  }
  const m = (key: keyof (typeof phases)[number]) => median(phases.map((p) => p[key]));
  return {
    bench: 'rl-iteration',
    impl: 'ours',
    preset,
    task: task.name,
    N: c.B * c.G,
    completionLength: c.completionLength,
    K: c.K,
    M: c.M,
    samplingMs: m('sampling'),
    scoringMs: m('scoring'),
    innerStepsMs: m('inner'),
    totalMs: median(phases.map((p) => p.sampling + p.scoring + p.inner)),
    evalMs: m('evaluation'),
    evalProblems: task.evalSet().length,
    runs,
  };
}
