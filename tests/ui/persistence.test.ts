import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyPreset } from '../../src/experiment/config';
import type { PageSetup } from '../../src/experiment/setup';
import { writeExperimentFile } from '../../src/ui/export/experiment-file';
import type { ExperimentArchive } from '../../src/ui/persistence/archive';
import { autosave } from '../../src/ui/persistence/autosave';
import { type ExperimentV1, isExperimentV1, migrateExperimentV1 } from '../../src/ui/persistence/experiment-v1';
import { MemoryArchive } from '../../src/ui/persistence/memory-archive';
import { outcome, type SavedExperiment, summarize } from '../../src/ui/persistence/saved-experiment';
import { createSavedRunsStore } from '../../src/ui/persistence/saved-runs-store';
import { ThrottledSaver } from '../../src/ui/persistence/throttled-saver';
import { savedExperiment, shownExperiment } from './experiments';
import { metrics, SETUP, storeOnFakeWorker } from './fake-worker';

describe('the throttled saver', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('saves the latest value at once, then at most once per interval', async () => {
    const saved: number[] = [];
    const saver = new ThrottledSaver(async (v: number) => void saved.push(v), 1000);
    saver.request(1);
    saver.request(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(saved).toEqual([2]);
    saver.request(3);
    await vi.advanceTimersByTimeAsync(500);
    saver.request(4);
    await vi.advanceTimersByTimeAsync(499);
    expect(saved).toEqual([2]);
    await vi.advanceTimersByTimeAsync(1);
    expect(saved).toEqual([2, 4]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(saved).toEqual([2, 4]);
  });

  it('flushes at once, one save at a time, and resolves when all is saved', async () => {
    const log: string[] = [];
    let finish = () => {};
    const saver = new ThrottledSaver(async (v: string) => {
      log.push(`start ${v}`);
      if (v === 'slow') await new Promise<void>((resolve) => (finish = resolve));
      log.push(`end ${v}`);
    }, 1000);
    saver.request('slow');
    const first = saver.flush();
    saver.request('next');
    const second = saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['start slow']);
    finish();
    await first;
    await second;
    expect(log).toEqual(['start slow', 'end slow', 'start next', 'end next']);
  });
});

