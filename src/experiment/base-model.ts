// The base model a run starts from: its task's checkpoint for the chosen model preset. Where none can
// be had, the caller's policy decides: the page starts from a seeded GPT-2 initialisation and says so
// plainly (RL from a random model learns little); the CLI refuses, naming the command that makes one.
import { checkpointParamsFor, decodeCheckpoint } from '../model/checkpoint';
import { type ModelConfig, type ModelPreset, modelConfig } from '../model/config';
import { initParameters } from '../model/init';
import { parameterLayout } from '../model/layout';
import type { Task } from '../tasks';
import { baseCheckpointName } from './checkpoints';

/** Fetches a base checkpoint's bytes by file name (from disk in Node, over HTTP in the page). */
export type CheckpointLoader = (name: string) => Promise<Uint8Array>;

/** Seeds the stand-in base model: one fixed seed, so every run of every arm starts from the same one. */
export const FALLBACK_INIT_SEED = 0;

/** What to do when the checkpoint cannot be loaded: start from the seeded initialisation (with a notice), or throw. */
export type MissingCheckpoint = 'random-init' | 'refuse';

export interface BaseModel {
  model: ModelConfig;
  params: Float32Array<ArrayBuffer>;
  /** Set when the parameters are a stand-in for a checkpoint that could not be had. */
  notice: string | null;
}

/** The base model every run of `task` on the `preset` model starts from. A checkpoint that arrives but is broken is always an error. */
export async function loadBaseModel(task: Task, preset: ModelPreset, load: CheckpointLoader, missing: MissingCheckpoint): Promise<BaseModel> {
  const model = modelConfig(preset, task.vocab.length, task.seqLen);
  const name = baseCheckpointName(task.name, preset);
  let bytes: Uint8Array;
  try {
    bytes = await load(name);
  } catch (error) {
    const why = `${name}: ${(error as Error).message}`;
    if (missing === 'refuse') {
      throw new Error(
        `No base checkpoint for task ${task.name} and model ${preset} (${why}). Make one with: npm run cli -- make-checkpoints --tasks ${task.name} --model ${preset}`,
      );
    }
    const notice =
      `No base model for ${task.name}/${preset} yet (${why}): training starts from a random initialisation ` +
      `(GPT-2 init, seed ${FALLBACK_INIT_SEED}, the same for every run), so rewards may stay near zero for a long time.`;
    return { model, params: initParameters(model, parameterLayout(model), FALLBACK_INIT_SEED), notice };
  }
  return { model, params: checkpointParamsFor(model, decodeCheckpoint(bytes)), notice: null };
}

/** The base model of each task and model preset, loaded once; `notify` hears each one's notice once. */
export function baseModelCache(load: CheckpointLoader, notify: (notice: string) => void): (task: Task, preset: ModelPreset) => Promise<BaseModel> {
  const bases = new Map<string, Promise<BaseModel>>();
  return (task, preset) => {
    const key = `${task.name}/${preset}`;
    let base = bases.get(key);
    if (!base) {
      base = loadBaseModel(task, preset, load, 'random-init');
      bases.set(key, base);
      void base.then(
        ({ notice }) => notice && notify(notice),
        () => {},
      ); // a broken checkpoint fails the run that asked for it
    }
    return base;
  };
}
