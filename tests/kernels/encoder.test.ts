import { beforeAll, describe, expect, it } from 'vitest';
import type { Gpu } from '../../src/gpu/gpu';
import { Encoder, type EncoderDims } from '../../src/kernels/encoder';
import { encoderBackward, encoderForward } from '../../src/reference/encoder';
import { maxRelError, poison } from '../helpers/compare';
import { finiteDifferenceError, weightedSum } from '../helpers/finite-difference';
import { testGpu } from '../helpers/gpu';
import { randomF32, testSeed, uniformRng } from '../helpers/random';

const F32_TOLERANCE = 1e-5;

let gpu: Gpu;
let encoder: Encoder;
const rng = uniformRng(testSeed('encoder'));

beforeAll(async () => {
  gpu = await testGpu();
  encoder = await Encoder.create(gpu);
});

/** Token ids drawn from the first `distinct` ids of the vocabulary, so small `distinct` repeats ids often. */
function randomTokens(n: number, distinct: number): Uint32Array<ArrayBuffer> {
  return Uint32Array.from({ length: n }, () => Math.floor(rng() * distinct));
}

/** Forward and accumulating backward on the GPU and in float64; returns each output's max relative error. */
async function check(dims: EncoderDims, maxT: number, tokens: Uint32Array<ArrayBuffer>): Promise<Record<string, number>> {
  const { B, T, C, V } = dims;
  const wte = randomF32(rng, V * C);
  const wpe = randomF32(rng, maxT * C);
  const dout = randomF32(rng, B * T * C);
  // Gradients start non-zero: backward must add to them, not overwrite.
  const dwte0 = randomF32(rng, V * C);
  const dwpe0 = randomF32(rng, maxT * C);

  const out = Float64Array.from(poison(B * T * C));
  encoderForward(out, tokens, wte, wpe, dims);
  const dwte = Float64Array.from(dwte0);
  const dwpe = Float64Array.from(dwpe0);
  encoderBackward(dwte, dwpe, dout, tokens, dims);

  const g = {
    out: gpu.upload(poison(B * T * C), 'out'),
    tokens: gpu.upload(tokens, 'tokens'),
    wte: gpu.upload(wte, 'wte'),
    wpe: gpu.upload(wpe, 'wpe'),
    dout: gpu.upload(dout, 'dout'),
    dwte: gpu.upload(dwte0, 'dwte'),
    dwpe: gpu.upload(dwpe0, 'dwpe'),
  };
  const rec = gpu.recorder();
  encoder.forward(rec, g.out, g.tokens, g.wte, g.wpe, dims);
  encoder.backward(rec, g.dwte, g.dwpe, g.dout, g.tokens, dims);
  rec.submit();
  return {
    out: maxRelError(await gpu.readF32(g.out), out),
    dwte: maxRelError(await gpu.readF32(g.dwte), dwte),
    dwpe: maxRelError(await gpu.readF32(g.dwpe), dwpe),
  };
}

// B, T, C, V, maxT, pos0 — awkward sizes: 1, 7, 33, 65; T < maxT; pos0 > 0; B·T > 256 (several
// staged batches of token ids); V < B·T (ids repeat); one-token decoding at the last position.
const cases: [number, number, number, number, number, number][] = [
  [1, 1, 1, 1, 1, 0],
  [2, 7, 33, 5, 9, 0],
  [3, 5, 65, 70, 12, 4],
  [1, 1, 64, 17, 16, 15],
  [4, 65, 7, 3, 65, 0],
  [5, 33, 130, 40, 40, 7],
];

describe('encoder against float64', () => {
  for (const [B, T, C, V, maxT, pos0] of cases) {
    it(`B=${B} T=${T} C=${C} V=${V} maxT=${maxT} pos0=${pos0}`, async () => {
      const dims = { B, T, C, V, pos0 };
      const errors = await check(dims, maxT, randomTokens(B * T, V));
      console.log(`encoder B=${B} T=${T} C=${C} V=${V} maxT=${maxT} pos0=${pos0}: max rel err`, errors);
      for (const err of Object.values(errors)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
    });
  }

  it('clamps token ids past the vocabulary to V − 1 instead of reading out of bounds', async () => {
    const dims = { B: 2, T: 4, C: 9, V: 6 };
    const tokens = Uint32Array.from([0, 5, 6, 1, 0xffffffff, 2, 1000, 5]);
    const errors = await check(dims, 4, tokens);
    console.log('encoder out-of-range ids: max rel err', errors);
    for (const err of Object.values(errors)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
  });

  it('refuses a position table too short for pos0 + T', () => {
    const small = gpu.zeros(64 * 4, 'small');
    expect(() => encoder.forward(gpu.recorder(), small, small, small, small, { B: 1, T: 2, C: 4, V: 2, pos0: 15 })).toThrow(/wpe holds 64 elements, needs 68/);
  });
});

describe('encoder float64 backward', () => {
  it('agrees with central finite differences', () => {
    const dims = { B: 2, T: 3, C: 4, V: 3, pos0: 1 };
    const maxT = 5;
    const tokens = Uint32Array.from([2, 0, 2, 1, 2, 0]);
    const wte = Float64Array.from(randomF32(rng, dims.V * dims.C));
    const wpe = Float64Array.from(randomF32(rng, maxT * dims.C));
    const dout = randomF32(rng, dims.B * dims.T * dims.C);
    const loss = () => {
      const y = new Float64Array(dims.B * dims.T * dims.C);
      encoderForward(y, tokens, wte, wpe, dims);
      return weightedSum(y, dout);
    };
    const dwte = new Float64Array(wte.length);
    const dwpe = new Float64Array(wpe.length);
    encoderBackward(dwte, dwpe, dout, tokens, dims);
    for (const [name, value, grad] of [
      ['wte', wte, dwte],
      ['wpe', wpe, dwpe],
    ] as const) {
      const err = finiteDifferenceError(loss, value, grad);
      console.log(`encoder finite differences d${name}: ${err.toExponential(2)}`);
      expect(err).toBeLessThan(1e-8);
    }
  });
});
