import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gpu } from '../../src/gpu/gpu';
import type { PolicyLossConfig } from '../../src/loss/config';
import { PRESETS } from '../../src/loss/presets';
import { modelConfig } from '../../src/model/config';
import { initParameters } from '../../src/model/init';
import { parameterLayout } from '../../src/model/layout';
import { GrpoTrainer, type TrainerConfig } from '../../src/rl/trainer';
import { makeTask } from '../../src/tasks';
import { type BufferTracker, trackBuffers } from '../helpers/buffer-tracker';
import { testGpu } from '../helpers/gpu';
import { smallTrainerConfig } from '../helpers/trainer-config';

// Every GPU buffer a trainer allocates, through its models, rollouts, row buffers and loss kernel, is freed
// by GrpoTrainer.destroy(): create → step → destroy, repeated, leaves the device's live buffers where they
// were. Per-device caches (pipelines, uniform blocks, the shared kernels' constants) fill during the first
// cycle and may stay, so the baseline is taken after it.

const task = makeTask('add', { evalSize: 8 });
const model = modelConfig('tiny', task.vocab.length, task.seqLen);
const base = initParameters(model, parameterLayout(model), 1);
const CYCLES = 20;

let gpu: Gpu;
let tracker: BufferTracker;
beforeAll(async () => {
  gpu = await testGpu();
  tracker = trackBuffers(gpu.device);
});
afterAll(() => tracker.stop());

// iteration 0 evaluates (startAccuracy), so the held-out rollout runs too.
const config = (loss: PolicyLossConfig): TrainerConfig => smallTrainerConfig(task, loss);

/** One trainer's life: the live buffers and bytes while it holds its buffers (after a step) and after destroy(). */
async function cycle(loss: PolicyLossConfig) {
  const trainer = await GrpoTrainer.create(gpu, task, model, base, config(loss));
  await trainer.step();
  const alive = tracker.live();
  trainer.destroy();
  const after = tracker.live();
  return { alive: { buffers: alive.buffers, bytes: alive.bytes }, after: { buffers: after.buffers, bytes: after.bytes }, labels: after.labels };
}

describe('GrpoTrainer.destroy frees every buffer the trainer allocated', () => {
  // grpo: π_old and π_ref hold parameters only; no-is: π_old holds a gradient too (the gradient is taken at θ_old).
  it.each([
    ['grpo', PRESETS.grpo.loss, CYCLES],
    ['no-is', PRESETS['no-is'].loss, 3],
  ] as const)('%s: live buffers and bytes return to the baseline after each create → step → destroy', async (name, loss, cycles) => {
    const baseline = (await cycle(loss)).after;
    for (let i = 0; i < cycles; i++) {
      const { alive, after, labels } = await cycle(loss);
      if (i === 0) console.log(`${name}: a trainer holds ${alive.buffers - baseline.buffers} buffers, ${alive.bytes - baseline.bytes} bytes`);
      expect(alive.buffers, 'the tracker sees the trainer’s buffers').toBeGreaterThan(baseline.buffers);
      if (after.buffers !== baseline.buffers) console.log(`still alive after cycle ${i + 1}:`, [...labels].map(([label, n]) => `${label} ×${n}`).join(', '));
      expect(after, `cycle ${i + 1}`).toEqual(baseline);
    }
  });
});
