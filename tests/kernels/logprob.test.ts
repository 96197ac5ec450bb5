import { beforeAll, describe, expect, it } from 'vitest';
import type { Gpu } from '../../src/gpu/gpu';
import { LogProb, type LogProbDims } from '../../src/kernels/logprob';
import { logprobBackward, logprobForward, sequenceSum } from '../../src/reference/logprob';
import { maxRelError, poison } from '../helpers/compare';
import { finiteDifferenceError } from '../helpers/finite-difference';
import { testGpu } from '../helpers/gpu';
import { randomF32, testSeed, uniformRng } from '../helpers/random';

const F32_TOLERANCE = 1e-5;
/** A token id past the vocabulary, as padding after EOS might carry: logp 0, no one-hot term. */
const PAST_VOCAB = 0xffffffff;

let gpu: Gpu;
let lp: LogProb;
/** Row layouts of forward, forward_entropy and sequence_sum: a GPU's (64 invocations per row), a CPU adapter's (one per row), and one between. */
const LAYOUTS = [
  { ROW_THREADS: 64, ROWS: 1 },
  { ROW_THREADS: 1, ROWS: 16 },
  { ROW_THREADS: 4, ROWS: 16 },
];
const byLayout = new Map<string, LogProb>();
const rng = uniformRng(testSeed('logprob'));

beforeAll(async () => {
  gpu = await testGpu();
  lp = await LogProb.create(gpu);
  for (const layout of LAYOUTS) byLayout.set(JSON.stringify(layout), await LogProb.create(gpu, layout));
});

/**
 * A rollout batch as the RL loop makes it: per sequence a masked prompt, then the completion
 * (mask 1), then masked padding, some of it with a token id past the vocabulary. coef is NaN on
 * masked rows, proving that backward never reads it there.
 */
function rollouts({ R, T, V }: LogProbDims) {
  const tokens = new Uint32Array(R * T);
  const mask = new Float32Array(R * T);
  const coef = randomF32(rng, R * T);
  for (let r = 0; r < R; r++) {
    const prompt = Math.floor(rng() * T);
    const completion = Math.floor(rng() * (T - prompt + 1));
    for (let t = 0; t < T; t++) {
      const i = r * T + t;
      const counts = t >= prompt && t < prompt + completion;
      mask[i] = counts ? 1 : 0;
      tokens[i] = !counts && t >= prompt && rng() < 0.5 ? PAST_VOCAB : Math.floor(rng() * V);
      if (!counts) coef[i] = Number.NaN;
    }
  }
  return { tokens, mask, coef };
}

/**
 * Both forward entry points (forward: logp and lse; forward_entropy: entropy too), the sequence sum of
 * forward's logp and the backward from its lse, each against float64, outputs poisoned with NaN first.
 */
async function check(family: LogProb, dims: LogProbDims, logitRange: number): Promise<Record<string, number>> {
  const { R, T, V } = dims;
  const rows = R * T;
  const logits = randomF32(rng, rows * V, -logitRange, logitRange);
  const { tokens, mask, coef } = rollouts(dims);
  const dlogits0 = randomF32(rng, rows * V); // pre-filled: backward must accumulate

  const want = {
    logp: Float64Array.from(poison(rows)),
    lse: Float64Array.from(poison(rows)),
    entropy: Float64Array.from(poison(rows)),
    seqSum: Float64Array.from(poison(R)),
    dlogits: Float64Array.from(dlogits0),
  };
  logprobForward(want, { logits, tokens }, dims);
  sequenceSum(want.seqSum, { logp: want.logp, mask }, dims);
  logprobBackward(want.dlogits, { coef, logits, lse: want.lse, tokens, mask }, dims);

  const poisoned = (n: number, label: string) => gpu.upload(poison(n), label);
  const plain = { logp: poisoned(rows, 'logp'), lse: poisoned(rows, 'lse') };
  const withEntropy = { logp: poisoned(rows, 'logp'), lse: poisoned(rows, 'lse'), entropy: poisoned(rows, 'entropy') };
  const g = { seqSum: poisoned(R, 'seqSum'), dlogits: gpu.upload(dlogits0, 'dlogits') };
  const input = { logits: gpu.upload(logits, 'logits'), tokens: gpu.upload(tokens, 'tokens') };
  const maskBuf = gpu.upload(mask, 'mask');
  const rec = gpu.recorder();
  family.forward(rec, plain, input, dims);
  family.forward(rec, withEntropy, input, dims);
  family.sequenceSum(rec, g.seqSum, { logp: plain.logp, mask: maskBuf }, dims);
  family.backward(rec, g.dlogits, { coef: gpu.upload(coef, 'coef'), ...input, lse: plain.lse, mask: maskBuf }, dims);
  rec.submit();
  // logp, lse and their sums are differences of terms of order 1 (x/τ − lse, m + log s): yardstick at least 1.
  // Entropy is not: the kernel sums it from non-negative terms, so it keeps its own relative accuracy.
  const orderOne = (b: GPUBuffer, w: Float64Array) => gpu.readF32(b).then((got) => maxRelError(got, w, 1));
  const relative = (b: GPUBuffer, w: Float64Array) => gpu.readF32(b).then((got) => maxRelError(got, w));
  return {
    'forward.logp': await orderOne(plain.logp, want.logp),
    'forward.lse': await orderOne(plain.lse, want.lse),
    'forward_entropy.logp': await orderOne(withEntropy.logp, want.logp),
    'forward_entropy.lse': await orderOne(withEntropy.lse, want.lse),
    'forward_entropy.entropy': await relative(withEntropy.entropy, want.entropy),
    seqSum: await orderOne(g.seqSum, want.seqSum),
    dlogits: await relative(g.dlogits, want.dlogits),
  };
}

