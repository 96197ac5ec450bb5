import type { RunConfig } from '../config/fields';
import type { Gpu } from '../gpu/gpu';
import { GrpoTrainer, type TrainerConfig } from '../rl/trainer';
import { makeTask, type Task } from '../tasks';
import { type CheckpointLoader, loadBaseModel } from './base-model';
import { lossConfig } from './config';

/** What the trainer takes of `c`, with the completion length resolved against `task`. */
export function trainerConfig(c: RunConfig, task: Task): TrainerConfig {
  const completionLength = c.maxCompletion === 0 ? task.maxCompletion : c.maxCompletion;
  if (completionLength > task.maxCompletion) throw new Error(`maxCompletion: ${c.maxCompletion} is over task ${task.name}'s limit of ${task.maxCompletion}`);
  const { advantage, K, G, B, M, optimizer, lr, gradClip, temperature, reward, iterations, evalEvery, seed } = c;
  return { loss: lossConfig(c), completionLength, advantage, K, G, B, M, optimizer, lr, gradClip, temperature, reward, iterations, evalEvery, seed };
}

/** A trainer for `config`, starting from the task's base checkpoint for the chosen model preset; refuses when there is none. */
export async function createTrainer(gpu: Gpu, config: RunConfig, load: CheckpointLoader): Promise<{ trainer: GrpoTrainer; task: Task }> {
  const task = makeTask(config.task);
  const { model, params } = await loadBaseModel(task, config.model, load, 'refuse');
  return { trainer: await GrpoTrainer.create(gpu, task, model, params, trainerConfig(config, task)), task };
}
