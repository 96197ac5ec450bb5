import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRunConfig } from '../../src/experiment/config';
import type { RunSpec, WorkerToPage } from '../../src/experiment/worker-protocol';
import { WorkerSession } from '../../src/experiment/worker-session';
import type { Gpu } from '../../src/gpu/gpu';
import { openNodeGpu } from '../../src/gpu/node';
import type { IterationMetrics } from '../../src/rl/metrics';

// Real devices (Dawn; SwiftShader without a GPU). A loss is simulated by destroying the device under the
// session, which is what the browser reports for a lost one: device.lost resolves, pending work fails.
const devices: Gpu[] = [];

/** Destroys `gpu`'s device right after its next submit: mid-iteration, whatever the device's speed. */
function loseAfterNextSubmit(gpu: Gpu): void {
  const queue = gpu.device.queue;
  const submit = queue.submit.bind(queue);
  queue.submit = (buffers) => {
    submit(buffers);
    gpu.device.destroy();
  };
}

async function newDevice(): Promise<Gpu> {
  const gpu = await openNodeGpu({ log: () => {} });
  devices.push(gpu);
  return gpu;
}
afterAll(() => {
  for (const gpu of devices) gpu.destroy();
});

/**
 * Two runs that learn from the shipped `reverse` base model: one with SGD (no optimiser state), one with
 * AdamW. Both are compared over their first two iterations and then reset: a third would end with a
 * held-out evaluation, which costs more on SwiftShader than the iterations themselves.
 */
const ITERATIONS = 3;
const COMPARED = 2;
function runs(): RunSpec[] {
  // M = 1 of N = 2: two inner steps on shuffled rows, so the shuffle's random stream matters too.
  const config = (optimizer: 'sgd' | 'adamw', lr: number) =>
    makeRunConfig({ task: 'reverse', reward: 'dense', B: 1, G: 2, M: 1, K: 2, optimizer, lr, iterations: ITERATIONS, evalEvery: 1000, seed: 3 });
  return [
    { id: 'sgd', arm: 'GRPO sgd', algo: 'grpo', seed: 3, config: config('sgd', 0.05) },
    { id: 'adamw', arm: 'GRPO', algo: 'grpo', seed: 3, config: config('adamw', 3e-3) },
  ];
}

/** A worker session on `openGpu`, what it posts, and a wait for a condition on it. */
function session(openGpu: () => Promise<Gpu>, onMessage: (message: WorkerToPage, all: WorkerToPage[]) => void = () => {}) {
  const messages: WorkerToPage[] = [];
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  const s = new WorkerSession({
    openGpu,
    checkpointLoader: () => async (name) => new Uint8Array(readFileSync(new URL(`../../public/checkpoints/${name}`, import.meta.url))),
    post: (message) => {
      messages.push(message);
      onMessage(message, messages);
      for (const w of waiters.filter((w) => w.test())) w.resolve();
    },
  });
  const until = (test: () => boolean) => new Promise<void>((resolve) => (test() ? resolve() : waiters.push({ test, resolve })));
  const metrics = (runId: string) => messages.flatMap((m) => (m.type === 'metrics' && m.runId === runId ? [m.metrics] : [])).slice(0, COMPARED);
  /** Waits until each run has measured COMPARED iterations, then resets the session. */
  const compared = async () => {
    await until(() => metrics('sgd').length >= COMPARED && metrics('adamw').length >= COMPARED);
    await s.handle({ type: 'reset' });
    await s.idle();
  };
  return { s, messages, until, metrics, compared };
}

/** Everything an iteration measured but its timings, which no two runs share. */
function deterministic({ wallMs, tokensPerSecond, elapsedMs, ...rest }: IterationMetrics) {
  return rest;
}

let reference: Record<string, IterationMetrics[]>;
let first: Gpu;

