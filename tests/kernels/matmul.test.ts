import { beforeAll, describe, expect, it } from 'vitest';
import type { Gpu } from '../../src/gpu/gpu';
import { Matmul, type MatmulShape } from '../../src/kernels/matmul';
import { matmul as matmulRef } from '../../src/reference/matmul';
import { maxRelError, poison } from '../helpers/compare';
import { testGpu } from '../helpers/gpu';
import { randomF32, testSeed, uniformRng } from '../helpers/random';

const F32_TOLERANCE = 1e-5;

let gpu: Gpu;
let mm: Matmul;
const rng = uniformRng(testSeed('matmul'));

beforeAll(async () => {
  gpu = await testGpu();
  mm = await Matmul.create(gpu);
});

/** Runs one product on the GPU and in float64 and returns the max relative error. */
async function check(shape: MatmulShape, withBias: boolean): Promise<number> {
  const { M, N, K, batch = 1 } = shape;
  const a = randomF32(rng, batch * M * K);
  const b = randomF32(rng, batch * K * N);
  const bias = withBias ? randomF32(rng, N) : null;
  const c0 = shape.accumulate ? randomF32(rng, batch * M * N) : poison(batch * M * N);
  const want = Float64Array.from(c0);
  matmulRef(want, a, b, bias, shape);

  const cBuf = gpu.upload(c0, 'c');
  const rec = gpu.recorder();
  mm.matmul(rec, cBuf, gpu.upload(a, 'a'), gpu.upload(b, 'b'), bias && gpu.upload(bias, 'bias'), shape);
  rec.submit();
  return maxRelError(await gpu.readF32(cBuf), want);
}

const shapes: [number, number, number, number][] = [
  // M, N, K, batch — awkward sizes on purpose: 1, 7, 33, 65, non-square, batch > 1
  [1, 1, 1, 1],
  [7, 33, 65, 1],
  [65, 7, 33, 2],
  [33, 65, 1, 3],
  [64, 64, 64, 1],
  [70, 130, 17, 2],
];

describe('matmul against float64', () => {
  for (const [M, N, K, batch] of shapes) {
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`M=${M} N=${N} K=${K} batch=${batch} ${transA ? 'Aᵀ' : 'A'}·${transB ? 'Bᵀ' : 'B'}`, async () => {
        const err = await check({ M, N, K, batch, transA, transB }, (M + N) % 2 === 0);
        console.log(`matmul M=${M} N=${N} K=${K} batch=${batch} tA=${transA} tB=${transB}: max rel err ${err.toExponential(2)}`);
        expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
      });
    }
  }

  it('adds a bias, scales by alpha and accumulates into C', async () => {
    const err = await check({ M: 9, N: 66, K: 12, batch: 2, alpha: -0.37, accumulate: true, transB: true }, true);
    console.log(`matmul bias+alpha+accumulate: max rel err ${err.toExponential(2)}`);
    expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
  });

  it('broadcasts a shared weight over the batch with stride 0', async () => {
    const err = await check({ M: 5, N: 11, K: 13, batch: 3, strideB: 0 }, true);
    expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
  });

  it('refuses a buffer too small for the shape', () => {
    const small = gpu.zeros(16, 'small');
    expect(() => mm.matmul(gpu.recorder(), small, small, small, null, { M: 3, N: 3, K: 3 })).toThrow(/matmul: A holds 4 floats, shape \[batch 1, M 3, N 3, K 3\] needs 9/);
  });
});
