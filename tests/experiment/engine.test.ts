import { describe, expect, it } from 'vitest';
import { FALLBACK_INIT_SEED, loadBaseModel } from '../../src/experiment/base-model';
import { httpCheckpointLoader } from '../../src/experiment/browser-checkpoints';
import { applyPreset, makeRunConfig } from '../../src/experiment/config';
import type { RunConfig } from '../../src/config/fields';
import { Engine, type EngineTrainer, roundOrder } from '../../src/experiment/engine';
import { runSpecs } from '../../src/experiment/setup';
import type { EngineMessage, RunSpec } from '../../src/experiment/worker-protocol';
import { encodeCheckpoint } from '../../src/model/checkpoint';
import { modelConfig } from '../../src/model/config';
import { initParameters } from '../../src/model/init';
import { parameterLayout } from '../../src/model/layout';
import type { IterationMetrics } from '../../src/rl/metrics';
import { type PresetName, PRESETS } from '../../src/loss/presets';
import { TrainingDivergedError } from '../../src/rl/trainer';
import { point } from '../ui/points';
import { makeTask } from '../../src/tasks';

function metricsAt(iteration: number, accuracy: number | null = null): IterationMetrics {
  const startAccuracy = iteration === 0 ? 0.2 : null;
  const timing = { wallMs: 10, tokensPerSecond: 100, samplesSeen: 4 * (iteration + 1), elapsedMs: 10 * (iteration + 1) };
  return { ...point(iteration, { rewardMean: 0.5, rewardStd: 0.1, accuracy, startAccuracy, ...timing }), samples: [] };
}

/**
 * Trainers that log every step into `log`, call `afterStep` after each, and can be told to diverge at an
 * iteration; a snapshot is the iteration count, and a trainer built from one goes on from there.
 */
function fakeTrainers(log: string[], divergeAt: Partial<Record<string, number>> = {}, afterStep: () => void = () => {}) {
  const destroyed: string[] = [];
  const make = async (spec: RunSpec, from: number | null): Promise<EngineTrainer<number>> => {
    let iteration = from ?? 0;
    return {
      async step() {
        await Promise.resolve(); // a real step always yields
        if (divergeAt[spec.id] === iteration) throw new TrainingDivergedError(iteration, 0, Number.NaN);
        log.push(`${spec.id}@${iteration}`);
        afterStep();
        // As GrpoTrainer does: the run's last iteration measures held-out accuracy.
        const last = iteration === spec.config.iterations - 1;
        return metricsAt(iteration++, last ? 0.25 : null);
      },
      async snapshot() {
        return iteration;
      },
      destroy() {
        destroyed.push(spec.id);
      },
    };
  };
  return { make, destroyed };
}

/** The runs of one arm per preset in `algos`, without overrides, for `seeds` seeds from 7. */
function specs(iterations: number, algos: readonly PresetName[] = ['grpo', 'tic-grpo'], seeds = 1): RunSpec[] {
  return runSpecs({ config: makeRunConfig({ iterations, seed: 7 }), arms: algos.map((algo) => ({ algo, overrides: {} })), seeds });
}

function engineWithLog() {
  const messages: EngineMessage[] = [];
  const engine = new Engine<number>((m) => messages.push(m));
  return { engine, messages };
}

