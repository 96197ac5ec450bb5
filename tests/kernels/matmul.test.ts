import { beforeAll, describe, expect, it } from 'vitest';
import type { Gpu } from '../../src/gpu/gpu';
import { runsOnCpu } from '../../src/gpu/device';
import { Matmul, type MatmulShape } from '../../src/kernels/matmul';
import { slice } from '../../src/gpu/binding';
import { linearBackward, linearForward, matmul as matmulRef } from '../../src/reference/matmul';
import { maxRelError, poison } from '../helpers/compare';
import { finiteDifferenceError, weightedSum } from '../helpers/finite-difference';
import { testGpu } from '../helpers/gpu';
import { randomF32, testSeed, uniformRng } from '../helpers/random';

const F32_TOLERANCE = 1e-5;

let gpu: Gpu;
let mm: Matmul;
/** The same family forced onto the CPU kernels (the default only on CPU adapters): matmul-direct-vec4.wgsl where the shape allows, else matmul-direct.wgsl. */
let direct: Matmul;
/** Forced onto matmul-direct.wgsl for every shape. */
let directScalar: Matmul;
let tiled: Matmul;
const rng = uniformRng(testSeed('matmul'));

beforeAll(async () => {
  gpu = await testGpu();
  mm = await Matmul.create(gpu);
  direct = await Matmul.create(gpu, { direct: true });
  directScalar = await Matmul.create(gpu, { direct: true, vec4: false });
  tiled = await Matmul.create(gpu, { direct: false });
});

/** Runs one product on the GPU and in float64; returns the max relative error and the kernels that ran. */
async function check(family: Matmul, shape: MatmulShape, withBias: boolean): Promise<{ err: number; kernels: string[] }> {
  const { M, N, K, batch = 1, strideA = M * K, strideB = K * N, strideC = M * N } = shape;
  const a = randomF32(rng, (batch - 1) * strideA + M * K);
  const b = randomF32(rng, (batch - 1) * strideB + K * N);
  const bias = withBias ? randomF32(rng, N) : null;
  const cLength = (batch - 1) * strideC + M * N;
  const c0 = shape.accumulate ? randomF32(rng, cLength) : poison(cLength);
  const want = Float64Array.from(c0);
  matmulRef(want, a, b, bias, shape);

  const cBuf = gpu.upload(c0, 'c');
  const rec = gpu.recorder('matmul test', true);
  family.matmul(rec, cBuf, gpu.upload(a, 'a'), gpu.upload(b, 'b'), bias && gpu.upload(bias, 'bias'), shape);
  const kernels = [...(await rec.profileSubmit()).keys()];
  return { err: maxRelError(await gpu.readF32(cBuf), want), kernels };
}

const shapes: [number, number, number, number][] = [
  // M, N, K, batch — awkward sizes on purpose: 1, 7, 33, 65, non-square, batch > 1
  [1, 1, 1, 1],
  [7, 33, 65, 1],
  [65, 7, 33, 2],
  [33, 65, 1, 3],
  [64, 64, 64, 1],
  [70, 130, 17, 2],
  // matmul-direct's blocks: 16 rows × 8 columns (WX = 4 apart) per invocation, 64 × 32 per workgroup, K in passes of 4
  [9, 36, 12, 2],
  [68, 44, 20, 1],
  [132, 4, 8, 3],
  [12, 8, 13, 2],
  [80, 136, 6, 1],
  // matmul-direct-vec4's blocks: 16 × 16 per invocation, 16 rows × 64 columns per workgroup, K in passes of 4 (ragged only for Aᵀ)
  [4, 4, 4, 1],
  [36, 132, 8, 1],
  [36, 52, 24, 2],
  [20, 100, 9, 1],
  [8, 6, 12, 1], // operands readable as vec4 in some layouts, but C's rows are not
];

/**
 * The kernel the direct family should pick: the vec4 one when C's rows (N) and the dimension each
 * operand is contiguous along (K for A, N for B; M for Aᵀ, K for Bᵀ) are multiples of 4. Dense
 * batches here, so the strides follow.
 */
