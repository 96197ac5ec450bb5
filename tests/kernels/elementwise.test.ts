import { beforeAll, describe, expect, it } from 'vitest';
import type { Gpu } from '../../src/gpu/gpu';
import { Gelu } from '../../src/kernels/gelu';
import { Residual } from '../../src/kernels/residual';
import { geluBackward, geluForward } from '../../src/reference/gelu';
import { residualBackward, residualForward } from '../../src/reference/residual';
import { maxRelError, poison } from '../helpers/compare';
import { finiteDifferenceError, weightedSum } from '../helpers/finite-difference';
import { testGpu } from '../helpers/gpu';
import { randomF32, testSeed, uniformRng } from '../helpers/random';

const F32_TOLERANCE = 1e-5;

let gpu: Gpu;
let gelu: Gelu;
let residual: Residual;
const rng = uniformRng(testSeed('elementwise'));

beforeAll(async () => {
  gpu = await testGpu();
  [gelu, residual] = await Promise.all([Gelu.create(gpu), Residual.create(gpu)]);
});

// Awkward lengths: 1, 7, 33, 65, and more than one 256-wide workgroup with a partial last one.
const sizes = [1, 7, 33, 65, 1000, 256 * 9 + 1];

/** GELU forward and accumulating backward on the GPU; returns [out, dinp] to compare. */
async function runGelu(inp: Float32Array<ArrayBuffer>, dout: Float32Array<ArrayBuffer>, dinp0: Float32Array<ArrayBuffer>): Promise<[Float32Array, Float32Array]> {
  const n = inp.length;
  const out = gpu.upload(poison(n), 'out');
  const dinp = gpu.upload(dinp0, 'dinp');
  const rec = gpu.recorder();
  const inpBuf = gpu.upload(inp, 'inp');
  gelu.forward(rec, out, inpBuf, { n });
  gelu.backward(rec, dinp, inpBuf, gpu.upload(dout, 'dout'), { n });
  rec.submit();
  return [await gpu.readF32(out), await gpu.readF32(dinp)];
}