describe('a lost device', () => {
  it('(reference) two runs trained without interruption', { timeout: 180_000 }, async () => {
    first = await newDevice();
    const { s, metrics, compared } = session(async () => first);
    await s.handle({ type: 'start', runs: runs(), checkpointBase: '' });
    await compared();
    reference = { sgd: metrics('sgd'), adamw: metrics('adamw') };
    for (const run of ['sgd', 'adamw']) {
      expect(reference[run]!.map((m) => m.iteration)).toEqual([0, 1]);
      // θ moved: the second inner step of an iteration sees ratios away from 1, so a resume has something to get right.
      expect(
        reference[run]!.some((m) => m.inner[1]!.ratioMean !== 1),
        run,
      ).toBe(true);
    }
  });

  it('pauses the runs, opens a new device, and resumes each from its last completed iteration', { timeout: 180_000 }, async () => {
    let opened = 0;
    const { s, messages, metrics, compared } = session(
      async () => (opened++ === 0 ? first : newDevice()),
      (message, all) => {
        // After each run's first iteration: SGD's second is lost in flight, after its first submit.
        if (message.type !== 'metrics' || all.filter((m) => m.type === 'metrics').length !== 2) return;
        loseAfterNextSubmit(first);
      },
    );
    await s.handle({ type: 'start', runs: runs(), checkpointBase: '' });
    await compared();

    expect(opened).toBe(2);
    expect(messages.filter((m) => m.type === 'ready')).toHaveLength(2);
    expect(messages.filter((m) => m.type === 'error')).toEqual([]);
    const notices = messages.flatMap((m) => (m.type === 'notice' ? [m.message] : []));
    expect(notices[0]).toMatch(/^WebGPU device lost \(destroyed\).*The runs are paused while a new device is opened\.$/);
    expect(notices[1]).toBe('A new device is open: every unfinished run resumes from its last completed iteration.');
    const resumedAt = messages.findIndex((m) => m.type === 'notice' && m.message.startsWith('A new device is open'));
    const metricsBefore = (runId: string) => messages.slice(0, resumedAt).filter((m) => m.type === 'metrics' && m.runId === runId).length;
    expect([metricsBefore('sgd'), metricsBefore('adamw')]).toEqual([1, 1]);

    // Every iteration once, none lost and none twice.
    const sgd = metrics('sgd');
    const adamw = metrics('adamw');
    expect(sgd.map((m) => m.iteration)).toEqual([0, 1]);
    expect(adamw.map((m) => m.iteration)).toEqual([0, 1]);
    // θ, AdamW's moments and step count, the step counters and the random streams carry over: each resumed
    // run is the uninterrupted one.
    expect(sgd.map(deterministic)).toEqual(reference.sgd!.map(deterministic));
    expect(adamw.map(deterministic)).toEqual(reference.adamw!.map(deterministic));
  });

  it('halts with the reason, keeping what was measured, when no new device can be had', { timeout: 120_000 }, async () => {
    const device = devices.at(-1)!; // the one the previous test opened, pipelines compiled
    let opened = 0;
    const { s, messages, until, metrics } = session(
      async () => {
        if (opened++ === 0) return device;
        throw new Error('no adapter left');
      },
      (message) => message.type === 'metrics' && device.device.destroy(),
    );
    await s.handle({ type: 'start', runs: runs().slice(0, 1), checkpointBase: '' });
    await until(() => messages.some((m) => m.type === 'error'));
    await s.idle();
    const error = messages.find((m) => m.type === 'error');
    expect(error).toEqual({
      type: 'error',
      message: expect.stringMatching(/^WebGPU device lost \(destroyed\).*, and no new device could be had \(no adapter left\)\. The curves so far are kept/),
    });
    expect(messages.filter((m) => m.type === 'status').at(-1)).toMatchObject({ runId: 'sgd', state: 'failed', iteration: 1 });
    expect(metrics('sgd')).toHaveLength(1);
    // Later starts are told the same.
    messages.length = 0;
    await s.handle({ type: 'start', runs: runs(), checkpointBase: '' });
    expect(messages).toEqual([error]);
  });
});
