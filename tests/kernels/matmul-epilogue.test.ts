import { beforeAll, describe, expect, it } from 'vitest';
import type { Gpu } from '../../src/gpu/gpu';
import { Matmul, type MatmulEpilogue, type MatmulShape } from '../../src/kernels/matmul';
import { geluBackward, geluForward } from '../../src/reference/gelu';
import { linearBackward, linearForward, matmul as matmulRef, type ReferenceEpilogue } from '../../src/reference/matmul';
import { maxRelError, poison } from '../helpers/compare';
import { finiteDifferenceError, weightedSum } from '../helpers/finite-difference';
import { testGpu } from '../helpers/gpu';
import { randomF32, testSeed, uniformRng } from '../helpers/random';

// The layers fused into the matmul's epilogue (shaders/matmul-common.wgsl, gelu-math.wgsl): GELU
// forward and backward and the residual add, in both kernel families, against float64.

const F32_TOLERANCE = 1e-5;

let gpu: Gpu;
let tiled: Matmul;
let direct: Matmul;
/** matmul-direct.wgsl for every shape (`direct` takes matmul-direct-vec4.wgsl where a shape allows). */
let directScalar: Matmul;
const rng = uniformRng(testSeed('matmul-epilogue'));

beforeAll(async () => {
  gpu = await testGpu();
  [tiled, direct, directScalar] = await Promise.all([
    Matmul.create(gpu, { direct: false }),
    Matmul.create(gpu, { direct: true }),
    Matmul.create(gpu, { direct: true, vec4: false }),
  ]);
});

const IDENTITY4 = Float32Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0));

/**
 * GELU and its gradient through the epilogue on exactly the values `x`: X [n/4, 4] times the 4×4
 * identity is X in float32, so the epilogue sees x itself. Returns gelu(x), the stored pre-activation,
 * and dinp0 + gelu'(x)·dout.
 */
async function geluThroughEpilogue(
  family: Matmul,
  x: Float32Array<ArrayBuffer>,
  dout: Float32Array<ArrayBuffer>,
  dinp0: Float32Array<ArrayBuffer>,
): Promise<{ out: Float32Array; pre: Float32Array; dinp: Float32Array }> {
  const n = x.length;
  const shape = { M: n / 4, N: 4, K: 4 };
  const g = {
    out: gpu.upload(poison(n), 'out'),
    pre: gpu.upload(poison(n), 'pre'),
    dinp: gpu.upload(dinp0, 'dinp'),
    x: gpu.upload(x, 'x'),
    eye: gpu.upload(IDENTITY4, 'I'),
  };
  const rec = gpu.recorder();
  family.matmul(rec, g.out, g.x, g.eye, null, { ...shape, epilogue: { kind: 'gelu', aux: g.pre } });
  family.matmul(rec, g.dinp, gpu.upload(dout, 'dout'), g.eye, null, {
    ...shape,
    transB: true,
    accumulate: true,
    epilogue: { kind: 'gelu-backward', aux: g.pre },
  });
  rec.submit();
  return { out: await gpu.readF32(g.out), pre: await gpu.readF32(g.pre), dinp: await gpu.readF32(g.dinp) };
}

function geluWant(x: Float32Array, dout: Float32Array, dinp0: Float32Array): { out: Float64Array; dinp: Float64Array } {
  const n = x.length;
  const out = new Float64Array(n);
  geluForward(out, x, { n });
  const dinp = Float64Array.from(dinp0);
  geluBackward(dinp, x, dout, { n });
  return { out, dinp };
}