describe('autosave', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup() {
    const worker = storeOnFakeWorker();
    const saves: SavedExperiment[] = [];
    const flush = autosave(worker.store, async (e) => void saves.push(structuredClone(e)));
    return { ...worker, saves, flush };
  }
  const lengths = (e: SavedExperiment) => e.runs.map((r) => r.metrics.length);

  it('saves a started experiment at once, its growing series at most once a second, and a finished run at once', async () => {
    const { store, deliver, saves } = setup();
    store.getState().start({ ...SETUP, seeds: 1 });
    await vi.advanceTimersByTimeAsync(0);
    expect(saves.map((s) => [s.id, lengths(s)])).toEqual([['1', [0, 0]]]);
    for (let i = 0; i < 3; i++) {
      deliver({ type: 'metrics', runId: '1/GRPO:5', metrics: metrics(i) });
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(saves).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(700);
    expect(saves.map(lengths)).toEqual([
      [0, 0],
      [3, 0],
    ]);
    deliver({ type: 'metrics', runId: '1/TIC-GRPO:5', metrics: metrics(0) });
    deliver({ type: 'status', runId: '1/GRPO:5', state: 'done', iteration: 3 });
    await vi.advanceTimersByTimeAsync(0);
    expect(saves.at(-1)!.runs.map((r) => [r.state, r.metrics.length])).toEqual([
      ['done', 3],
      ['loading', 1],
    ]);
    expect(saves.at(-1)!.setup.seeds).toBe(1);
  });

  it('saves the last of an experiment before a new one or a reset replaces it, and flushes when asked', async () => {
    const { store, deliver, saves, flush } = setup();
    store.getState().start(SETUP);
    await vi.advanceTimersByTimeAsync(0);
    deliver({ type: 'metrics', runId: '1/GRPO:5', metrics: metrics(0) });
    store.getState().start(SETUP);
    await vi.advanceTimersByTimeAsync(0);
    expect(saves.map((s) => [s.id, lengths(s)[0]])).toEqual([
      ['1', 0],
      ['1', 1],
    ]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(saves.at(-1)!.id).toBe('2');
    deliver({ type: 'metrics', runId: '2/GRPO:5', metrics: metrics(0) });
    await flush();
    expect(saves.map((s) => [s.id, lengths(s)[0]])).toEqual([
      ['1', 0],
      ['1', 1],
      ['2', 0],
      ['2', 1],
    ]);
    deliver({ type: 'metrics', runId: '2/GRPO:5', metrics: metrics(1) });
    store.getState().reset();
    await vi.advanceTimersByTimeAsync(5000);
    expect(saves.map((s) => [s.id, lengths(s)[0]]).at(-1)).toEqual(['2', 2]);
    expect(saves).toHaveLength(5);
  });
});

describe('saved runs', () => {
  const applied: PageSetup[] = [];
  beforeEach(() => {
    applied.length = 0;
  });

  async function savedRuns(archive: ExperimentArchive, prepare: (training: ReturnType<typeof storeOnFakeWorker>) => void = () => {}) {
    const training = storeOnFakeWorker();
    prepare(training);
    const store = createSavedRunsStore({ archive: Promise.resolve(archive), training: training.store, applySetup: (s) => applied.push(s) });
    await vi.waitFor(() => expect(store.getState().summaries).not.toBeNull());
    return { store, training: training.store };
  }

  async function archiveWith(...experiments: SavedExperiment[]) {
    const archive = new MemoryArchive('in a test');
    for (const e of experiments) await archive.save(e);
    return archive;
  }

  it('are listed newest first, and the newest is back on the page after a reload, unfinished runs interrupted, the link untouched', async () => {
    const archive = await archiveWith(savedExperiment('a', 1000), savedExperiment('b', 3000, 1, 'running'), savedExperiment('c', 2000));
    const { store, training } = await savedRuns(archive);
    expect(store.getState().summaries!.map((s) => s.id)).toEqual(['b', 'c', 'a']);
    expect(store.getState().volatile).toBe('in a test');
    await vi.waitFor(() => expect(training.getState().experiment?.id).toBe('b'));
    expect(training.getState().runs.map((r) => [r.state, r.metrics.length])).toEqual([
      ['interrupted', 1],
      ['interrupted', 1],
      ['interrupted', 1],
      ['interrupted', 1],
    ]);
    expect(training.getState().mode).toBe('idle');
    expect(applied).toEqual([]);
  });

  it('do not replace an experiment the user started before storage answered', async () => {
    const { training } = await savedRuns(await archiveWith(savedExperiment('a', 1000)), ({ store }) => store.getState().start(SETUP));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(training.getState().experiment?.id).toBe('1');
  });

  it('open with their curves and setup, and are deleted from storage', async () => {
    const archive = await archiveWith(savedExperiment('a', 1000), savedExperiment('b', 2000));
    const { store, training } = await savedRuns(archive);
    await store.getState().open('a');
    expect(training.getState().experiment?.id).toBe('a');
    expect(training.getState().runs[0]!.metrics.map((m) => m.rewardMean)).toEqual([5, 5.1]);
    expect(applied).toEqual([SETUP]);
    await store.getState().remove('a');
    expect(store.getState().summaries!.map((s) => s.id)).toEqual(['b']);
    expect(await archive.load('a')).toBeNull();
    expect(training.getState().experiment?.id).toBe('a'); // still on the page until replaced
  });

  it('import an exported file as the experiment on the page, and refuse a bad one naming the problem, changing nothing', async () => {
    const { store, training } = await savedRuns(new MemoryArchive('in a test'));
    store.getState().importFile(writeExperimentFile(shownExperiment('x', 5000), new Date()), 'x.json');
    expect(store.getState().importError).toBeNull();
    expect(training.getState().experiment).toEqual({ id: 'x', createdAt: 5000, setup: SETUP });
    expect(applied).toEqual([SETUP]);
    const before = training.getState();
    store.getState().importFile('{"format":"grpo-lab-experiment","version":7}', 'future.json');
    expect(store.getState().importError).toBe('future.json: This file is in format version 7; this page reads versions 1 and 2.');
    expect(training.getState()).toBe(before);
  });

  it('say what failed when storage refuses, keep the runs on the page, and clear the message once saving works again', async () => {
    const archive = new MemoryArchive('in a test');
    const full = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const save = vi.spyOn(archive, 'save').mockRejectedValueOnce(full).mockRejectedValueOnce(new Error('disk on fire'));
    const { store, training } = await savedRuns(archive);
    training.getState().open(shownExperiment('a', 1000));
    const runs = training.getState().runs;

    await store.getState().save({ ...shownExperiment('a', 1000), savedAt: 2000 });
    expect(store.getState().problem).toBe(
      "Saving the runs failed: the browser's storage for this page is full. Export and delete some saved runs; the runs on the page are kept meanwhile.",
    );
    await store.getState().save({ ...shownExperiment('a', 1000), savedAt: 3000 });
    expect(store.getState().problem).toBe('Saving the runs failed: disk on fire. The runs on the page are kept.');
    expect(training.getState().runs).toBe(runs);
    expect(store.getState().summaries).toEqual([]);

    await store.getState().save({ ...shownExperiment('a', 1000), savedAt: 4000 });
    expect(save).toHaveBeenCalledTimes(3);
    expect(store.getState().problem).toBeNull();
    expect(store.getState().summaries!.map((s) => [s.id, s.savedAt])).toEqual([['a', 4000]]);
  });
});

describe('an experiment saved by version 1 (a compare list)', () => {
  it('migrates as a version-1 link does: each compared preset an arm, each run keyed by its arm’s label, the rest kept', () => {
    const saved = savedExperiment('a', 1000, 2);
    const v1: ExperimentV1 & { savedAt: number } = {
      ...saved,
      setup: { config: { ...applyPreset(SETUP.config, 'dapo'), seeds: 2 }, compare: ['grpo', 'tic-grpo'] },
      runs: saved.runs.map((run) => ({ ...run, arm: run.arm === 'GRPO' ? 'grpo' : 'tic-grpo' })),
    };
    expect(isExperimentV1(v1)).toBe(true);
    expect(isExperimentV1(saved)).toBe(false);
    const migrated = migrateExperimentV1(v1);
    expect(migrated).toEqual(saved);
    expect(summarize(migrated).arms).toEqual(['GRPO', 'TIC-GRPO']);
  });
});

describe('a saved experiment’s summary', () => {
  it('names what ran and how far it came', () => {
    const summary = summarize(savedExperiment('a', 1000, 2));
    expect(summary).toEqual({
      id: 'a',
      createdAt: 1000,
      savedAt: 2000,
      arms: ['GRPO', 'TIC-GRPO'],
      task: 'add',
      model: 'tiny',
      seeds: 2,
      iterations: 3,
      completed: 2,
      states: ['done', 'done', 'done', 'done'],
    });
    expect(outcome(summary)).toBe('finished');
    expect(outcome({ ...summary, states: ['done', 'failed', 'interrupted', 'done'] })).toBe('1 of 4 runs stopped, interrupted');
    expect(outcome({ ...summary, states: ['running', 'paused'] })).toBe('interrupted');
  });
});
