import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeRunConfig } from '../../src/experiment/config';
import { runSpecs } from '../../src/experiment/setup';
import type { RunSpec, WorkerToPage } from '../../src/experiment/worker-protocol';
import { WorkerSession } from '../../src/experiment/worker-session';
import type { Gpu } from '../../src/gpu/gpu';
import type { IterationMetrics } from '../../src/rl/metrics';
import { freshDevices } from '../helpers/devices';
import { trackBuffers } from '../helpers/buffer-tracker';

// The worker's session on real devices (Dawn; SwiftShader without a GPU): what the page's Start and Reset do
// to GPU memory, and whether the same link gives the same numbers.
const newDevice = freshDevices();

/** GRPO against TIC-GRPO on the shipped `reverse` base model, two seeds, tiny batches. */
function specs(iterations: number): RunSpec[] {
  const config = makeRunConfig({ task: 'reverse', reward: 'dense', B: 2, G: 2, M: 2, K: 2, lr: 1e-3, iterations, evalEvery: 1000, seed: 4 });
  return runSpecs({
    config,
    arms: [
      { algo: 'grpo', overrides: {} },
      { algo: 'tic-grpo', overrides: { K: 1 } },
    ],
    seeds: 2,
  });
}

function session(gpu: Gpu) {
  const messages: WorkerToPage[] = [];
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  const s = new WorkerSession({
    openGpu: async () => gpu,
    checkpointLoader: () => async (name) => new Uint8Array(readFileSync(new URL(`../../public/checkpoints/${name}`, import.meta.url))),
    post: (message) => {
      messages.push(message);
      for (const w of waiters.filter((w) => w.test())) w.resolve();
    },
  });
  const until = (test: () => boolean) => new Promise<void>((resolve) => (test() ? resolve() : waiters.push({ test, resolve })));
  return { s, messages, until };
}

/** Everything an iteration measured but its timings. */
function deterministic({ wallMs, tokensPerSecond, elapsedMs, ...rest }: IterationMetrics) {
  return rest;
}

describe('the training session', () => {
  it('gives the same numbers for the same runs, on a fresh device each time', { timeout: 300_000 }, async () => {
    const measured = async () => {
      const { s, messages, until } = session(await newDevice());
      const runs = specs(2);
      await s.handle({ type: 'start', runs, checkpointBase: '' });
      await until(() => messages.filter((m) => m.type === 'done').length === runs.length);
      await s.idle();
      expect(messages.filter((m) => m.type === 'error')).toEqual([]);
      return messages.flatMap((m) => (m.type === 'metrics' ? [{ run: m.runId, ...deterministic(m.metrics) }] : []));
    };
    const first = await measured();
    expect(first).toHaveLength(8);
    expect(await measured()).toEqual(first);
  });

  it('frees every run’s GPU buffers on Reset: 20 Start → Reset cycles end where the first did', { timeout: 600_000 }, async () => {
    const gpu = await newDevice();
    const tracker = trackBuffers(gpu.device);
    const { s, messages, until } = session(gpu);
    const cycle = async () => {
      messages.length = 0;
      const runs = specs(1000);
      await s.handle({ type: 'start', runs, checkpointBase: '' });
      // Every run built and at least one iteration trained, so rollouts, arenas and loss buffers all exist.
      await until(() => messages.filter((m) => m.type === 'metrics').length >= 1);
      await s.handle({ type: 'reset' });
      await s.idle();
      return tracker.live();
    };
    try {
      const baseline = await cycle(); // per-device caches (pipelines, uniform blocks) fill in the first
      for (let i = 0; i < 20; i++) {
        const live = await cycle();
        expect({ cycle: i + 1, buffers: live.buffers, bytes: live.bytes }).toEqual({ cycle: i + 1, buffers: baseline.buffers, bytes: baseline.bytes });
      }
    } finally {
      tracker.stop();
    }
  });
});
