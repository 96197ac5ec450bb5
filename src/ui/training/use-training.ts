import { useStore } from 'zustand';
import { createTrainingStore, type TrainingState } from './store';
import { checkpointFolder, connectWorker } from './worker-channel';

/** The page's one training store, talking to the training worker. */
export const trainingStore = createTrainingStore(connectWorker, checkpointFolder());

/** Subscribes a component to one slice of the training state (return a value or a stored object, never a fresh one). */
export function useTraining<T>(selector: (state: TrainingState) => T): T {
  return useStore(trainingStore, selector);
}
