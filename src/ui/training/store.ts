// The training half of the page's state: the runs and the commands that drive the worker. Free of
// React and of Worker, so that tests can drive it with a stand-in channel.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { runSpecs } from '../../experiment/engine';
import type { PageSetup } from '../../experiment/url';
import type { PageToWorker, WorkerToPage } from '../../experiment/worker-protocol';
import { isUnfinished, receive, recordsFor, type RunsData } from './runs';

/** What the user asked for last: nothing yet (or everything finished), training, or paused. */
export type TrainingMode = 'idle' | 'running' | 'paused';

export interface TrainingState extends RunsData {
  mode: TrainingMode;
  /** Trains every compared preset × every seed of `setup`, replacing what ran before. */
  start(setup: PageSetup): void;
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

const EMPTY: RunsData = { runs: [], notices: [], failure: null, adapter: null };

export function createTrainingStore(connect: Connect, checkpointBase: string): StoreApi<TrainingState> {
  return createStore<TrainingState>()((set, get) => {
    let send: ((message: PageToWorker) => void) | null = null;
    const post = (message: PageToWorker) => {
      send ??= connect((messages) => get().receive(messages));
      send(message);
    };
    // Run ids carry the experiment's number, so messages still in flight from an earlier one are dropped.
    let experiment = 0;

    return {
      ...EMPTY,
      mode: 'idle',
      start(setup) {
        experiment++;
        const runs = runSpecs(setup).map((spec) => ({ ...spec, id: `${experiment}/${spec.id}` }));
        set({ ...EMPTY, adapter: get().adapter, runs: recordsFor(runs), mode: 'running' });
        post({ type: 'start', runs, checkpointBase });
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