describe.each([
  ['tiled', () => tiled],
  ['direct', () => direct],
  ['direct scalar', () => directScalar],
] as const)('matmul epilogue (%s)', (_, family) => {
  // Rows: 1, 7, 33, 65 and more than one block of 64 rows with a partial last one.
  for (const rows of [1, 7, 33, 65, 250]) {
    it(`GELU and its gradient on ${rows * 4} values in [-6, 6)`, async () => {
      const n = rows * 4;
      const x = randomF32(rng, n, -6, 6);
      const dout = randomF32(rng, n);
      const dinp0 = randomF32(rng, n); // the backward must add to it, not overwrite
      const got = await geluThroughEpilogue(family(), x, dout, dinp0);
      const want = geluWant(x, dout, dinp0);
      const errors = { out: maxRelError(got.out, want.out), pre: maxRelError(got.pre, x), dinp: maxRelError(got.dinp, want.dinp) };
      console.log(`gelu epilogue n=${n}: max rel err`, errors);
      for (const err of Object.values(errors)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
    });
  }

  it("keeps GELU's relative accuracy in the negative tail, where 1 + tanh u cancels", async () => {
    const x = randomF32(rng, 64, -6, -3); // gelu here is −0.004 … −1e-10
    const dout = randomF32(rng, 64);
    const got = await geluThroughEpilogue(family(), x, dout, new Float32Array(64));
    const want = geluWant(x, dout, new Float32Array(64));
    const errors = { out: maxRelError(got.out, want.out), dinp: maxRelError(got.dinp, want.dinp) };
    console.log('gelu epilogue on [-6, -3): max rel err', errors);
    for (const err of Object.values(errors)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
  });

  it('gives x and 0 (gradient 1 and 0) for huge inputs, never NaN', async () => {
    const x = Float32Array.from([9, -9, 12, -12, 50, -50, 1e4, -1e4, 1e13, -1e13, 1e20, -1e20, 3e38, -3e38, 0, 1]);
    const dout = new Float32Array(x.length).fill(1);
    const got = await geluThroughEpilogue(family(), x, dout, new Float32Array(x.length));
    const want = geluWant(x, dout, new Float32Array(x.length));
    for (let i = 0; i < x.length; i++) {
      // Element by element: gelu(x) is within float32 rounding of x (x > 0) or of 0 (x < 0); gelu' of 1 or 0.
      expect(Math.abs(got.out[i]! - want.out[i]!), `gelu(${x[i]})`).toBeLessThanOrEqual(Math.abs(x[i]!) * 1e-7);
      expect(Math.abs(got.dinp[i]! - want.dinp[i]!), `gelu'(${x[i]})`).toBeLessThanOrEqual(1e-7);
    }
  });

  // Real products under each epilogue, in shapes that leave partial blocks (and K % 4 ≠ 0) in both families.
  const cases: [MatmulEpilogue['kind'], MatmulShape][] = [
    ['residual', { M: 68, N: 44, K: 20, batch: 2 }],
    ['residual', { M: 33, N: 7, K: 65 }],
    ['gelu', { M: 68, N: 36, K: 12 }],
    ['gelu', { M: 9, N: 33, K: 17, batch: 2 }],
    ['gelu-backward', { M: 68, N: 20, K: 44, transB: true, accumulate: true }],
    ['gelu-backward', { M: 65, N: 70, K: 7, transB: true, accumulate: true }],
    ['bias-gradient', { M: 20, N: 68, K: 132, transA: true, accumulate: true }],
    ['bias-gradient', { M: 20, N: 68, K: 37, transA: true, accumulate: true }],
    ['bias-gradient', { M: 70, N: 136, K: 9, transA: true, accumulate: true }], // more than one workgroup of rows and of columns
    ['bias-gradient', { M: 19, N: 70, K: 37, transA: true, accumulate: true }],
  ];
  for (const [kind, shape] of cases) {
    it(`${kind} after a product M=${shape.M} N=${shape.N} K=${shape.K}${shape.transA ? ' Aᵀ·B' : ''}${shape.transB ? ' A·Bᵀ' : ''}, alpha 0.75`, async () => {
      const { M, N, K, batch = 1 } = shape;
      const withBias = kind === 'residual' || kind === 'gelu'; // what the model fuses: the bias of the layer being run forward
      const full = { ...shape, alpha: 0.75 };
      const a = randomF32(rng, batch * M * K);
      const b = randomF32(rng, batch * K * N);
      const bias = withBias ? randomF32(rng, N) : null;
      // bias-gradient adds to its N sums; gelu only writes aux; the others read it.
      const aux0 = kind === 'bias-gradient' ? randomF32(rng, N) : kind === 'gelu' ? poison(batch * M * N) : randomF32(rng, batch * M * N, -3, 3);
      const c0 = full.accumulate ? randomF32(rng, batch * M * N) : poison(batch * M * N);
      const want = Float64Array.from(c0);
      const wantAux: ReferenceEpilogue = { kind, aux: Float64Array.from(aux0) };
      matmulRef(want, a, b, bias, full, wantAux);

      const g = { c: gpu.upload(c0, 'c'), aux: gpu.upload(aux0, 'aux') };
      const rec = gpu.recorder();
      family().matmul(rec, g.c, gpu.upload(a, 'a'), gpu.upload(b, 'b'), bias && gpu.upload(bias, 'bias'), { ...full, epilogue: { kind, aux: g.aux } });
      rec.submit();
      const errors = { c: maxRelError(await gpu.readF32(g.c), want), aux: maxRelError(await gpu.readF32(g.aux), wantAux.aux) };
      console.log(`${kind} epilogue M=${M} N=${N} K=${K}: max rel err`, errors);
      for (const err of Object.values(errors)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
    });
  }

  it("fuses GELU into a linear layer's forward and the following layer's backward, and a residual into a forward", async () => {
    const N = 12,
      C = 8,
      H = 32; // x [N,C] → fc → gelu → proj → + x
    const x = randomF32(rng, N * C);
    const [fcw, fcb, pw, pb] = [randomF32(rng, C * H), randomF32(rng, H), randomF32(rng, H * C), randomF32(rng, C)];
    const dout = randomF32(rng, N * C);
    const want = {
      pre: new Float64Array(N * H),
      h: new Float64Array(N * H),
      y: new Float64Array(N * C),
      dh: new Float64Array(N * H),
      dpre: new Float64Array(N * H),
      dpw: new Float64Array(H * C),
      dpb: new Float64Array(C),
    };
    linearForward(want.pre, x, fcw, fcb, { N, C, OC: H });
    geluForward(want.h, want.pre, { n: N * H });
    linearForward(want.y, want.h, pw, pb, { N, C: H, OC: C });
    for (let i = 0; i < N * C; i++) want.y[i] = want.y[i]! + x[i]!;
    linearBackward(want.dh, want.dpw, want.dpb, dout, want.h, pw, { N, C: H, OC: C });
    geluBackward(want.dpre, want.pre, want.dh, { n: N * H });

    const up = (v: Float32Array<ArrayBuffer>, label: string) => gpu.upload(v, label);
    const g = {
      x: up(x, 'x'),
      pre: up(poison(N * H), 'pre'),
      h: up(poison(N * H), 'h'),
      y: up(poison(N * C), 'y'),
      dpre: gpu.zeros(N * H * 4, 'dpre'),
      dpw: gpu.zeros(H * C * 4, 'dpw'),
      dpb: gpu.zeros(C * 4, 'dpb'),
      pw: up(pw, 'pw'),
    };
    const mm = family();
    const rec = gpu.recorder();
    mm.forward(rec, g.h, g.x, up(fcw, 'fcw'), up(fcb, 'fcb'), { N, C, OC: H }, { preGelu: g.pre });
    mm.forward(rec, g.y, g.h, g.pw, up(pb, 'pb'), { N, C: H, OC: C }, { residual: g.x });
    mm.backward(rec, g.dpre, g.dpw, g.dpb, up(dout, 'dout'), g.h, g.pw, { N, C: H, OC: C }, { preGelu: g.pre });
    rec.submit();
    const errors = {
      pre: maxRelError(await gpu.readF32(g.pre), want.pre),
      h: maxRelError(await gpu.readF32(g.h), want.h),
      y: maxRelError(await gpu.readF32(g.y), want.y),
      dpre: maxRelError(await gpu.readF32(g.dpre), want.dpre),
      dpw: maxRelError(await gpu.readF32(g.dpw), want.dpw),
      dpb: maxRelError(await gpu.readF32(g.dpb), want.dpb),
    };
    console.log('fused MLP: max rel err', errors);
    for (const err of Object.values(errors)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
  });
});

describe('matmul epilogue', () => {
  it('refuses an aux buffer too small for C, GELU with a residual, and an epilogue its layout is not compiled with', () => {
    const small = gpu.zeros(16, 'small');
    const big = gpu.zeros(64 * 4, 'big');
    expect(() => tiled.matmul(gpu.recorder(), big, big, big, null, { M: 3, N: 3, K: 3, epilogue: { kind: 'residual', aux: small } })).toThrow(
      /matmul \[batch 1, M 3, N 3, K 3\]: residual aux holds 4 elements, needs 9/,
    );
    expect(() => tiled.forward(gpu.recorder(), big, big, big, null, { N: 2, C: 2, OC: 2 }, { preGelu: big, residual: big })).toThrow(
      /GELU or a residual, not both/,
    );
    expect(() => direct.matmul(gpu.recorder(), big, big, big, null, { M: 4, N: 4, K: 4, epilogue: { kind: 'bias-gradient', aux: small } })).toThrow(
      /the bias-gradient epilogue is not supported for A·B \(only none, residual, gelu\)/,
    );
    expect(() =>
      direct.matmul(gpu.recorder(), big, big, big, null, { M: 4, N: 4, K: 4, batch: 2, transA: true, epilogue: { kind: 'bias-gradient', aux: small } }),
    ).toThrow(/bias-gradient epilogue needs Aᵀ·B over one batch/);
  });

  it('float64 GELU gradient agrees with central finite differences', () => {
    const n = 40;
    const inp = Float64Array.from(randomF32(rng, n, -6, 6));
    const dout = randomF32(rng, n);
    const loss = () => {
      const y = new Float64Array(n);
      geluForward(y, inp, { n });
      return weightedSum(y, dout);
    };
    const dinp = new Float64Array(n);
    geluBackward(dinp, inp, dout, { n });
    const err = finiteDifferenceError(loss, inp, dinp);
    console.log(`gelu finite differences dinp: ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-8);
  });
});
