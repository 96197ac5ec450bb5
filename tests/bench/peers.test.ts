import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Implementation } from '../../src/bench/implementation';
import { loadImplementations } from '../../src/bench/implementations';
import { provideNavigatorGpu } from '../../src/bench/node';
import { benchProblem } from '../../src/bench/problem';
import { checkLossesAgree } from '../../src/bench/train-step';
import type { Gpu } from '../../src/gpu/gpu';
import { openNodeGpu } from '../../src/gpu/node';
import { EOS } from '../../src/tasks';

// The tiny preset's model on a 2×4 batch: small enough for SwiftShader, large enough to exercise every layer.
const problem = benchProblem('tiny', 8, { B: 2, T: 4 });

describe('the peer frameworks compute the same training step as ours (Node, Dawn)', () => {
  let gpu: Gpu;
  let impls: Implementation[];
  beforeAll(async () => {
    gpu = await openNodeGpu();
    provideNavigatorGpu(gpu.instance);
    impls = await loadImplementations(gpu, ['ours', 'tfjs', 'jaxjs']);
  });
  afterAll(() => gpu?.destroy());

  it('gives the same first and second losses, and samples tokens of the vocabulary', async () => {
    const losses: number[][] = [];
    for (const impl of impls) {
      const session = await impl.open(problem);
      try {
        losses.push([await session.trainStep(), await session.trainStep()]);
        const tokens = await session.sample(0);
        expect(tokens.length).toBe(problem.sampling.rows * problem.sampling.newTokens);
        expect(Math.max(...tokens)).toBeLessThan(problem.config.vocabSize);
      } finally {
        session.dispose();
      }
    }
    console.log(impls.map((impl, i) => `${impl.name}: ${losses[i]!.map((l) => l.toFixed(6)).join(' → ')}`).join('; '));
    const names = impls.map((i) => i.name);
    checkLossesAgree(
      'first',
      names,
      losses.map((l) => l[0]!),
    );
    checkLossesAgree(
      'second',
      names,
      losses.map((l) => l[1]!),
    );
    expect(losses[0]![1]).toBeLessThan(losses[0]![0]!); // the step moved the weights
  });

  it('decodes the same tokens as ours at a near-zero temperature (their KV caches against ours)', async () => {
    const base = benchProblem('tiny', 8, { B: 4, T: 8 });
    // The initial weights scaled up, so that each token depends on its context rather than on its
    // position alone; softmax(z/τ) at τ = 1e-6 puts all its mass on the argmax.
    const initial = base.initial.map((w) => w * 5);
    const greedy = { ...base, initial, sampling: { ...base.sampling, temperature: 1e-6 } };
    const { rows, newTokens } = greedy.sampling;
    // Ours pads a row after its EOS, the peers decode on: compare each row up to its first EOS.
    const throughEos = (tokens: Uint32Array) =>
      Array.from({ length: rows }, (_, r) => {
        const row = Array.from(tokens.subarray(r * newTokens, (r + 1) * newTokens));
        return row.includes(EOS) ? row.slice(0, row.indexOf(EOS) + 1) : row;
      });
    const decoded: number[][][] = [];
    for (const impl of impls) {
      const session = await impl.open(greedy);
      try {
        decoded.push(throughEos(await session.sample(0)));
      } finally {
        session.dispose();
      }
    }
    console.log(impls.map((impl, i) => `${impl.name}: ${decoded[i]!.map((row) => row.join(',')).join(' | ')}`).join('; '));
    for (let i = 1; i < impls.length; i++) expect(decoded[i], impls[i]!.name).toEqual(decoded[0]);
  });

  it('refuses losses that disagree', () => {
    expect(() => checkLossesAgree('first', ['ours', 'peer'], [2.7726, 2.7]), 'a 3% difference').toThrow(/first losses disagree.*ours 2.7726, peer 2.7/);
  });
});
