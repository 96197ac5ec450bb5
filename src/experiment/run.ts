import type { Gpu } from '../gpu/gpu';
import { checkpointParamsFor, decodeCheckpoint } from '../model/checkpoint';
import { modelConfig } from '../model/config';
import { GrpoTrainer, type TrainerConfig } from '../rl/trainer';
import { makeTask, type Task } from '../tasks';
import { baseCheckpointName } from './checkpoints';
import { lossConfig, type RunConfig } from './config';

/** Fetches a base checkpoint's bytes by file name (from disk in Node, over HTTP in the page). */
export type CheckpointLoader = (name: string) => Promise<Uint8Array>;

export function trainerConfig(c: RunConfig, task: Task): TrainerConfig {
  const completionLength = c.maxCompletion === 0 ? task.maxCompletion : c.maxCompletion;
  if (completionLength > task.maxCompletion) throw new Error(`maxCompletion: ${c.maxCompletion} is over task ${task.name}'s limit of ${task.maxCompletion}`);
  return {
    loss: lossConfig(c),
    advantage: c.advantage,
    K: c.K,
    G: c.G,
    B: c.B,
    M: c.M,
    optimizer: c.optimizer,
    lr: c.lr,
    gradClip: c.gradClip,
    temperature: c.temperature,
    completionLength,
    reward: c.reward,
    evalEvery: c.evalEvery,
    seed: c.seed,
  };
}

/** A trainer for `config`, starting from the task's base checkpoint for the chosen model preset. */
export async function createTrainer(gpu: Gpu, config: RunConfig, load: CheckpointLoader): Promise<{ trainer: GrpoTrainer; task: Task }> {
  const task = makeTask(config.task);
  const model = modelConfig(config.model, task.vocab.length, task.seqLen);
  const name = baseCheckpointName(config.task, config.model);
  let bytes: Uint8Array;
  try {
    bytes = await load(name);
  } catch (error) {
    throw new Error(
      `No base checkpoint ${name} for task ${config.task} and model ${config.model} (${(error as Error).message}). Make one with: npm run cli -- make-checkpoints --tasks ${config.task} --model ${config.model}`,
    );
  }
  const base = checkpointParamsFor(model, decodeCheckpoint(bytes));
  return { trainer: await GrpoTrainer.create(gpu, task, model, base, trainerConfig(config, task)), task };
}