const format = (errors: Record<string, number>) =>
  Object.entries(errors)
    .map(([name, err]) => `${name} ${err.toExponential(2)}`)
    .join(', ');

// R, T, V, τ — every awkward size appears, each temperature with small and large V.
const cases: [number, number, number, number][] = [
  [1, 1, 3, 1],
  [1, 7, 257, 0.7],
  [7, 1, 65, 1],
  [7, 33, 13, 0.7],
  [33, 7, 3, 0.7],
  [33, 1, 257, 1],
  [3, 33, 65, 0.7],
  [33, 33, 13, 1],
  [70, 3, 13, 1], // more rows and sequences than one 64-row workgroup holds
];

describe.each(LAYOUTS)('log-probs ($ROW_THREADS invocations per row, $ROWS rows per workgroup) against float64', (layout) => {
  const family = () => byLayout.get(JSON.stringify(layout))!;
  for (const [R, T, V, temperature] of cases) {
    it(`R=${R} T=${T} V=${V} τ=${temperature}`, async () => {
      const errors = await check(family(), { R, T, V, temperature }, 4);
      console.log(`logprob ${layout.ROW_THREADS}×${layout.ROWS} R=${R} T=${T} V=${V} τ=${temperature} max rel err: ${format(errors)}`);
      for (const err of Object.values(errors)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
    });
  }

  it('stays finite and accurate for logits in ±80 at τ = 0.7 (exp would overflow without max-subtraction)', async () => {
    const errors = await check(family(), { R: 5, T: 6, V: 40, temperature: 0.7 }, 80);
    console.log(`logprob ${layout.ROW_THREADS}×${layout.ROWS} logits in ±80 max rel err: ${format(errors)}`);
    for (const err of Object.values(errors)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
  });
});

describe('log-probs', () => {
  it('refuses a buffer too small for the shape, by name', () => {
    const small = gpu.zeros(16, 'small');
    const big = gpu.zeros(4 * 64, 'big');
    const dims = { R: 2, T: 3, V: 5, temperature: 1 };
    expect(() => lp.forward(gpu.recorder(), { logp: big, lse: big }, { logits: small, tokens: big }, dims)).toThrow(
      /logprob forward \[R 2, T 3, V 5\]: logits holds 4 elements, needs 30/,
    );
    expect(() => lp.forward(gpu.recorder(), { logp: big, lse: big, entropy: small }, { logits: big, tokens: big }, dims)).toThrow(
      /logprob forward \[R 2, T 3, V 5\]: entropy holds 4 elements, needs 6/,
    );
    expect(() => lp.sequenceSum(gpu.recorder(), big, { logp: big, mask: small }, { R: 2, T: 3 })).toThrow(
      /logprob sequence sum \[R 2, T 3\]: mask holds 4 elements, needs 6/,
    );
    expect(() => lp.backward(gpu.recorder(), big, { coef: big, logits: big, lse: small, tokens: big, mask: big }, { ...dims, V: 7 })).toThrow(
      /logprob backward \[R 2, T 3, V 7\]: lse holds 4 elements, needs 6/,
    );
  });
});

describe('log-prob reference', () => {
  it('backward agrees with central finite differences of J = Σ mask·c·logp', () => {
    const dims = { R: 2, T: 3, V: 5, temperature: 0.7 };
    const rows = dims.R * dims.T;
    const logits = Float64Array.from(randomF32(rng, rows * dims.V, -2, 2));
    const tokens = new Uint32Array([1, 4, 0, 2, 3, PAST_VOCAB]);
    const mask = new Float32Array([0, 1, 1, 1, 1, 0]);
    const coef = randomF32(rng, rows);
    const logp = new Float64Array(rows);
    const lse = new Float64Array(rows);
    const minusJ = () => {
      logprobForward({ logp, lse }, { logits, tokens }, dims);
      let j = 0;
      for (let i = 0; i < rows; i++) j += mask[i]! * coef[i]! * logp[i]!;
      return -j;
    };
    minusJ();
    const dlogits = new Float64Array(rows * dims.V);
    logprobBackward(dlogits, { coef, logits, lse, tokens, mask }, dims);
    const err = finiteDifferenceError(minusJ, logits, dlogits);
    console.log(`logprob finite differences dlogits: ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-8);
  });

  it('entropy is that of softmax(z/τ)', () => {
    // Two logits a, b: p = σ((a − b)/τ), H = −p log p − (1 − p) log(1 − p).
    const dims = { R: 1, T: 1, V: 2, temperature: 0.5 };
    const entropy = new Float64Array(1);
    logprobForward({ logp: new Float64Array(1), lse: new Float64Array(1), entropy }, { logits: [0.3, -0.2], tokens: [0] }, dims);
    const p = 1 / (1 + Math.exp(-(0.3 + 0.2) / 0.5));
    expect(entropy[0]).toBeCloseTo(-p * Math.log(p) - (1 - p) * Math.log(1 - p), 12);
  });
});
