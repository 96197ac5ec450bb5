import { describe, expect, it } from 'vitest';
import { armProgress, formatDuration, timeLeftMs } from '../../src/ui/training/progress';
import { receive, type RunRecord, type RunsData } from '../../src/ui/training/runs';
import { metrics, SETUP, storeOnFakeWorker } from './fake-worker';
import { point } from './points';

describe('the training store', () => {
  it('starts the worker on first use and sends every arm × seed of the setup, under ids of this experiment', () => {
    const { store, posted, connections } = storeOnFakeWorker();
    store.getState().reset();
    expect(connections()).toBe(0); // nothing to reset: no worker is started for it
    store.getState().start(SETUP);
    expect(connections()).toBe(1);
    const start = posted[0]!;
    expect(start.type === 'start' && start.runs.map((r) => r.id)).toEqual(['1/GRPO:5', '1/TIC-GRPO:5', '1/GRPO:6', '1/TIC-GRPO:6']);
    expect(start.type === 'start' && start.checkpointBase).toBe('https://lab.example/checkpoints/');
    const { runs, mode, experiment } = store.getState();
    expect(mode).toBe('running');
    expect(experiment).toMatchObject({ id: '1', setup: SETUP });
    expect(runs.map((r) => [r.arm, r.seed, r.state, r.iterations])).toEqual([
      ['GRPO', 5, 'loading', 3],
      ['TIC-GRPO', 5, 'loading', 3],
      ['GRPO', 6, 'loading', 3],
      ['TIC-GRPO', 6, 'loading', 3],
    ]);
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
    expect(s().experiment).toBeNull();
  });

  it('opens a saved experiment in place of a running one: stops the worker, keeps the curves, marks unfinished runs interrupted', () => {
    const { store, posted, deliver } = storeOnFakeWorker();
    store.getState().start(SETUP);
    deliver({ type: 'notice', message: 'from the running one' });
    const saved = {
      id: 'old',
      createdAt: 1_700_000_000_000,
      setup: SETUP,
      notices: ['No base model for add/tiny yet'],
      failure: null,
      runs: [
        {
          id: 'old/GRPO:5',
          arm: 'GRPO',
          seed: 5,
          iterations: 3,
          state: 'done' as const,
          metrics: [point(0), point(1), point(2)],
          samples: [],
          error: null,
        },
        { id: 'old/TIC-GRPO:5', arm: 'TIC-GRPO', seed: 5, iterations: 3, state: 'running' as const, metrics: [point(0)], samples: [], error: null },
      ],
    };
    store.getState().open(saved);
    expect(posted.map((m) => m.type)).toEqual(['start', 'reset']);
    const s = store.getState();
    expect(s.mode).toBe('idle');
    expect(s.experiment).toEqual({ id: 'old', createdAt: 1_700_000_000_000, setup: SETUP });
    expect(s.runs.map((r) => [r.state, r.metrics.length])).toEqual([
      ['done', 3],
      ['interrupted', 1],
    ]);
    expect(s.notices).toEqual(['No base model for add/tiny yet']);
    // Messages of the experiment that was running are not mistaken for the reopened one's.
    deliver({ type: 'metrics', runId: '1/GRPO:5', metrics: metrics(3) });
    expect(store.getState().runs[0]!.metrics).toHaveLength(3);
  });

  it('appends metrics, keeps the latest samples, and drops messages left over from an earlier experiment', () => {
    const { store, deliver } = storeOnFakeWorker();
    store.getState().start(SETUP);
    store.getState().start(SETUP); // experiment 2: messages for 1/… are stale
    deliver(
      { type: 'metrics', runId: '1/GRPO:5', metrics: metrics(0) },
      { type: 'status', runId: '2/GRPO:5', state: 'running', iteration: 0 },
      { type: 'metrics', runId: '2/GRPO:5', metrics: metrics(0) },
      { type: 'metrics', runId: '2/GRPO:5', metrics: metrics(1) },
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
    store.getState().start({ ...SETUP, seeds: 1 });
    deliver({ type: 'status', runId: '1/GRPO:5', state: 'done', iteration: 3 });
    expect(store.getState().mode).toBe('running');
    deliver({ type: 'error', runId: '1/TIC-GRPO:5', message: 'Training diverged' }, { type: 'status', runId: '1/TIC-GRPO:5', state: 'failed', iteration: 1 });
    expect(store.getState().mode).toBe('idle');
    expect(store.getState().runs[1]!.error).toBe('Training diverged');
  });
});

describe('worker messages', () => {
  const empty: RunsData = { runs: [], notices: [], failure: null, adapter: null };
  const run = (id: string): RunRecord => ({ id, arm: 'GRPO', seed: 1, iterations: 5, state: 'running', metrics: [], samples: [], error: null });

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
  const record = (arm: string, seed: number, done: number, wallMs: number, state: RunRecord['state'] = 'running'): RunRecord => ({
    id: `${arm}:${seed}`,
    arm,
    seed,
    iterations: 10,
    state,
    samples: [],
    error: null,
    metrics: Array.from({ length: done }, (_, i) => point(i, { wallMs, tokensPerSecond: 1000 / wallMs })),
  });

  it('counts an arm by its slowest seed still going, and averages its pace', () => {
    const [grpo, tic] = armProgress([
      record('GRPO', 1, 4, 100),
      record('TIC-GRPO', 1, 3, 200),
      record('GRPO', 2, 3, 300),
      record('TIC-GRPO', 2, 1, 200, 'failed'),
    ]);
    expect(grpo).toMatchObject({ arm: 'GRPO', done: 3, total: 10, msPerIteration: 200, tokensPerSecond: (10 + 1000 / 300) / 2 });
    expect(tic).toMatchObject({ arm: 'TIC-GRPO', done: 3, total: 10 });
  });

  it('adds up the remaining iterations of every unfinished run at its own pace, since they take turns', () => {
    expect(timeLeftMs([record('GRPO', 1, 0, 0)])).toBeNull();
    // 6 left at 100 ms, 7 left at 200 ms, and a run not timed yet at the mean pace (150 ms); a failed run adds nothing.
    const runs = [record('GRPO', 1, 4, 100), record('TIC-GRPO', 1, 3, 200), record('GRPO', 2, 0, 0), record('TIC-GRPO', 2, 1, 500, 'failed')];
    expect(timeLeftMs(runs)).toBe(6 * 100 + 7 * 200 + 10 * ((100 + 200 + 500) / 3));
  });

  it('says durations the way people do', () => {
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(3_720_000)).toBe('1 h 2 min');
  });
});