describe('runs of a setup', () => {
  it('are every arm × every seed, seed-major so the arms alternate, each labelled by its arm', () => {
    const all = specs(10, ['grpo', 'tic-grpo'], 3);
    expect(all.map((s) => s.id)).toEqual(['GRPO:7', 'TIC-GRPO:7', 'GRPO:8', 'TIC-GRPO:8', 'GRPO:9', 'TIC-GRPO:9']);
    expect(all.map((s) => [s.arm, s.algo, s.seed])).toEqual([
      ['GRPO', 'grpo', 7],
      ['TIC-GRPO', 'tic-grpo', 7],
      ['GRPO', 'grpo', 8],
      ['TIC-GRPO', 'tic-grpo', 8],
      ['GRPO', 'grpo', 9],
      ['TIC-GRPO', 'tic-grpo', 9],
    ]);
    for (const spec of all) expect(spec.config).toEqual({ ...applyPreset(makeRunConfig({ iterations: 10, seed: 7 }), spec.algo), seed: spec.seed });
  });

  it("of an arm with overrides train with them over the base, under the arm's label", () => {
    const base = makeRunConfig({ iterations: 4, K: 4, seed: 2 });
    const arms = [
      { algo: 'grpo' as const, overrides: {} },
      { algo: 'grpo' as const, overrides: { K: 1 } },
      { algo: 'tic-grpo' as const, overrides: { clipMode: 'zero-grad' as const } },
    ];
    const all = runSpecs({ config: base, arms, seeds: 2 });
    expect(all.map((s) => s.id)).toEqual(['GRPO:2', 'GRPO K=1:2', 'TIC-GRPO zero-grad:2', 'GRPO:3', 'GRPO K=1:3', 'TIC-GRPO zero-grad:3']);
    expect(all.map((s) => s.config.K)).toEqual([4, 1, 4, 4, 1, 4]);
    expect(all[2]!.config).toEqual({ ...applyPreset(base, 'tic-grpo'), clipMode: 'zero-grad' });
  });

  it('of one seed differ only in what the presets set, so they share prompts, sampling seeds and the base model', () => {
    const [grpo, tic] = specs(5).map((s) => s.config) as [RunConfig, RunConfig];
    const presetFields = new Set(['algo', 'advantage', ...Object.keys(PRESETS.grpo.loss)]);
    const differing = (Object.keys(grpo) as (keyof RunConfig)[]).filter((k) => grpo[k] !== tic[k]);
    expect(differing.length).toBeGreaterThan(0);
    for (const field of differing) expect(presetFields.has(field), field).toBe(true);
  });
});

describe('round order', () => {
  it('takes live runs in turn from the cursor, wrapping, and skips finished ones', () => {
    expect(roundOrder(['running', 'running', 'running'], 0)).toEqual([0, 1, 2]);
    expect(roundOrder(['running', 'running', 'running'], 2)).toEqual([2, 0, 1]);
    expect(roundOrder(['paused', 'failed', 'paused', 'done'], 1)).toEqual([2, 0]);
    expect(roundOrder(['done', 'failed', 'loading'], 0)).toEqual([]);
  });
});

