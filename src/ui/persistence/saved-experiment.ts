// An experiment as it is stored, and the line the list of saved runs shows for it.
import { armLabels } from '../../experiment/arms';
import type { ModelPreset } from '../../model/config';
import type { TaskName } from '../../tasks';
import type { RunRecordState } from '../training/runs';
import type { ShownExperiment, TrainingState } from '../training/store';

/** An experiment as stored: what the page showed of it, and when that was saved (ms since 1970). */
export interface SavedExperiment extends ShownExperiment {
  savedAt: number;
}

/** What the list of saved runs shows of an experiment, without its series. */
export interface ExperimentSummary {
  id: string;
  createdAt: number;
  savedAt: number;
  /** The arms' labels, in order. */
  arms: string[];
  task: TaskName;
  model: ModelPreset;
  seeds: number;
  /** Iterations each run was started for. */
  iterations: number;
  /** Iterations the slowest run completed. */
  completed: number;
  /** Each run's state when it was saved. */
  states: RunRecordState[];
}

export function summarize(e: SavedExperiment): ExperimentSummary {
  const { config, arms, seeds } = e.setup;
  return {
    id: e.id,
    createdAt: e.createdAt,
    savedAt: e.savedAt,
    arms: armLabels(arms, config),
    task: config.task,
    model: config.model,
    seeds,
    iterations: config.iterations,
    completed: Math.min(...e.runs.map((r) => r.metrics.length)),
    states: e.runs.map((r) => r.state),
  };
}

/** The experiment on the page as it would be saved now; null when there is none. */
export function savedExperiment({ experiment, runs, notices, failure }: TrainingState, savedAt: number): SavedExperiment | null {
  return experiment && { ...experiment, runs, notices, failure, savedAt };
}

/** How a saved experiment ended, in a few words: "finished", "interrupted", "1 of 4 runs stopped, interrupted". */
export function outcome({ states }: ExperimentSummary): string {
  const failed = states.filter((s) => s === 'failed').length;
  const unfinished = states.filter((s) => s !== 'done' && s !== 'failed').length;
  const words = [failed > 0 ? `${failed} of ${states.length} runs stopped` : '', unfinished > 0 ? 'interrupted' : ''].filter(Boolean);
  return words.length > 0 ? words.join(', ') : 'finished';
}
