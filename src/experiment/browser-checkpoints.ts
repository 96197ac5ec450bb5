// Base models for the page: the task's shipped checkpoint over HTTP, or, where none is shipped yet, a
// seeded GPT-2 initialisation — said so plainly, since RL from a random model learns little.
import { checkpointParamsFor, decodeCheckpoint } from '../model/checkpoint';
import { type ModelConfig, type ModelPreset, modelConfig } from '../model/config';
import { initParameters } from '../model/init';
import { parameterLayout } from '../model/layout';
import type { Task } from '../tasks';
import { baseCheckpointName } from './checkpoints';
import type { CheckpointLoader } from './run';

/** Seeds the stand-in base model: one fixed seed, so every run of every arm starts from the same one. */
export const FALLBACK_INIT_SEED = 0;

/** Fetches checkpoints from the folder `base` (an absolute URL); throws when the server has none. */
export function httpCheckpointLoader(base: string, fetchFn: typeof fetch = fetch): CheckpointLoader {
  return async (name) => {
    const response = await fetchFn(new URL(name, base).href);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    // Single-page-app servers (vite preview among them) answer a missing file with index.html.
    if (response.headers.get('content-type')?.includes('text/html')) throw new Error('the server answered with a web page');
    return new Uint8Array(await response.arrayBuffer());
  };
}

export interface BaseModel {
  model: ModelConfig;
  params: Float32Array<ArrayBuffer>;
  /** Set when the parameters are a stand-in for a checkpoint that could not be had. */
  notice: string | null;
}

/** The base model every run of `task` on the `preset` model starts from. A checkpoint that arrives but is broken is an error. */
export async function loadBaseModel(task: Task, preset: ModelPreset, load: CheckpointLoader): Promise<BaseModel> {
  const model = modelConfig(preset, task.vocab.length, task.seqLen);
  const name = baseCheckpointName(task.name, preset);
  let bytes: Uint8Array;
  try {
    bytes = await load(name);
  } catch (error) {
    const notice =
      `No base model for ${task.name}/${preset} yet (${name}: ${(error as Error).message}): training starts from a random initialisation ` +
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
      base = loadBaseModel(task, preset, load);
      bases.set(key, base);
      void base.then(
        ({ notice }) => notice && notify(notice),
        () => {},
      ); // a broken checkpoint fails the run that asked for it
    }
    return base;
  };
}
