// The runs of the experiment on the page, and how the worker's messages change them. Pure: the store
// applies a batch of messages at a time, so the charts redraw once per batch, not once per message.
import type { RunSpec, RunState, WorkerToPage } from '../../experiment/worker-protocol';
import type { AdapterSummary } from '../../gpu/gpu';
import type { IterationMetrics, SampleRecord } from '../../rl/metrics';
import { unreachable } from '../../util/unreachable';

/** One iteration's numbers: everything but the samples, which only the latest iteration keeps. */
export type SeriesPoint = Omit<IterationMetrics, 'samples'>;

/** Where a run on the page stands: the worker's RunState, or `interrupted`: reopened unfinished (the page was closed while it trained). */
export type RunRecordState = RunState | 'interrupted';

export interface RunRecord {
  id: string;
  /** Its arm's label (RunSpec.arm). */
  arm: string;
  seed: number;
  /** Iterations the run was started for. */
  iterations: number;
  state: RunRecordState;
  /**
   * Every iteration so far, in order. Appended in place (the record itself is replaced): copying a
   * series of 100 000 points on every update would make a long run quadratic.
   */
  metrics: SeriesPoint[];
  /** The latest iteration's samples. */
  samples: SampleRecord[];
  error: string | null;
}

export interface RunsData {
  runs: RunRecord[];
  /** What the worker wants the user to know (e.g. that no base model is shipped yet), once each. */
  notices: string[];
  /** What stopped the whole experiment: no WebGPU in the worker, or a lost device. */
  failure: string | null;
  /** The adapter the worker trains on, once it has said. */
  adapter: AdapterSummary | null;
}

export function recordsFor(specs: readonly RunSpec[]): RunRecord[] {
  return specs.map(({ id, arm, seed, config }) => ({ id, arm, seed, iterations: config.iterations, state: 'loading', metrics: [], samples: [], error: null }));
}

/** Whether a run may still produce metrics. */
export function isUnfinished(run: RunRecord): boolean {
  return run.state !== 'done' && run.state !== 'failed' && run.state !== 'interrupted';
}

/** Runs shown again from storage or a file: the ones that were still going will never go on. */
export function reopened(runs: readonly RunRecord[]): RunRecord[] {
  return runs.map((run) => (isUnfinished(run) ? { ...run, state: 'interrupted' } : run));
}

/** `data` after `messages`; messages for runs not on the page (left over from an experiment since reset) are dropped. */
export function receive(data: RunsData, messages: readonly WorkerToPage[]): RunsData {
  const runs = [...data.runs];
  const index = new Map(runs.map((run, i) => [run.id, i]));
  const notices = [...data.notices];
  let { failure, adapter } = data;
  const update = (id: string, change: (run: RunRecord) => Partial<RunRecord>) => {
    const i = index.get(id);
    if (i !== undefined) runs[i] = { ...runs[i]!, ...change(runs[i]!) };
  };
  for (const message of messages) {
    switch (message.type) {
      case 'ready':
        adapter = message.adapter;
        break;
      case 'noWebGpu':
        failure = message.message;
        for (const run of runs) if (isUnfinished(run)) update(run.id, () => ({ state: 'failed' }));
        break;
      case 'metrics':
        update(message.runId, (run) => {
          const { samples, ...point } = message.metrics;
          run.metrics.push(point);
          return { samples };
        });
        break;
      case 'status':
        update(message.runId, () => ({ state: message.state }));
        break;
      case 'notice':
        if (!notices.includes(message.message)) notices.push(message.message);
        break;
      case 'error':
        if (message.runId === undefined) failure = message.message;
        else update(message.runId, () => ({ error: message.message }));
        break;
      case 'done':
        update(message.runId, () => ({ state: 'done' }));
        break;
      default:
        unreachable(message, 'worker message');
    }
  }
  return { runs, notices, failure, adapter };
}
