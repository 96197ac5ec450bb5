import { describe, expect, it } from 'vitest';
import { makeRunConfig } from '../../src/experiment/config';
import type { PageSetup } from '../../src/experiment/url';
import type { PageToWorker, WorkerToPage } from '../../src/experiment/worker-protocol';
import type { IterationMetrics } from '../../src/rl/metrics';
import { armProgress, formatDuration, timeLeftMs } from '../../src/ui/training/progress';
import { receive, type RunRecord, type RunsData } from '../../src/ui/training/runs';
import { createTrainingStore } from '../../src/ui/training/store';
import { point } from './points';

const SETUP: PageSetup = { config: makeRunConfig({ iterations: 3, seeds: 2, seed: 5 }), compare: ['grpo', 'tic-grpo'] };

function metrics(iteration: number): IterationMetrics {
  return { ...point(iteration), samples: [{ prompt: '12+3=', completion: ['1', '5', '<eos>'], reward: 1, ratios: [1, 1.1, 0.9] }] };
}

/** A training store on a stand-in worker: what the page posted, and a way to deliver the worker's messages. */
function storeOnFakeWorker() {
  const posted: PageToWorker[] = [];
  let deliver: (messages: readonly WorkerToPage[]) => void = () => {
    throw new Error('the worker was never started');
  };
  let connections = 0;
  const store = createTrainingStore((d) => {
    connections++;
    deliver = d;
    return (message) => posted.push(message);
  }, 'https://lab.example/checkpoints/');
  return { store, posted, deliver: (...messages: WorkerToPage[]) => deliver(messages), connections: () => connections };
}

describe('the training store', () => {
  it('starts the worker on first use and sends every arm × seed of the setup, under ids of this experiment', () => {
    const { store, posted, connections } = storeOnFakeWorker();
    store.getState().reset();
    expect(connections()).toBe(0); // nothing to reset: no worker is started for it
    store.getState().start(SETUP);
    expect(connections()).toBe(1);
    const start = posted[0]!;
    expect(start.type === 'start' && start.runs.map((r) => r.id)).toEqual(['1/grpo:5', '1/tic-grpo:5', '1/grpo:6', '1/tic-grpo:6']);
    expect(start.type === 'start' && start.checkpointBase).toBe('https://lab.example/checkpoints/');
    const { runs, mode } = store.getState();
    expect(mode).toBe('running');
    expect(runs.map((r) => [r.arm, r.seed, r.state, r.iterations])).toEqual([['grpo', 5, 'loading', 3], ['tic-grpo', 5, 'loading', 3], ['grpo', 6, 'loading', 3], ['tic-grpo', 6, 'loading', 3]]);
  });

  it('sends pause, resume, step and reset only when they mean something', () => {
    const { store, posted } = storeOnFakeWorker();
    const s = () => store.getState();
    s().pause();
    s().step();
    expect(posted).toEqual([]);
    s().start(SETUP);
    s().resume(); // already running
    s().pause();
    s().pause();
    expect(s().mode).toBe('paused');
    s().step();
    s().resume();
    s().reset();
    expect(posted.map((m) => m.type)).toEqual(['start', 'pause', 'step', 'resume', 'reset']);
    expect(s().mode).toBe('idle');
    expect(s().runs).toEqual([]);
  });

  it('appends metrics, keeps the latest samples, and drops messages left over from an earlier experiment', () => {
    const { store, deliver } = storeOnFakeWorker();
    store.getState().start(SETUP);
    store.getState().start(SETUP); // experiment 2: messages for 1/… are stale
    deliver(
      { type: 'metrics', runId: '1/grpo:5', metrics: metrics(0) },
      { type: 'status', runId: '2/grpo:5', state: 'running', iteration: 0 },
      { type: 'metrics', runId: '2/grpo:5', metrics: metrics(0) },
      { type: 'metrics', runId: '2/grpo:5', metrics: metrics(1) },
    );
    const run = store.getState().runs[0]!;
    expect(run.state).toBe('running');
    expect(run.metrics.map((m) => m.iteration)).toEqual([0, 1]);
    expect(run.metrics[0]).not.toHaveProperty('samples');
    expect(run.samples[0]?.completion).toEqual(['1', '5', '<eos>']);
    expect(store.getState().runs[1]!.metrics).toEqual([]);
  });

  it('turns idle once every run is done or failed', () => {
    const { store, deliver } = storeOnFakeWorker();
    store.getState().start({ ...SETUP, config: { ...SETUP.config, seeds: 1 } });
    deliver({ type: 'status', runId: '1/grpo:5', state: 'done', iteration: 3 });
    expect(store.getState().mode).toBe('running');
    deliver({ type: 'error', runId: '1/tic-grpo:5', message: 'Training diverged' }, { type: 'status', runId: '1/tic-grpo:5', state: 'failed', iteration: 1 });
    expect(store.getState().mode).toBe('idle');
    expect(store.getState().runs[1]!.error).toBe('Training diverged');
  });
});

