import { beforeAll, describe, expect, it } from 'vitest';
import type { Gpu } from '../../src/gpu/gpu';
import { Attention, type AttentionDims, type DecodeDims } from '../../src/kernels/attention';
import { attentionBackward, attentionForward } from '../../src/reference/attention';
import { maxRelError, poison } from '../helpers/compare';
import { finiteDifferenceError, weightedSum } from '../helpers/finite-difference';
import { testGpu } from '../helpers/gpu';
import { randomF32, testSeed, uniformRng } from '../helpers/random';

const F32_TOLERANCE = 1e-5;

let gpu: Gpu;
let attention: Attention;
/** Both training-kernel families, whatever the adapter: tiled (GPUs) and one invocation per row (CPU adapters). */
const families = new Map<string, Attention>();
const rng = uniformRng(testSeed('attention'));

beforeAll(async () => {
  gpu = await testGpu();
  attention = await Attention.create(gpu);
  families.set('tiled', await Attention.create(gpu, { rows: false }));
  families.set('rows', await Attention.create(gpu, { rows: true }));
});

const describeDims = ({ B, T, C, NH }: AttentionDims) => `B=${B} T=${T} C=${C} NH=${NH} (hs=${C / NH})`;

// Awkward on purpose: T = 1, T within one 16-row tile, T just past two tiles; hs from 4 to the
// maximum 64, including 12 (not a power of two) and 6 (not whole quads: the rows family falls back to
// the tiled kernels); the last is the `small` preset's head shape.
const shapes: AttentionDims[] = [
  { B: 1, T: 1, C: 4, NH: 1 },
  { B: 3, T: 7, C: 16, NH: 2 },
  { B: 1, T: 33, C: 64, NH: 4 },
  { B: 3, T: 33, C: 16, NH: 4 },
  { B: 2, T: 17, C: 36, NH: 3 },
  { B: 2, T: 9, C: 12, NH: 2 },
  { B: 1, T: 20, C: 64, NH: 1 },
  { B: 2, T: 64, C: 128, NH: 4 },
];

