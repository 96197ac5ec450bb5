// The list of saved experiments and what the user does with it: open one, delete one, import a file.
// Free of React and of IndexedDB: tests drive it with a MemoryArchive.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PageSetup } from '../../experiment/setup';
import { readExperimentFile } from '../export/experiment-file';
import type { ShownExperiment, TrainingState } from '../training/store';
import { type ExperimentArchive, newestFirst, storageProblem } from './archive';
import { type ExperimentSummary, type SavedExperiment, summarize } from './saved-experiment';

export interface SavedRunsState {
  /** Saved experiments, newest first; null until storage has answered. */
  summaries: ExperimentSummary[] | null;
  /** Why saved runs last only while the page is open; null when they outlive it. */
  volatile: string | null;
  /** The last thing storage refused; cleared when it next succeeds. */
  problem: string | null;
  /** What was wrong with the last file the user tried to import. */
  importError: string | null;
  /** Saves the experiment (autosave calls this). */
  save(experiment: SavedExperiment): Promise<void>;
  /** Shows a saved experiment on the page and sets the controls to its setup. */
  open(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  /** Shows the experiment of an exported file, which autosave then saves; a bad file is explained and changes nothing. */
  importFile(text: string, fileName: string): void;
}

export interface SavedRunsDeps {
  /** Storage once it is open; never rejects (a MemoryArchive stands in where IndexedDB is refused). */
  archive: Promise<ExperimentArchive>;
  training: StoreApi<TrainingState>;
  /** Sets the page's controls (and link) to a setup. */
  applySetup(setup: PageSetup): void;
}

export function createSavedRunsStore({ archive, training, applySetup }: SavedRunsDeps): StoreApi<SavedRunsState> {
  const store = createStore<SavedRunsState>()((set, get) => {
    function show(experiment: ShownExperiment) {
      training.getState().open(experiment);
      applySetup(experiment.setup);
    }

    return {
      summaries: null,
      volatile: null,
      problem: null,
      importError: null,
      async save(experiment) {
        if (!(await attempt('Saving the runs', (a) => a.save(experiment)))) return;
        const summary = summarize(experiment);
        set({ summaries: newestFirst([summary, ...(get().summaries ?? []).filter((s) => s.id !== summary.id)]) });
      },
      async open(id) {
        const loaded = await attempt('Opening the saved runs', (a) => a.load(id));
        if (!loaded) return;
        if (loaded.value) show(loaded.value);
        else set({ problem: 'Those saved runs are gone (deleted in another tab?).', summaries: (get().summaries ?? []).filter((s) => s.id !== id) });
      },
      async remove(id) {
        if (await attempt('Deleting the saved runs', (a) => a.remove(id))) set({ summaries: (get().summaries ?? []).filter((s) => s.id !== id) });
      },
      importFile(text, fileName) {
        const read = readExperimentFile(text);
        if ('error' in read) return set({ importError: `${fileName}: ${read.error}` });
        set({ importError: null });
        show(read.experiment);
      },
    };
  });

  /** Runs `action` on the archive; a failure becomes the visible problem (null), and what the page shows is untouched. */
  async function attempt<T>(what: string, action: (a: ExperimentArchive) => Promise<T>): Promise<{ value: T } | null> {
    try {
      const value = await action(await archive);
      if (store.getState().problem) store.setState({ problem: null });
      return { value };
    } catch (error) {
      store.setState({ problem: storageProblem(what, error) });
      return null;
    }
  }

  // The list, then the newest experiment back on the page, unless the user has started one meanwhile.
  void (async () => {
    store.setState({ volatile: (await archive).volatile });
    const listed = await attempt('Reading the saved runs', (a) => a.list());
    const summaries = listed?.value ?? [];
    store.setState({ summaries });
    if (!summaries[0] || training.getState().experiment) return;
    const newest = await attempt('Reading the saved runs', (a) => a.load(summaries[0]!.id));
    if (newest?.value && !training.getState().experiment) training.getState().open(newest.value);
  })();
  return store;
}
