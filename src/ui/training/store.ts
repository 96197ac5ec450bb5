// The training half of the page's state: the runs and the commands that drive the worker. Free of
// React and of Worker, so that tests can drive it with a stand-in channel.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { runSpecs } from '../../experiment/setup';
import type { PageSetup } from '../../experiment/setup';
import type { PageToWorker, WorkerToPage } from '../../experiment/worker-protocol';
import { isUnfinished, receive, recordsFor, reopened, type RunsData } from './runs';

/** What the user asked for last: nothing yet (or everything finished), training, or paused. */
export type TrainingMode = 'idle' | 'running' | 'paused';

/** An experiment: its id (its key in storage, and the prefix of its run ids), when it was started (ms since 1970), and its setup. */
export interface ExperimentInfo {
  id: string;
  createdAt: number;
  setup: PageSetup;
}

/** An experiment as the page shows it: what it ran and everything it measured. */
export interface ShownExperiment extends ExperimentInfo, Pick<RunsData, 'runs' | 'notices' | 'failure'> {}

export interface TrainingState extends RunsData {
  mode: TrainingMode;
  /** The experiment on the page, started here or reopened; null before the first and after a reset. */
  experiment: ExperimentInfo | null;
  /** Trains every arm × every seed of `setup`, replacing what ran before. */
  start(setup: PageSetup): void;
  /** Shows a saved or imported experiment in place of the current one, which stops; runs it left unfinished show as interrupted. */
  open(experiment: ShownExperiment): void;
  pause(): void;
  resume(): void;
  /** One iteration of each unfinished run, then paused. */
  step(): void;
  reset(): void;
  /** Applies a batch of the worker's messages. */
  receive(messages: readonly WorkerToPage[]): void;
}

/** Opens the channel to the worker on first use; `deliver` receives its messages in batches. */
export type Connect = (deliver: (messages: readonly WorkerToPage[]) => void) => (message: PageToWorker) => void;

const EMPTY: RunsData & { experiment: null } = { runs: [], notices: [], failure: null, adapter: null, experiment: null };

/** An id no other experiment has, in this browser or another: the time and a random tail. */
function newExperimentId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export function createTrainingStore(connect: Connect, checkpointBase: string, newId: () => string = newExperimentId): StoreApi<TrainingState> {
  return createStore<TrainingState>()((set, get) => {
    let send: ((message: PageToWorker) => void) | null = null;
    const post = (message: PageToWorker) => {
      send ??= connect((messages) => get().receive(messages));
      send(message);
    };

    return {
      ...EMPTY,
      mode: 'idle',
      start(setup) {
        const experiment = { id: newId(), createdAt: Date.now(), setup };
        // Run ids carry the experiment's id, so messages still in flight from an earlier one are dropped.
        const runs = runSpecs(setup).map((spec) => ({ ...spec, id: `${experiment.id}/${spec.id}` }));
        set({ ...EMPTY, adapter: get().adapter, experiment, runs: recordsFor(runs), mode: 'running' });
        post({ type: 'start', runs, checkpointBase });
      },
      open({ id, createdAt, setup, runs, notices, failure }) {
        if (get().mode !== 'idle') send?.({ type: 'reset' });
        set({ adapter: get().adapter, experiment: { id, createdAt, setup }, runs: reopened(runs), notices, failure, mode: 'idle' });
      },
      pause() {
        if (get().mode !== 'running') return;
        set({ mode: 'paused' });
        post({ type: 'pause' });
      },
      resume() {
        if (get().mode !== 'paused') return;
        set({ mode: 'running' });
        post({ type: 'resume' });
      },
      step() {
        if (get().mode === 'idle') return;
        set({ mode: 'paused' });
        post({ type: 'step' });
      },
      reset() {
        set({ ...EMPTY, adapter: get().adapter, mode: 'idle' });
        send?.({ type: 'reset' }); // no worker yet: nothing to reset
      },
      receive(messages) {
        const data = receive(get(), messages);
        const finished = data.runs.length > 0 && !data.runs.some(isUnfinished);
        set({ ...data, mode: finished ? 'idle' : get().mode });
      },
    };
  });
}