describe('gelu against float64', () => {
  for (const n of sizes) {
    it(`n=${n}`, async () => {
      // [-6, 6) covers the curve's bend and both nearly flat tails.
      const inp = randomF32(rng, n, -6, 6);
      const dout = randomF32(rng, n);
      const dinp0 = randomF32(rng, n); // backward must add to it, not overwrite
      const out = new Float64Array(n);
      geluForward(out, inp, { n });
      const dinp = Float64Array.from(dinp0);
      geluBackward(dinp, inp, dout, { n });
      const [gotOut, gotDinp] = await runGelu(inp, dout, dinp0);
      const errors = { out: maxRelError(gotOut, out), dinp: maxRelError(gotDinp, dinp) };
      console.log(`gelu n=${n}: max rel err`, errors);
      for (const err of Object.values(errors)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
    });
  }

  it('keeps its relative accuracy in the negative tail, where 1 + tanh u cancels', async () => {
    const n = 65;
    const inp = randomF32(rng, n, -6, -3); // gelu here is −0.004 … −1e-10
    const dout = randomF32(rng, n);
    const out = new Float64Array(n);
    geluForward(out, inp, { n });
    const dinp = new Float64Array(n);
    geluBackward(dinp, inp, dout, { n });
    const [gotOut, gotDinp] = await runGelu(inp, dout, new Float32Array(n));
    const errors = { out: maxRelError(gotOut, out), dinp: maxRelError(gotDinp, dinp) };
    console.log('gelu inputs in [-6, -3): max rel err', errors);
    for (const err of Object.values(errors)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
  });

  it('gives x and 0 (gradient 1 and 0) for huge inputs, never NaN', async () => {
    const inp = Float32Array.from([9, -9, 12, -12, 50, -50, 1e4, -1e4, 1e13, -1e13, 1e20, -1e20, 3e38, -3e38]);
    const n = inp.length;
    const dout = new Float32Array(n).fill(1);
    const [out, dinp] = await runGelu(inp, dout, new Float32Array(n));
    const wantOut = new Float64Array(n);
    geluForward(wantOut, inp, { n });
    const wantDinp = new Float64Array(n);
    geluBackward(wantDinp, inp, dout, { n });
    for (let i = 0; i < n; i++) {
      const x = inp[i]!;
      // Element by element: out is within float32 rounding of x (x > 0) or of 0 (x < 0); gelu' of 1 or 0.
      expect(Math.abs(out[i]! - wantOut[i]!), `gelu(${x})`).toBeLessThanOrEqual(Math.abs(x) * 1e-7);
      expect(Math.abs(dinp[i]! - wantDinp[i]!), `gelu'(${x})`).toBeLessThanOrEqual(1e-7);
    }
  });
});

describe('residual against float64', () => {
  for (const n of sizes) {
    it(`n=${n}`, async () => {
      const a = randomF32(rng, n);
      const b = randomF32(rng, n);
      const dout = randomF32(rng, n);
      const da0 = randomF32(rng, n);
      const db0 = randomF32(rng, n);
      const out = new Float64Array(n);
      residualForward(out, a, b, { n });
      const da = Float64Array.from(da0);
      const db = Float64Array.from(db0);
      residualBackward(da, db, dout, { n });

      const g = { out: gpu.upload(poison(n), 'out'), da: gpu.upload(da0, 'da'), db: gpu.upload(db0, 'db') };
      const rec = gpu.recorder();
      residual.forward(rec, g.out, gpu.upload(a, 'a'), gpu.upload(b, 'b'), { n });
      residual.backward(rec, g.da, g.db, gpu.upload(dout, 'dout'), { n });
      rec.submit();
      const errors = {
        out: maxRelError(await gpu.readF32(g.out), out),
        da: maxRelError(await gpu.readF32(g.da), da),
        db: maxRelError(await gpu.readF32(g.db), db),
      };
      console.log(`residual n=${n}: max rel err`, errors);
      for (const err of Object.values(errors)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
    });
  }

  it('covers n past 65535 workgroups of 256 with a 2-D grid', async () => {
    const n = 65535 * 256 + 1000;
    const a = randomF32(rng, n);
    const b = randomF32(rng, n);
    const out = gpu.upload(poison(n), 'out');
    const rec = gpu.recorder();
    residual.forward(rec, out, gpu.upload(a, 'a'), gpu.upload(b, 'b'), { n });
    rec.submit();
    const want = new Float64Array(n);
    residualForward(want, a, b, { n });
    const err = maxRelError(await gpu.readF32(out), want);
    console.log(`residual n=${n}: max rel err ${err.toExponential(2)}`);
    expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
  });

  it('refuses a buffer too small for n', () => {
    const small = gpu.zeros(16, 'small');
    expect(() => residual.forward(gpu.recorder(), small, small, small, { n: 5 })).toThrow(/residual_forward \[n 5\]: out holds 4 elements, needs 5/);
  });
});

describe('float64 backward against central finite differences', () => {
  it('gelu', () => {
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

  it('residual', () => {
    const n = 12;
    const a = Float64Array.from(randomF32(rng, n));
    const b = Float64Array.from(randomF32(rng, n));
    const dout = randomF32(rng, n);
    const loss = () => {
      const y = new Float64Array(n);
      residualForward(y, a, b, { n });
      return weightedSum(y, dout);
    };
    const da = new Float64Array(n);
    const db = new Float64Array(n);
    residualBackward(da, db, dout, { n });
    for (const [name, value, grad] of [['a', a, da], ['b', b, db]] as const) {
      const err = finiteDifferenceError(loss, value, grad);
      console.log(`residual finite differences d${name}: ${err.toExponential(2)}`);
      expect(err).toBeLessThan(1e-8);
    }
  });
});