describe('worker messages', () => {
  const empty: RunsData = { runs: [], notices: [], failure: null, adapter: null };
  const run = (id: string): RunRecord => ({ id, arm: 'grpo', seed: 1, iterations: 5, state: 'running', metrics: [], samples: [], error: null });

  it('show each notice once, and an error without a run as the experiment’s failure', () => {
    const data = receive({ ...empty, runs: [run('a')] }, [
      { type: 'notice', message: 'No base model for add/tiny yet' },
      { type: 'notice', message: 'No base model for add/tiny yet' },
      { type: 'error', message: 'The GPU device was lost' },
    ]);
    expect(data.notices).toEqual(['No base model for add/tiny yet']);
    expect(data.failure).toBe('The GPU device was lost');
    expect(data.runs[0]!.state).toBe('running'); // its own status message says when it stops
  });

  it('fail every unfinished run where the worker has no WebGPU', () => {
    const data = receive({ ...empty, runs: [run('a'), { ...run('b'), state: 'done' }] }, [{ type: 'noWebGpu', message: 'navigator.gpu is missing.' }]);
    expect(data.runs.map((r) => r.state)).toEqual(['failed', 'done']);
    expect(data.failure).toBe('navigator.gpu is missing.');
  });
});

describe('progress', () => {
  const record = (arm: 'grpo' | 'tic-grpo', seed: number, done: number, wallMs: number, state: RunRecord['state'] = 'running'): RunRecord => ({
    id: `${arm}:${seed}`, arm, seed, iterations: 10, state, samples: [], error: null,
    metrics: Array.from({ length: done }, (_, i) => point(i, { wallMs, tokensPerSecond: 1000 / wallMs })),
  });

  it('counts an arm by its slowest seed still going, and averages its pace', () => {
    const [grpo, tic] = armProgress([record('grpo', 1, 4, 100), record('tic-grpo', 1, 3, 200), record('grpo', 2, 3, 300), record('tic-grpo', 2, 1, 200, 'failed')]);
    expect(grpo).toMatchObject({ arm: 'grpo', done: 3, total: 10, msPerIteration: 200, tokensPerSecond: (10 + 1000 / 300) / 2 });
    expect(tic).toMatchObject({ arm: 'tic-grpo', done: 3, total: 10 });
  });

  it('adds up the remaining iterations of every unfinished run at its own pace, since they take turns', () => {
    expect(timeLeftMs([record('grpo', 1, 0, 0)])).toBeNull();
    // 6 left at 100 ms, 7 left at 200 ms, and a run not timed yet at the mean pace (150 ms); a failed run adds nothing.
    const runs = [record('grpo', 1, 4, 100), record('tic-grpo', 1, 3, 200), record('grpo', 2, 0, 0), record('tic-grpo', 2, 1, 500, 'failed')];
    expect(timeLeftMs(runs)).toBe(6 * 100 + 7 * 200 + 10 * ((100 + 200 + 500) / 3));
  });

  it('says durations the way people do', () => {
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(3_720_000)).toBe('1 h 2 min');
  });
});
