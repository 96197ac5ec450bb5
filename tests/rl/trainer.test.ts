import { beforeAll, describe, expect, it } from 'vitest';
import type { Gpu } from '../../src/gpu/gpu';
import { modelConfig } from '../../src/model/config';
import { initParameters } from '../../src/model/init';
import { parameterLayout } from '../../src/model/layout';
import { maxRelError } from '../../src/reference/compare';
import { policyGradient, sampledBatchInputs } from '../../src/reference/policy-gradient';
import type { PolicyLossConfig } from '../../src/loss/config';
import { type PresetName, PRESETS } from '../../src/loss/presets';
import { GrpoTrainer, type TrainerConfig, TrainingDivergedError } from '../../src/rl/trainer';
import { makeTask } from '../../src/tasks';
import { testGpu } from '../helpers/gpu';
import { smallTrainerConfig } from '../helpers/trainer-config';

let gpu: Gpu;
beforeAll(async () => {
  gpu = await testGpu();
});

const task = makeTask('add', { evalSize: 8 });
const model = modelConfig('tiny', task.vocab.length, task.seqLen);

const trainerConfig = (loss: PolicyLossConfig, overrides: Partial<TrainerConfig> = {}) => smallTrainerConfig(task, loss, overrides);

/** A randomly initialised GPT; `scale` > 1 spreads the weights, so policies are far from uniform. */
function baseParams(seed: number, scale = 5): Float32Array<ArrayBuffer> {
  const params = initParameters(model, parameterLayout(model), seed);
  return params.map((x) => x * scale) as Float32Array<ArrayBuffer>;
}

const cases: [string, PolicyLossConfig][] = [
  ...(Object.keys(PRESETS) as PresetName[]).map((name) => [name, PRESETS[name].loss] as [string, PolicyLossConfig]),
  ['tic-grpo zero-grad', { ...PRESETS['tic-grpo'].loss, clipMode: 'zero-grad' }],
];

describe('the trainer’s loss gradient against a float64 recomputation, θ ≠ θ_old', () => {
  it.each(cases)('%s', async (_, loss) => {
    // β > 0 everywhere, so the KL term's gradient is checked too.
    const config = trainerConfig({ ...loss, beta: 0.1 });
    const trainer = await GrpoTrainer.create(gpu, task, model, baseParams(7), config);
    const sampled = await trainer.sample();
    await trainer.train(sampled, 2); // two steps of drift: θ ≠ θ_old
    const grads = await trainer.gradient(sampled);
    const models = await trainer.readModels();
    trainer.destroy();
    expect(maxRelError(models.policy, models.old)).toBeGreaterThan(1e-4);

    const reference = policyGradient(sampledBatchInputs(model, models, sampled, config.temperature, config.loss));
    let worst = 0;
    for (const t of trainer.policy.layout.tensors) {
      const err = maxRelError(grads.subarray(t.offset, t.offset + t.size), reference.grads.subarray(t.offset, t.offset + t.size));
      worst = Math.max(worst, err);
      expect(err, t.name).toBeLessThanOrEqual(1e-4);
    }
    console.log(`${_}: worst per-tensor gradient max rel err ${worst.toExponential(2)}`);
  });
});

/** A near-uniform random policy (GPT-2 init) earns some partial credit; raw dense rewards (advantage 'none') turn it into a gradient. */
const withSignal: Partial<TrainerConfig> = { advantage: 'none', reward: 'dense' };

describe('the trainer', () => {
  it('sees every ratio equal to 1 on the first inner step of an iteration (θ = θ_old)', async () => {
    const trainer = await GrpoTrainer.create(gpu, task, model, baseParams(8, 1), trainerConfig({ ...PRESETS.grpo.loss, beta: 0 }, { K: 2, ...withSignal }));
    const m = await trainer.step();
    trainer.destroy();
    expect(m.rewardMean).toBeGreaterThan(0); // so the first step has a gradient and moves θ
    expect(m.inner[0]!.gradNorm).toBeGreaterThan(0);
    expect(m.inner[0]!.ratioMean).toBe(1);
    expect(m.inner[0]!.ratioMax).toBe(1);
    expect(m.inner[0]!.clipLow + m.inner[0]!.clipHigh).toBe(0);
    expect(m.inner[1]!.ratioMax).not.toBe(1); // the first step moved θ
  });

  it('measures held-out accuracy before training, every evalEvery iterations and at the last, and nowhere else', async () => {
    const trainer = await GrpoTrainer.create(gpu, task, model, baseParams(8, 1), trainerConfig(PRESETS.grpo.loss, { K: 1, iterations: 4, evalEvery: 2 }));
    const before = await trainer.evaluate();
    const steps = [];
    for (let i = 0; i < 4; i++) steps.push(await trainer.step());
    trainer.destroy();
    expect(steps.map((m) => m.accuracy !== null)).toEqual([true, false, true, true]);
    // The base model's accuracy comes with the first iteration, measured before it trained.
    expect(steps.map((m) => m.startAccuracy)).toEqual([before, null, null, null]);
  });

  it('samples the same completions from the same seed, and others from another', async () => {
    const completions = async (seed: number) => {
      const trainer = await GrpoTrainer.create(gpu, task, model, baseParams(9), trainerConfig(PRESETS.grpo.loss, { seed }));
      const sampled = await trainer.sample();
      trainer.destroy();
      return Array.from(sampled.completions);
    };
    const a = await completions(5);
    expect(await completions(5)).toEqual(a);
    expect(await completions(6)).not.toEqual(a);
  });

  it('stops with a clear message when the gradient stops being finite', async () => {
    const config = trainerConfig({ ...PRESETS.grpo.loss, beta: 0 }, { optimizer: 'sgd', lr: 1e30, gradClip: 0, K: 4, ...withSignal });
    const trainer = await GrpoTrainer.create(gpu, task, model, baseParams(10, 1), config);
    let error: unknown;
    try {
      for (let i = 0; i < 3; i++) await trainer.step();
    } catch (e) {
      error = e;
    }
    trainer.destroy();
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as Error).message).toMatch(
      /Training diverged at iteration \d+, inner step \d+: the gradient norm is (NaN|Infinity).*Lower the learning rate/,
    );
  });
});