describe('the engine', () => {
  it("interleaves one iteration of each run, passes on the last one's accuracy, and reports each run done", async () => {
    const log: string[] = [];
    const { make, destroyed } = fakeTrainers(log);
    const { engine, messages } = engineWithLog();
    await engine.start(specs(3, ['grpo', 'tic-grpo', 'dapo']), make);
    expect(log).toEqual(['GRPO:7@0', 'TIC-GRPO:7@0', 'DAPO:7@0', 'GRPO:7@1', 'TIC-GRPO:7@1', 'DAPO:7@1', 'GRPO:7@2', 'TIC-GRPO:7@2', 'DAPO:7@2']);
    const last = messages.filter((m) => m.type === 'metrics' && m.metrics.iteration === 2);
    expect(last.map((m) => m.type === 'metrics' && m.metrics.accuracy)).toEqual([0.25, 0.25, 0.25]);
    expect(messages.filter((m) => m.type === 'done').map((m) => m.type === 'done' && m.runId)).toEqual(['GRPO:7', 'TIC-GRPO:7', 'DAPO:7']);
    expect(destroyed).toEqual(['GRPO:7', 'TIC-GRPO:7', 'DAPO:7']);
    const states = messages.filter((m) => m.type === 'status' && m.runId === 'GRPO:7').map((m) => m.type === 'status' && m.state);
    expect(states).toEqual(['loading', 'running', 'done']);
  });

  it('stops a diverged run with its message and keeps training the others', async () => {
    const log: string[] = [];
    const { make } = fakeTrainers(log, { 'TIC-GRPO:7': 1 });
    const { engine, messages } = engineWithLog();
    await engine.start(specs(3), make);
    expect(log).toEqual(['GRPO:7@0', 'TIC-GRPO:7@0', 'GRPO:7@1', 'GRPO:7@2']);
    const error = messages.find((m) => m.type === 'error');
    expect(error).toMatchObject({ type: 'error', runId: 'TIC-GRPO:7' });
    expect(error?.message).toMatch(/diverged at iteration 2/);
    expect(messages.at(-1)).toEqual({ type: 'done', runId: 'GRPO:7' });
    expect(messages).toContainEqual({ type: 'status', runId: 'TIC-GRPO:7', state: 'failed', iteration: 1 });
  });

  it('reports a run whose trainer cannot be built as failed, and trains the rest', async () => {
    const log: string[] = [];
    const { make } = fakeTrainers(log);
    const { engine, messages } = engineWithLog();
    await engine.start(specs(1), (spec, from) => (spec.algo === 'grpo' ? Promise.reject(new Error('out of memory')) : make(spec, from)));
    expect(messages).toContainEqual({ type: 'error', runId: 'GRPO:7', message: 'out of memory' });
    expect(log).toEqual(['TIC-GRPO:7@0']);
  });

  it('pauses after the iteration in flight, steps one round, and resumes', async () => {
    const log: string[] = [];
    const { engine, messages } = engineWithLog();
    let pauseAt = 0;
    const { make } = fakeTrainers(log, {}, () => log.length === pauseAt && engine.pause());
    const started = engine.start(specs(4), make);
    engine.pause(); // before any trainer exists: they load, then wait
    await started;
    expect(log).toEqual([]);
    expect(messages.filter((m) => m.type === 'status').at(-1)).toMatchObject({ state: 'paused' });

    await engine.step();
    expect(log).toEqual(['GRPO:7@0', 'TIC-GRPO:7@0']);
    await engine.step();
    expect(log).toHaveLength(4);

    pauseAt = 5;
    await engine.resume();
    expect(log).toHaveLength(5);
    await engine.resume();
    expect(log).toHaveLength(8);
  });

  it('continues a round where a pause left it, so the arms stay level', async () => {
    const log: string[] = [];
    const { engine } = engineWithLog();
    // Paused after the first run's first iteration: the step that follows starts with the second run.
    const { make } = fakeTrainers(log, {}, () => log.length === 1 && engine.pause());
    await engine.start(specs(3), make);
    expect(log).toEqual(['GRPO:7@0']);
    await engine.step();
    expect(log).toEqual(['GRPO:7@0', 'TIC-GRPO:7@0', 'GRPO:7@1']);
  });

  it('after reset, reports nothing more from the old runs and frees their trainers', async () => {
    const log: string[] = [];
    const { engine, messages } = engineWithLog();
    let count = 0;
    // Reset while the third iteration is in flight: its metrics must not be reported.
    const { make, destroyed } = fakeTrainers(log, {}, () => {
      if (log.length !== 3) return;
      engine.reset();
      count = messages.length;
    });
    await engine.start(specs(50), make);
    await engine.idle();
    expect(log).toHaveLength(3);
    expect(messages.slice(count)).toEqual([]);
    expect(messages.filter((m) => m.type === 'metrics')).toHaveLength(2);
    expect(destroyed.sort()).toEqual(['GRPO:7', 'TIC-GRPO:7']);
  });

  it('on a device loss, drops the iteration in flight, rebuilds every unfinished run from its last snapshot, and trains on', async () => {
    const log: string[] = [];
    const { engine, messages } = engineWithLog();
    const rebuiltFrom: string[] = [];
    let lost = false;
    const { make, destroyed } = fakeTrainers(log, {}, () => {
      if (log.length !== 3 || lost) return;
      lost = true; // while grpo's second iteration is in flight
      engine.suspend();
      void engine.recover((spec, from) => {
        rebuiltFrom.push(`${spec.id}@${from}`);
        return make(spec, from);
      });
    });
    await engine.start(specs(3), make);
    await engine.idle();
    expect(rebuiltFrom).toEqual(['GRPO:7@1', 'TIC-GRPO:7@1']);
    expect(log).toEqual(['GRPO:7@0', 'TIC-GRPO:7@0', 'GRPO:7@1', 'GRPO:7@1', 'TIC-GRPO:7@1', 'GRPO:7@2', 'TIC-GRPO:7@2']);
    const iterations = (id: string) => messages.flatMap((m) => (m.type === 'metrics' && m.runId === id ? [m.metrics.iteration] : []));
    expect(iterations('GRPO:7')).toEqual([0, 1, 2]);
    expect(iterations('TIC-GRPO:7')).toEqual([0, 1, 2]);
    const states = messages.filter((m) => m.type === 'status' && m.runId === 'GRPO:7').map((m) => m.type === 'status' && `${m.state}@${m.iteration}`);
    expect(states).toEqual(['loading@0', 'running@0', 'loading@1', 'running@1', 'done@3']);
    expect(messages.filter((m) => m.type === 'error')).toEqual([]);
    expect(destroyed.sort()).toEqual(['GRPO:7', 'GRPO:7', 'TIC-GRPO:7', 'TIC-GRPO:7']);
  });

  it('keeps a pause given while the device is replaced, and rebuilds only the unfinished runs', async () => {
    const log: string[] = [];
    const { engine, messages } = engineWithLog();
    let lost = false;
    const { make } = fakeTrainers(log, {}, () => {
      if (log.length !== 3 || lost) return;
      lost = true; // grpo is done; tic-grpo's second iteration is in flight
      engine.suspend();
      engine.pause();
    });
    await engine.start([...specs(1, ['grpo']), ...specs(3, ['tic-grpo'])], make);
    expect(log).toEqual(['GRPO:7@0', 'TIC-GRPO:7@0', 'TIC-GRPO:7@1']);
    messages.length = 0;
    const rebuilt: string[] = [];
    await engine.recover((spec, from) => {
      rebuilt.push(`${spec.id}@${from}`);
      return make(spec, from);
    });
    expect(rebuilt).toEqual(['TIC-GRPO:7@1']);
    expect(messages).toEqual([{ type: 'status', runId: 'TIC-GRPO:7', state: 'paused', iteration: 1 }]);
    expect(log).toHaveLength(3);
    await engine.resume();
    expect(log.slice(3)).toEqual(['TIC-GRPO:7@1', 'TIC-GRPO:7@2']);
  });

  it('halts every live run at once when the device is lost', async () => {
    const log: string[] = [];
    const { engine, messages } = engineWithLog();
    const { make } = fakeTrainers(log, {}, () => log.length === 3 && engine.halt('The GPU device was lost'));
    await engine.start(specs(1000), make);
    await engine.idle();
    expect(log).toHaveLength(3);
    expect(messages.filter((m) => m.type === 'status' && m.state === 'failed').map((m) => m.type === 'status' && m.runId)).toEqual(['GRPO:7', 'TIC-GRPO:7']);
    expect(messages.filter((m) => m.type === 'error')).toEqual([{ type: 'error', message: 'The GPU device was lost' }]);
  });
});

