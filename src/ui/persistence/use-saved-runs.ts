import { useStore } from 'zustand';
import { trainingStore } from '../training/use-training';
import { pageStore } from '../use-page';
import { autosave } from './autosave';
import { openIndexedDbArchive } from './indexeddb-archive';
import { MemoryArchive } from './memory-archive';
import { createSavedRunsStore, type SavedRunsState } from './saved-runs-store';

/** IndexedDB, or memory (with why) where the browser refuses it: the runs on the page never depend on it. */
const archive = openIndexedDbArchive().catch(
  (error: unknown) => new MemoryArchive(`the browser refused IndexedDB (${error instanceof Error ? error.message : String(error)})`),
);

/** The page's one store of saved runs, on the training store. */
const savedRunsStore = createSavedRunsStore({ archive, training: trainingStore, applySetup: (setup) => pageStore.getState().loadSetup(setup) });

const flush = autosave(trainingStore, (experiment) => savedRunsStore.getState().save(experiment));
// A reload or a closed tab may come next: what was measured in the last second is saved now.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') void flush();
});

/** Subscribes a component to one slice of the saved runs' state (return a value or a stored object, never a fresh one). */
export function useSavedRuns<T>(selector: (state: SavedRunsState) => T): T {
  return useStore(savedRunsStore, selector);
}
