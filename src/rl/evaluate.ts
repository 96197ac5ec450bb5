import type { Gpt } from '../model/gpt';
import type { Problem, Task } from '../tasks';
import type { Rollout } from './rollout';

/** Greedy accuracy (mean sparse reward) of `model` on `problems`, decoded by `rollout` (sized for them). */
export async function greedyAccuracy(rollout: Rollout, model: Gpt, task: Task, problems: readonly Problem[]): Promise<number> {
  const completions = await rollout.generate(
    model,
    problems.map((p) => p.prompt),
    { temperature: 0, seed: 0, stream: 0 },
  );
  const Lc = rollout.Lc;
  let correct = 0;
  problems.forEach((p, i) => (correct += task.reward(p, Array.from(completions.subarray(i * Lc, (i + 1) * Lc)), 'sparse')));
  return correct / problems.length;
}