describe('base models for the page', () => {
  const task = makeTask('add');
  const model = modelConfig('tiny', task.vocab.length, task.seqLen);

  function response(body: BodyInit | null, status: number, type: string) {
    return async () => new Response(body, { status, headers: { 'content-type': type } });
  }

  it('fetch checkpoints from the folder beside the page, and treat a 404 or a single-page-app fallback as missing', async () => {
    const asked: string[] = [];
    const ok = httpCheckpointLoader('https://lab.example/sub/checkpoints/', async (url) => {
      asked.push(String(url));
      return new Response(new Uint8Array([1, 2, 3]), { headers: { 'content-type': 'application/octet-stream' } });
    });
    expect(await ok('add-tiny.ckpt')).toEqual(new Uint8Array([1, 2, 3]));
    expect(asked).toEqual(['https://lab.example/sub/checkpoints/add-tiny.ckpt']);
    await expect(httpCheckpointLoader('https://x/', response('nope', 404, 'text/plain'))('a.ckpt')).rejects.toThrow('HTTP 404');
    await expect(httpCheckpointLoader('https://x/', response('<!doctype html>', 200, 'text/html'))('a.ckpt')).rejects.toThrow('web page');
  });

  it('start from the shipped checkpoint when there is one', async () => {
    const params = initParameters(model, parameterLayout(model), 42);
    const base = await loadBaseModel(task, 'tiny', async () => encodeCheckpoint(model, params), 'random-init');
    expect(base.notice).toBeNull();
    expect(base.params).toEqual(params);
  });

  it('fall back to one seeded initialisation, the same for every run, and say so', async () => {
    const missing = async () => {
      throw new Error('HTTP 404');
    };
    const [a, b] = await Promise.all([loadBaseModel(task, 'tiny', missing, 'random-init'), loadBaseModel(task, 'tiny', missing, 'random-init')]);
    expect(a.params).toEqual(initParameters(model, parameterLayout(model), FALLBACK_INIT_SEED));
    expect(b.params).toEqual(a.params);
    expect(a.notice).toMatch(/^No base model for add\/tiny yet \(add-tiny\.ckpt: HTTP 404\): training starts from a random initialisation/);
  });

  it('refuse, naming the command that makes one, where the caller will not train from noise (the CLI)', async () => {
    const missing = async () => {
      throw new Error('ENOENT');
    };
    await expect(loadBaseModel(task, 'small', missing, 'refuse')).rejects.toThrow(
      'No base checkpoint for task add and model small (add-small.ckpt: ENOENT). Make one with: npm run cli -- make-checkpoints --tasks add --model small',
    );
  });

  it('refuse a checkpoint that arrives broken rather than train from noise', async () => {
    for (const missing of ['random-init', 'refuse'] as const) {
      await expect(loadBaseModel(task, 'tiny', async () => new Uint8Array(16), missing)).rejects.toThrow(/Not a GRPO Lab checkpoint/);
    }
  });
});
