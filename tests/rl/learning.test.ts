import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpointFromDisk } from '../../src/cli/node-checkpoints';
import { applyPreset, makeRunConfig } from '../../src/experiment/config';
import type { RunConfig } from '../../src/config/fields';
import { baseCheckpointName } from '../../src/experiment/checkpoints';
import { createTrainer } from '../../src/experiment/run';
import type { Gpu } from '../../src/gpu/gpu';
import type { PresetName } from '../../src/loss/presets';
import { makeTask } from '../../src/tasks';
import { testGpu } from '../helpers/gpu';

let gpu: Gpu;
beforeAll(async () => {
  gpu = await testGpu();
});

/**
 * CI-sized RL from the shipped base model, seed 1: the page's default settings (`reverse`, dense reward,
 * τ = 0.7, G = 8, K = 4, lr 1e-3), over which GRPO gained on every one of seeds 1–10 and TIC-GRPO gained
 * 34.6 points on seed 1 (bench/RESULTS.md, session 8). 16 iterations here, 20 in the page.
 * `add` (sparse reward, G = 16, lr 1e-4) was asserted here too until the held-out set grew to 512
 * problems: there, seed 1's TIC-GRPO gained 3.2 points against the 4.4 needed (GRPO 8.4), so the
 * claim did not hold and the setup left this test (bench/RESULTS.md, session 8).
 */
const SETUPS: { task: 'reverse'; iterations: number; settings: Partial<RunConfig> }[] = [
  { task: 'reverse', iterations: 16, settings: { reward: 'dense', temperature: 0.7, B: 8, G: 8, M: 16, K: 4, lr: 1e-3 } },
];

/**
 * The held-out set is fixed, so before and after are paired; still, a gain must clear what re-drawing
 * a held-out set of this size could show by chance: two binomial standard errors at the base accuracy.
 */
function margin(base: number, heldOut: number): number {
  return 2 * Math.sqrt((base * (1 - base)) / heldOut);
}

describe.each(SETUPS)('RL raises held-out greedy accuracy on $task (seed 1)', ({ task, iterations, settings }) => {
  const checkpoint = fileURLToPath(new URL(`../../public/checkpoints/${baseCheckpointName(task, 'tiny')}`, import.meta.url));

  it(`has the ${task} base model to start from`, () => {
    expect(existsSync(checkpoint), `${checkpoint} is missing: make it with npm run cli -- make-checkpoints --tasks ${task}`).toBe(true);
  });

  it.each(['grpo', 'tic-grpo'] as PresetName[])(
    `%s gains two standard errors within ${iterations} iterations`,
    async (algo) => {
      const config = applyPreset(makeRunConfig({ ...settings, task, seed: 1, evalEvery: 1000, iterations }), algo);
      const { trainer } = await createTrainer(gpu, config, loadCheckpointFromDisk);
      const heldOut = makeTask(task).evalSet().length;
      const before = await trainer.evaluate();
      const rewards: number[] = [];
      for (let i = 0; i < iterations; i++) rewards.push((await trainer.step()).rewardMean);
      const after = await trainer.evaluate();
      trainer.destroy();
      const needed = margin(before, heldOut);
      console.log(
        `${task} ${algo}: held-out greedy accuracy ${(100 * before).toFixed(1)}% → ${(100 * after).toFixed(1)}% (needed +${(100 * needed).toFixed(1)} points); train reward by iteration ${rewards.map((r) => r.toFixed(2)).join(' ')}`,
      );
      expect(after - before).toBeGreaterThanOrEqual(needed);
    },
    900_000,
  );
});