describe.each(['tiled', 'rows'])('attention (%s) forward and backward against float64', (family) => {
  for (const dims of shapes) {
    const { B, T, C, NH } = dims;
    it(describeDims(dims), async () => {
      const qkv = randomF32(rng, B * T * 3 * C, -2, 2); // wide enough that softmax rows are far from uniform
      const dout = randomF32(rng, B * T * C);
      const dqkv0 = randomF32(rng, B * T * 3 * C); // backward must add to it, not overwrite it

      const out = new Float64Array(B * T * C);
      const att = new Float64Array(B * NH * T * T);
      attentionForward(out, att, qkv, dims);
      // Both backwards see the same float32 probabilities, so the comparison isolates the backward.
      const att32 = Float32Array.from(att);
      const dqkv = Float64Array.from(dqkv0);
      attentionBackward(dqkv, new Float64Array(B * NH * T * T), dout, qkv, att32, dims);

      const g = {
        out: gpu.upload(poison(B * T * C), 'out'),
        att: gpu.upload(poison(B * NH * T * T), 'att'),
        qkv: gpu.upload(qkv, 'qkv'),
        dqkv: gpu.upload(dqkv0, 'dqkv'),
        datt: gpu.upload(poison(B * NH * T * T), 'datt'), // the scratch holds NaN where never written
        dout: gpu.upload(dout, 'dout'),
        att32: gpu.upload(att32, 'att32'),
      };
      const rec = gpu.recorder('attention test', true);
      const kernels = families.get(family)!;
      kernels.forward(rec, g.out, g.att, g.qkv, dims);
      kernels.backward(rec, g.dqkv, g.datt, g.dout, g.qkv, g.att32, dims);
      const ran = [...(await rec.profileSubmit()).keys()];
      const byRows = family === 'rows' && (C / NH) % 4 === 0;
      expect(ran).toEqual(
        ['forward', 'backward_query', 'backward_key'].map((pass) =>
          byRows ? `shaders/attention-rows.wgsl:attention_${pass}_rows` : `shaders/attention.wgsl:attention_${pass}`,
        ),
      );
      const errors = {
        out: maxRelError(await gpu.readF32(g.out), out),
        att: maxRelError(await gpu.readF32(g.att), att),
        dqkv: maxRelError(await gpu.readF32(g.dqkv), dqkv),
      };
      console.log(
        `attention (${family}) ${describeDims(dims)}: max rel err out ${errors.out.toExponential(2)} att ${errors.att.toExponential(2)} dqkv ${errors.dqkv.toExponential(2)}`,
      );
      for (const err of Object.values(errors)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
    });
  }
});

describe('attention', () => {
  it('refuses heads wider than 64 columns and buffers too small for the shape', () => {
    const small = gpu.zeros(16, 'small');
    expect(() => attention.forward(gpu.recorder(), small, small, small, { B: 1, T: 2, C: 128, NH: 1 })).toThrow(/heads of at most 64 columns/);
    expect(() => attention.forward(gpu.recorder(), small, small, small, { B: 1, T: 3, C: 8, NH: 2 })).toThrow(/out holds 4 elements, needs 24/);
  });
});

describe('attention float64 backward', () => {
  it('agrees with central finite differences of the forward', () => {
    const dims = { B: 2, T: 5, C: 8, NH: 2 };
    const { B, T, C, NH } = dims;
    const qkv = Float64Array.from(randomF32(rng, B * T * 3 * C, -2, 2));
    const dout = randomF32(rng, B * T * C);
    const loss = () => {
      const out = new Float64Array(B * T * C);
      attentionForward(out, new Float64Array(B * NH * T * T), qkv, dims);
      return weightedSum(out, dout);
    };
    const att = new Float64Array(B * NH * T * T);
    attentionForward(new Float64Array(B * T * C), att, qkv, dims);
    const dqkv = new Float64Array(qkv.length);
    attentionBackward(dqkv, new Float64Array(att.length), dout, qkv, att, dims);
    const err = finiteDifferenceError(loss, qkv, dqkv);
    console.log(`attention finite differences dqkv: ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-8);
  });
});

describe.each(['tiled', 'rows'])('attention (%s) KV-cache decoding', (family) => {
  it('decoding positions 0..T-1 one by one reproduces the full forward', async () => {
    const attention = families.get(family)!;
    const dims = { B: 3, T: 9, C: 32, NH: 2 };
    const { B, T, C, NH } = dims;
    const maxT = T + 4;
    const qkv = randomF32(rng, B * T * 3 * C, -2, 2);
    const g = {
      out: gpu.upload(poison(B * T * C), 'out'),
      att: gpu.upload(poison(B * NH * T * T), 'att'),
      // NaN everywhere not yet written: decoding must never read past `pos`.
      kcache: gpu.upload(poison(B * maxT * C), 'kcache'),
      vcache: gpu.upload(poison(B * maxT * C), 'vcache'),
    };
    const rec = gpu.recorder();
    attention.forward(rec, g.out, g.att, gpu.upload(qkv, 'qkv'), dims);
    const stepOuts: GPUBuffer[] = [];
    for (let pos = 0; pos < T; pos++) {
      const step = new Float32Array(B * 3 * C); // [R, 3C]: row `pos` of every sequence
      for (let b = 0; b < B; b++) step.set(qkv.subarray((b * T + pos) * 3 * C, (b * T + pos + 1) * 3 * C), b * 3 * C);
      const out = gpu.upload(poison(B * C), `out ${pos}`);
      attention.decode(rec, out, g.kcache, g.vcache, gpu.upload(step, `qkv ${pos}`), { R: B, C, NH, pos, maxT });
      stepOuts.push(out);
    }
    rec.submit();

    const full = await gpu.readF32(g.out);
    const decoded = new Float32Array(B * T * C); // [B, T, C], reassembled from the steps' [R, C]
    for (let pos = 0; pos < T; pos++) {
      const step = await gpu.readF32(stepOuts[pos]!);
      for (let b = 0; b < B; b++) decoded.set(step.subarray(b * C, (b + 1) * C), (b * T + pos) * C);
    }
    const want = new Float64Array(B * T * C);
    attentionForward(want, new Float64Array(B * NH * T * T), qkv, dims);
    const errors = { vsForward: maxRelError(decoded, full), vsReference: maxRelError(decoded, want) };
    console.log(
      `attention (${family}) decode ${describeDims(dims)} maxT=${maxT}: max rel err vs forward ${errors.vsForward.toExponential(2)}, vs float64 ${errors.vsReference.toExponential(2)}`,
    );
    for (const err of Object.values(errors)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);

    // The cache now holds every position's k and v, copied exactly.
    const kcache = await gpu.readF32(g.kcache);
    const vcache = await gpu.readF32(g.vcache);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const src = (b * T + t) * 3 * C;
        const dst = (b * maxT + t) * C;
        expect(kcache.subarray(dst, dst + C)).toEqual(qkv.subarray(src + C, src + 2 * C));
        expect(vcache.subarray(dst, dst + C)).toEqual(qkv.subarray(src + 2 * C, src + 3 * C));
      }
    }
  });

  // pos past one 64-key chunk; hs = 64 (one accumulation group); pos = 0; hs = 12 (groups leave lanes idle);
  // hs = 6 (not whole quads: the rows family falls back to the workgroup kernel); R·NH past one 64-invocation workgroup.
  const steps: DecodeDims[] = [
    { R: 2, C: 24, NH: 3, pos: 70, maxT: 80 },
    { R: 1, C: 64, NH: 1, pos: 5, maxT: 9 },
    { R: 3, C: 12, NH: 3, pos: 0, maxT: 4 },
    { R: 2, C: 36, NH: 3, pos: 64, maxT: 65 },
    { R: 2, C: 18, NH: 3, pos: 7, maxT: 10 },
    { R: 33, C: 16, NH: 4, pos: 3, maxT: 6 },
  ];
  for (const dims of steps) {
    const { R, C, NH, pos, maxT } = dims;
    it(`one step at pos=${pos} of a cache of ${maxT} (R=${R} C=${C} NH=${NH})`, async () => {
      const attention = families.get(family)!;
      // Positions before `pos` hold earlier tokens' k and v; `pos` onwards is NaN until written.
      const kcache = poison(R * maxT * C);
      const vcache = poison(R * maxT * C);
      for (let r = 0; r < R; r++) {
        kcache.set(randomF32(rng, pos * C, -2, 2), r * maxT * C);
        vcache.set(randomF32(rng, pos * C), r * maxT * C);
      }
      const qkv = randomF32(rng, R * 3 * C, -2, 2);

      // Expected: the full forward over a sequence whose k and v are the cache's, with the new token last.
      const T = pos + 1;
      const seq = randomF32(rng, R * T * 3 * C); // q of earlier positions does not affect row pos
      for (let r = 0; r < R; r++) {
        for (let t = 0; t < pos; t++) {
          const row = (r * T + t) * 3 * C;
          seq.set(kcache.subarray((r * maxT + t) * C, (r * maxT + t + 1) * C), row + C);
          seq.set(vcache.subarray((r * maxT + t) * C, (r * maxT + t + 1) * C), row + 2 * C);
        }
        seq.set(qkv.subarray(r * 3 * C, (r + 1) * 3 * C), (r * T + pos) * 3 * C);
      }
      const full = new Float64Array(R * T * C);
      attentionForward(full, new Float64Array(R * NH * T * T), seq, { B: R, T, C, NH });
      const want = new Float64Array(R * C);
      for (let r = 0; r < R; r++) want.set(full.subarray((r * T + pos) * C, (r * T + pos + 1) * C), r * C);

      const out = gpu.upload(poison(R * C), 'out');
      const rec = gpu.recorder();
      attention.decode(rec, out, gpu.upload(kcache, 'kcache'), gpu.upload(vcache, 'vcache'), gpu.upload(qkv, 'qkv'), dims);
      rec.submit();
      const err = maxRelError(await gpu.readF32(out), want);
      console.log(`attention (${family}) decode pos=${pos} maxT=${maxT} R=${R} C=${C} NH=${NH}: max rel err ${err.toExponential(2)}`);
      expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
    });
  }

  it('refuses a position outside the cache', () => {
    const attention = families.get(family)!;
    const small = gpu.zeros(64, 'small');
    expect(() => attention.decode(gpu.recorder(), small, small, small, small, { R: 1, C: 4, NH: 1, pos: 2, maxT: 2 })).toThrow(
      /pos must be an integer in 0\.\.1/,
    );
  });
});
