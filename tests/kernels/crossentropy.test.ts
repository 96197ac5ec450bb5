import { beforeAll, describe, expect, it } from 'vitest';
import type { Gpu } from '../../src/gpu/gpu';
import { CrossEntropy, IGNORE_TARGET } from '../../src/kernels/crossentropy';
import { crossEntropyBackward, crossEntropyForward } from '../../src/reference/crossentropy';
import { maxRelError, poison } from '../helpers/compare';
import { finiteDifferenceError } from '../helpers/finite-difference';
import { testGpu } from '../helpers/gpu';
import { randomF32, testSeed, uniformRng } from '../helpers/random';

const F32_TOLERANCE = 1e-5;

let gpu: Gpu;
let ce: CrossEntropy;
/** Row layouts of the forward: a GPU's (64 invocations per row), a CPU adapter's (one per row), and one between. */
const LAYOUTS = [
  { ROW_THREADS: 64, ROWS: 1 },
  { ROW_THREADS: 1, ROWS: 16 },
  { ROW_THREADS: 4, ROWS: 16 },
];
const byLayout = new Map<string, CrossEntropy>();
const rng = uniformRng(testSeed('crossentropy'));

beforeAll(async () => {
  gpu = await testGpu();
  ce = await CrossEntropy.create(gpu);
  for (const layout of LAYOUTS) byLayout.set(JSON.stringify(layout), await CrossEntropy.create(gpu, layout));
});

/** Targets in [0, V), about a quarter of them IGNORE_TARGET (but never all of them when N > 1). */
function randomTargets(N: number, V: number): Uint32Array<ArrayBuffer> {
  const targets = new Uint32Array(N);
  for (let i = 0; i < N; i++) targets[i] = i > 0 && rng() < 0.25 ? IGNORE_TARGET : Math.floor(rng() * V);
  return targets;
}

/** Forward then backward on the GPU and in float64; max relative error of each output. */
async function check(family: CrossEntropy, N: number, V: number, logitRange: number): Promise<Record<string, number>> {
  const dims = { N, V };
  const logits = randomF32(rng, N * V, -logitRange, logitRange);
  const targets = randomTargets(N, V);
  const dlogits0 = randomF32(rng, N * V); // pre-filled: backward must accumulate
  const scale = 0.1 + rng();

  const losses = Float64Array.from(poison(N));
  const probs = Float64Array.from(poison(N * V));
  crossEntropyForward(losses, probs, logits, targets, dims);
  const dlogits = Float64Array.from(dlogits0);
  crossEntropyBackward(dlogits, probs, targets, { ...dims, scale });

  const g = {
    losses: gpu.upload(poison(N), 'losses'),
    probs: gpu.upload(poison(N * V), 'probs'),
    logits: gpu.upload(logits, 'logits'),
    targets: gpu.upload(targets, 'targets'),
    dlogits: gpu.upload(dlogits0, 'dlogits'),
  };
  const rec = gpu.recorder();
  family.forward(rec, g.losses, g.probs, g.logits, g.targets, dims);
  family.backward(rec, g.dlogits, g.probs, g.targets, { ...dims, scale });
  rec.submit();
  return {
    // A loss near 0 (the target dominates; N = 1 leaves no larger loss beside it) is log s − (x − m) with s ≈ 1.
    losses: maxRelError(await gpu.readF32(g.losses), losses, 1),
    probs: maxRelError(await gpu.readF32(g.probs), probs),
    dlogits: maxRelError(await gpu.readF32(g.dlogits), dlogits),
  };
}

const format = (errors: Record<string, number>) =>
  Object.entries(errors)
    .map(([name, err]) => `${name} ${err.toExponential(2)}`)
    .join(', ');

describe.each(LAYOUTS)('cross-entropy ($ROW_THREADS invocations per row, $ROWS rows per workgroup) against float64', (layout) => {
  const family = () => byLayout.get(JSON.stringify(layout))!;
  for (const N of [1, 7, 33, 130]) {
    for (const V of [3, 13, 65, 257]) {
      it(`N=${N} V=${V}`, async () => {
        const errors = await check(family(), N, V, 4);
        console.log(`crossentropy ${layout.ROW_THREADS}×${layout.ROWS} N=${N} V=${V} max rel err: ${format(errors)}`);
        for (const err of Object.values(errors)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
      });
    }
  }

  it('stays finite and accurate for logits in ±80 (exp would overflow without max-subtraction)', async () => {
    const errors = await check(family(), 9, 40, 80);
    console.log(`crossentropy ${layout.ROW_THREADS}×${layout.ROWS} logits in ±80 max rel err: ${format(errors)}`);
    for (const err of Object.values(errors)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
  });
});

describe('cross-entropy', () => {
  it('gives ignored rows loss 0 and leaves their gradient untouched', async () => {
    const dims = { N: 2, V: 5 };
    const targets = new Uint32Array([IGNORE_TARGET, 7]); // 7 ≥ V is ignored too
    const dlogits0 = randomF32(rng, 10);
    const losses = gpu.upload(poison(2), 'losses');
    const dlogits = gpu.upload(dlogits0, 'dlogits');
    const probs = gpu.upload(poison(10), 'probs');
    const rec = gpu.recorder();
    ce.forward(rec, losses, probs, gpu.upload(randomF32(rng, 10), 'logits'), gpu.upload(targets, 'targets'), dims);
    ce.backward(rec, dlogits, probs, gpu.upload(targets, 'targets'), { ...dims, scale: 1 });
    rec.submit();
    expect(Array.from(await gpu.readF32(losses))).toEqual([0, 0]);
    expect(await gpu.readF32(dlogits)).toEqual(dlogits0);
  });

  it('refuses a buffer too small for the shape', () => {
    const small = gpu.zeros(16, 'small');
    expect(() => ce.forward(gpu.recorder(), small, small, small, small, { N: 2, V: 3 })).toThrow(
      /crossentropy forward \[N 2, V 3\]: probs holds 4 elements, needs 6/,
    );
  });

  it('float64 backward agrees with central finite differences', () => {
    const dims = { N: 4, V: 6 };
    const scale = 0.7;
    const logits = Float64Array.from(randomF32(rng, 24, -2, 2));
    const targets = new Uint32Array([2, IGNORE_TARGET, 0, 5]);
    const losses = new Float64Array(4);
    const probs = new Float64Array(24);
    const loss = () => {
      crossEntropyForward(losses, probs, logits, targets, dims);
      return scale * losses.reduce((a, b) => a + b, 0);
    };
    loss();
    const dlogits = new Float64Array(24);
    crossEntropyBackward(dlogits, probs, targets, { ...dims, scale });
    const err = finiteDifferenceError(loss, logits, dlogits);
    console.log(`crossentropy finite differences dlogits: ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-8);
  });
});
