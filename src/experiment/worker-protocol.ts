// The messages between the page and the training worker (docs/design.md §8). The worker owns the GPU and the
// engine; the page only sends commands and draws what comes back. Both directions are closed unions,
// so every handler is an exhaustive switch on `type`.
import type { AdapterSummary } from '../gpu/gpu';
import type { IterationMetrics } from '../rl/metrics';
import type { PresetName } from '../loss/presets';
import type { RunConfig } from '../config/fields';

/** One run of an experiment: one seed of one arm, and the full config it trains with. */
export interface RunSpec {
  id: string;
  /** The arm's label (armLabels): unique in the experiment, the key its charts, colour, progress, samples and files use. */
  arm: string;
  /** The arm's algorithm preset. */
  algo: PresetName;
  seed: number;
  config: RunConfig;
}

/**
 * Where a run stands: `loading` while its trainer is built, `running` or `paused` with the experiment,
 * `done` after its last iteration, `failed` after an error (its metrics so far stay valid).
 */
export type RunState = 'loading' | 'running' | 'paused' | 'done' | 'failed';

export type PageToWorker =
  /** Replaces whatever ran before; `checkpointBase` is the absolute URL of the folder holding base checkpoints. */
  | { type: 'start'; runs: RunSpec[]; checkpointBase: string }
  | { type: 'pause' }
  | { type: 'resume' }
  /** One iteration of each unfinished run, then paused again. */
  | { type: 'step' }
  /** Stops everything and frees the runs' GPU memory; the device stays open. */
  | { type: 'reset' };

export type WorkerToPage =
  | { type: 'ready'; adapter: AdapterSummary }
  | { type: 'noWebGpu'; message: string }
  | { type: 'metrics'; runId: string; metrics: IterationMetrics }
  | { type: 'status'; runId: string; state: RunState; iteration: number }
  /** Something the user should know that is not an error, e.g. that no base model is shipped yet. */
  | { type: 'notice'; message: string }
  /** A run's failure (with its id), or one that ends every run (device lost: without one). */
  | { type: 'error'; runId?: string; message: string }
  | { type: 'done'; runId: string };

/** What the engine reports; `ready` and `noWebGpu` come from the worker around it. */
export type EngineMessage = Exclude<WorkerToPage, { type: 'ready' } | { type: 'noWebGpu' }>;
