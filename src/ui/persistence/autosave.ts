import type { StoreApi } from 'zustand/vanilla';
import { isUnfinished, type RunRecord } from '../training/runs';
import type { TrainingState } from '../training/store';
import { type SavedExperiment, savedExperiment } from './saved-experiment';
import { ThrottledSaver } from './throttled-saver';

const finishedRuns = (runs: readonly RunRecord[]) => runs.filter((run) => !isUnfinished(run)).length;

/**
 * Saves the experiment on the page as it changes: at most once per `intervalMs`, at once when one of its
 * runs finishes, and before another experiment takes its place. Returns `flush`, for when the page is hidden.
 */
export function autosave(training: StoreApi<TrainingState>, save: (experiment: SavedExperiment) => Promise<void>, intervalMs = 1000): () => Promise<void> {
  const saver = new ThrottledSaver(save, intervalMs);
  training.subscribe((state, before) => {
    if (before.experiment && before.experiment.id !== state.experiment?.id) void saver.flush(); // the last of the one leaving
    if (state.runs === before.runs && state.experiment === before.experiment) return;
    const experiment = savedExperiment(state, Date.now());
    if (!experiment) return;
    saver.request(experiment);
    if (finishedRuns(state.runs) > finishedRuns(before.runs)) void saver.flush();
  });
  return () => saver.flush();
}
