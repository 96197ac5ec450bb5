import { beforeAll, describe, expect, it } from 'vitest';
import type { Gpu } from '../../src/gpu/gpu';
import { LayerNorm, type LayerNormDims } from '../../src/kernels/layernorm';
import { layernormBackward, layernormForward } from '../../src/reference/layernorm';
import { maxRelError, poison } from '../helpers/compare';
import { finiteDifferenceError, weightedSum } from '../helpers/finite-difference';
import { testGpu } from '../helpers/gpu';
import { randomF32, testSeed, uniformRng } from '../helpers/random';

const F32_TOLERANCE = 1e-5;

let gpu: Gpu;
let layerNorm: LayerNorm;
/** Each row-lane layout the kernels may be compiled with: 16 (GPUs), 1 (CPU adapters), and one between. */
const ROW_LANES = [16, 1, 4] as const;
const byRowLanes = new Map<number, LayerNorm>();
const rng = uniformRng(testSeed('layernorm'));

beforeAll(async () => {
  gpu = await testGpu();
  layerNorm = await LayerNorm.create(gpu);
  for (const rowLanes of ROW_LANES) byRowLanes.set(rowLanes, await LayerNorm.create(gpu, { rowLanes }));
});

/** Forward and accumulating backward on the GPU and in float64, inputs uniform in [lo, hi); each output's max relative error. */
async function check(family: LayerNorm, dims: LayerNormDims, lo: number, hi: number): Promise<Record<string, number>> {
  const { N, C } = dims;
  const inp = randomF32(rng, N * C, lo, hi);
  const weight = randomF32(rng, C, 0.5, 1.5);
  const bias = randomF32(rng, C);
  const dout = randomF32(rng, N * C);
  // Gradients start non-zero: backward must add to them, not overwrite.
  const dinp0 = randomF32(rng, N * C);
  const dweight0 = randomF32(rng, C);
  const dbias0 = randomF32(rng, C);

  const out = new Float64Array(N * C);
  const mean = new Float64Array(N);
  const rstd = new Float64Array(N);
  layernormForward(out, mean, rstd, inp, weight, bias, dims);
  const dinp = Float64Array.from(dinp0);
  const dweight = Float64Array.from(dweight0);
  const dbias = Float64Array.from(dbias0);
  layernormBackward(dinp, dweight, dbias, dout, inp, weight, mean, rstd, dims);

  const g = {
    out: gpu.upload(poison(N * C), 'out'),
    mean: gpu.upload(poison(N), 'mean'),
    rstd: gpu.upload(poison(N), 'rstd'),
    inp: gpu.upload(inp, 'inp'),
    weight: gpu.upload(weight, 'weight'),
    bias: gpu.upload(bias, 'bias'),
    dout: gpu.upload(dout, 'dout'),
    dinp: gpu.upload(dinp0, 'dinp'),
    dweight: gpu.upload(dweight0, 'dweight'),
    dbias: gpu.upload(dbias0, 'dbias'),
  };
  const rec = gpu.recorder();
  family.forward(rec, g.out, g.mean, g.rstd, g.inp, g.weight, g.bias, dims);
  // Backward reads the GPU's own saved mean and rstd, as it does in training.
  family.backward(rec, g.dinp, g.dweight, g.dbias, g.dout, g.inp, g.weight, g.mean, g.rstd, dims);
  rec.submit();
  return {
    out: maxRelError(await gpu.readF32(g.out), out),
    mean: maxRelError(await gpu.readF32(g.mean), mean),
    rstd: maxRelError(await gpu.readF32(g.rstd), rstd),
    dinp: maxRelError(await gpu.readF32(g.dinp), dinp),
    dweight: maxRelError(await gpu.readF32(g.dweight), dweight),
    dbias: maxRelError(await gpu.readF32(g.dbias), dbias),
  };
}

// N, C — awkward sizes: 1, 7, 33, 65; N not a multiple of the 4 rows per workgroup; C below,
// at and above the 64 lanes per row, and not a power of two.
const shapes: [number, number][] = [
  [1, 1],
  [7, 33],
  [65, 7],
  [33, 65],
  [5, 256],
  [70, 130],
  [301, 64],
];

describe.each(ROW_LANES)('layernorm with %i lanes per row against float64', (rowLanes) => {
  for (const [N, C] of shapes) {
    it(`N=${N} C=${C}`, async () => {
      const errors = await check(byRowLanes.get(rowLanes)!, { N, C }, -1, 1);
      console.log(`layernorm ${rowLanes} lanes N=${N} C=${C}: max rel err`, errors);
      for (const err of Object.values(errors)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
    });
  }

  it('keeps its accuracy when the rows have a large mean (two-pass variance)', async () => {
    const errors = await check(byRowLanes.get(rowLanes)!, { N: 9, C: 96 }, 7, 9);
    console.log(`layernorm ${rowLanes} lanes, rows in [7, 9): max rel err`, errors);
    for (const err of Object.values(errors)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
  });
});

describe('layernorm', () => {
  it('refuses a row-lane count that is not a power of two up to 64', async () => {
    await expect(LayerNorm.create(gpu, { rowLanes: 3 })).rejects.toThrow(/rowLanes must be a power of two ≤ 64, got 3/);
    await expect(LayerNorm.create(gpu, { rowLanes: 128 })).rejects.toThrow(/got 128/);
    await expect(LayerNorm.create(gpu, { rowLanes: 0.5 })).rejects.toThrow(/got 0.5/);
  });

  it('refuses a buffer too small for the shape', () => {
    const small = gpu.zeros(16, 'small');
    expect(() => layerNorm.forward(gpu.recorder(), small, small, small, small, small, small, { N: 3, C: 2 })).toThrow(
      /layernorm_forward \[N 3, C 2\]: out holds 4 elements, needs 6/,
    );
  });
});

describe('layernorm float64 backward', () => {
  it('agrees with central finite differences', () => {
    const dims = { N: 3, C: 5 };
    const inp = Float64Array.from(randomF32(rng, dims.N * dims.C));
    const weight = Float64Array.from(randomF32(rng, dims.C, 0.5, 1.5));
    const bias = Float64Array.from(randomF32(rng, dims.C));
    const dout = randomF32(rng, dims.N * dims.C);
    const mean = new Float64Array(dims.N);
    const rstd = new Float64Array(dims.N);
    const loss = () => {
      const y = new Float64Array(dims.N * dims.C);
      layernormForward(y, mean, rstd, inp, weight, bias, dims);
      return weightedSum(y, dout);
    };
    loss(); // leaves mean and rstd of the unperturbed input, which backward reads
    const dinp = new Float64Array(inp.length);
    const dweight = new Float64Array(weight.length);
    const dbias = new Float64Array(bias.length);
    layernormBackward(dinp, dweight, dbias, dout, inp, weight, mean, rstd, dims);
    const grads = { inp: dinp, weight: dweight, bias: dbias };
    for (const [name, value] of [
      ['inp', inp],
      ['weight', weight],
      ['bias', bias],
    ] as const) {
      const err = finiteDifferenceError(loss, value, grads[name]);
      console.log(`layernorm finite differences d${name}: ${err.toExponential(2)}`);
      expect(err).toBeLessThan(1e-8);
    }
  });
});