function expectedDirectKernel(M: number, N: number, K: number, transA: boolean, transB: boolean): RegExp {
  const vec4 = N % 4 === 0 && (transA ? M : K) % 4 === 0 && (transB ? K : N) % 4 === 0;
  return vec4 ? /^shaders\/matmul-direct-vec4\.wgsl:/ : /^shaders\/matmul-direct\.wgsl:/;
}

describe.each([
  ['tiled', () => tiled],
  ['direct', () => direct],
  ['direct scalar', () => directScalar],
] as const)('matmul (%s) against float64', (strategy, family) => {
  for (const [M, N, K, batch] of shapes) {
    for (const [transA, transB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      it(`M=${M} N=${N} K=${K} batch=${batch} ${transA ? 'Aᵀ' : 'A'}·${transB ? 'Bᵀ' : 'B'}`, async () => {
        const { err, kernels } = await check(family(), { M, N, K, batch, transA, transB }, (M + N) % 2 === 0);
        console.log(`matmul ${kernels.join(', ')} M=${M} N=${N} K=${K} batch=${batch} tA=${transA} tB=${transB}: max rel err ${err.toExponential(2)}`);
        expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
        const want = {
          tiled: /^shaders\/matmul\.wgsl:matmul/,
          direct: expectedDirectKernel(M, N, K, transA, transB),
          'direct scalar': /^shaders\/matmul-direct\.wgsl:/,
        }[strategy];
        expect(kernels).toEqual([expect.stringMatching(want)]);
      });
    }
  }

  it('adds a bias, scales by alpha and accumulates into C', async () => {
    const { err } = await check(family(), { M: 9, N: 68, K: 12, batch: 2, alpha: -0.37, accumulate: true, transB: true }, true);
    console.log(`matmul bias+alpha+accumulate: max rel err ${err.toExponential(2)}`);
    expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
  });

  it('broadcasts a shared weight over the batch with stride 0', async () => {
    const { err } = await check(family(), { M: 5, N: 12, K: 16, batch: 3, strideB: 0 }, true);
    expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
  });

  it('reads batches at strides that are not multiples of 4 (matmul-direct.wgsl on the direct families)', async () => {
    const { err, kernels } = await check(family(), { M: 4, N: 8, K: 4, batch: 3, strideA: 18, strideB: 33, strideC: 35, accumulate: true }, true);
    expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
    if (strategy !== 'tiled') expect(kernels).toEqual([expect.stringMatching(/^shaders\/matmul-direct\.wgsl:/)]);
  });
});

describe('matmul', () => {
  it('takes matmul-direct.wgsl by default on a CPU adapter only', async () => {
    const cpu = runsOnCpu(gpu.adapter);
    console.log(`adapter ${gpu.adapter.description}: runs on a CPU = ${cpu}`);
    const { kernels } = await check(mm, { M: 8, N: 8, K: 8 }, false);
    expect(kernels).toEqual([expect.stringMatching(cpu ? /^shaders\/matmul-direct-vec4\.wgsl:/ : /^shaders\/matmul\.wgsl:matmul/)]);
    expect(runsOnCpu({ ...gpu.adapter, isFallbackAdapter: false, architecture: 'ampere', device: '', description: 'NVIDIA H100' })).toBe(false);
    expect(runsOnCpu({ ...gpu.adapter, isFallbackAdapter: false, architecture: 'swiftshader' })).toBe(true);
  });

  it('refuses a buffer too small for the shape', () => {
    const small = gpu.zeros(16, 'small');
    expect(() => mm.matmul(gpu.recorder(), small, small, small, null, { M: 3, N: 3, K: 3 })).toThrow(
      /matmul \[batch 1, M 3, N 3, K 3\]: A holds 4 elements, needs 9/,
    );
  });
});

describe('linear layer (Matmul.forward / Matmul.backward)', () => {
  // Ragged shapes; the bias gradient differs by family too.
  it.each([
    ['tiled', { N: 37, C: 19, OC: 70 }],
    ['direct', { N: 37, C: 19, OC: 70 }],
    ['direct', { N: 80, C: 20, OC: 68 }],
    ['direct scalar', { N: 80, C: 20, OC: 68 }],
  ] as const)('matches float64 forward and accumulating backward, bias included (%s, %o)', async (strategy, dims) => {
    const { N, C, OC } = dims;
    const mm = { tiled, direct, 'direct scalar': directScalar }[strategy];
    const inp = randomF32(rng, N * C);
    const weight = randomF32(rng, C * OC);
    const bias = randomF32(rng, OC);
    const dout = randomF32(rng, N * OC);
    // Gradients start non-zero: backward must add to them, not overwrite.
    const dinp0 = randomF32(rng, N * C);
    const dweight0 = randomF32(rng, C * OC);
    const dbias0 = randomF32(rng, OC);

    const out = Float64Array.from(poison(N * OC));
    linearForward(out, inp, weight, bias, dims);
    const dinp = Float64Array.from(dinp0);
    const dweight = Float64Array.from(dweight0);
    const dbias = Float64Array.from(dbias0);
    linearBackward(dinp, dweight, dbias, dout, inp, weight, dims);

    const g = {
      out: gpu.upload(poison(N * OC), 'out'),
      dinp: gpu.upload(dinp0, 'dinp'),
      dweight: gpu.upload(dweight0, 'dweight'),
      dbias: gpu.upload(dbias0, 'dbias'),
      inp: gpu.upload(inp, 'inp'),
      weight: gpu.upload(weight, 'weight'),
      bias: gpu.upload(bias, 'bias'),
      dout: gpu.upload(dout, 'dout'),
    };
    const rec = gpu.recorder();
    mm.forward(rec, g.out, g.inp, g.weight, g.bias, dims);
    mm.backward(rec, g.dinp, g.dweight, g.dbias, g.dout, g.inp, g.weight, dims);
    rec.submit();
    const errors = {
      out: maxRelError(await gpu.readF32(g.out), out),
      dinp: maxRelError(await gpu.readF32(g.dinp), dinp),
      dweight: maxRelError(await gpu.readF32(g.dweight), dweight),
      dbias: maxRelError(await gpu.readF32(g.dbias), dbias),
    };
    console.log('linear max rel err', errors);
    for (const err of Object.values(errors)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
  });

  it('binds tensors inside a larger buffer through 256-byte-aligned slices', async () => {
    const x = randomF32(rng, 2 * 64);
    const w = randomF32(rng, 64);
    const flat = new Float32Array(64 * 4);
    flat.set(w, 128); // weight lives at element 128 of a "parameter" buffer
    const want = new Float64Array(2);
    linearForward(want, x, w, null, { N: 2, C: 64, OC: 1 });
    const params = gpu.upload(flat, 'params');
    const out = gpu.upload(poison(2), 'out');
    const rec = gpu.recorder();
    mm.forward(rec, out, gpu.upload(x, 'x'), slice(params, 128, 64), null, { N: 2, C: 64, OC: 1 });
    rec.submit();
    expect(maxRelError(await gpu.readF32(out), want)).toBeLessThanOrEqual(F32_TOLERANCE);
    expect(() => slice(params, 100, 4)).toThrow(/not a multiple of 256/);
  });

  it('float64 backward agrees with central finite differences', () => {
    const small = { N: 3, C: 4, OC: 5 };
    const x = Float64Array.from(randomF32(rng, small.N * small.C));
    const w = Float64Array.from(randomF32(rng, small.C * small.OC));
    const b = Float64Array.from(randomF32(rng, small.OC));
    const dout = randomF32(rng, small.N * small.OC);
    const loss = () => {
      const y = new Float64Array(small.N * small.OC);
      linearForward(y, x, w, b, small);
      return weightedSum(y, dout);
    };
    const dx = new Float64Array(x.length);
    const dw = new Float64Array(w.length);
    const db = new Float64Array(b.length);
    linearBackward(dx, dw, db, dout, x, w, small);
    for (const [name, value, grad] of [
      ['x', x, dx],
      ['w', w, dw],
      ['b', b, db],
    ] as const) {
      const err = finiteDifferenceError(loss, value, grad);
      console.log(`linear finite differences d${name}: ${err.toExponential(2)}`);
      expect(err).toBeLessThan(1e-8);
    }
  });
});
