import { beforeAll, describe, expect, it } from 'vitest';
import { slice } from '../../src/gpu/binding';
import type { Gpu } from '../../src/gpu/gpu';
import { PolicyLoss, type PolicyLossDims, type PolicyLossInputs } from '../../src/kernels/policy-loss';
import { CLIP_CODE, SEQ_STATS } from '../../src/loss/codes';
import { policyLoss } from '../../src/reference/policy-loss';
import type { Aggregation, PolicyLossConfig } from '../../src/loss/config';
import { PRESETS } from '../../src/loss/presets';
import { maxRelError, poison } from '../helpers/compare';
import { finiteDifferenceError } from '../helpers/finite-difference';
import { testGpu } from '../helpers/gpu';
import { testSeed, uniformRng } from '../helpers/random';
import { type Batch, lossInputs, type Outputs, poisonMasked, randomBatch, referenceLoss, seqStatsColumn } from './policy-loss-batch';

const F32_TOLERANCE = 1e-5;
const SEQ_STATS_COLUMNS = ['policy', 'kl', 'logRatioSum', 'tokens'] as const;

let gpu: Gpu;
let loss: PolicyLoss;
const rng = uniformRng(testSeed('policy-loss'));

beforeAll(async () => {
  gpu = await testGpu();
  loss = await PolicyLoss.create(gpu);
});

/** Every preset, both TIC-GRPO clip modes, every KL estimator and every aggregation at least once; β > 0 so KL reaches the coefficients. */
const CASES: [string, PolicyLossConfig][] = [
  ['grpo (k3, seq-mean-token-mean)', { ...PRESETS.grpo.loss, beta: 0.1 }],
  ['tic-grpo truncate (k2)', { ...PRESETS['tic-grpo'].loss, beta: 0.1, kl: 'k2' }],
  ['tic-grpo zero-grad (k3, seq-mean-token-sum)', { ...PRESETS['tic-grpo'].loss, beta: 0.1, clipMode: 'zero-grad', aggregation: 'seq-mean-token-sum' }],
  ['no-is (k1, token-mean)', { ...PRESETS['no-is'].loss, beta: 0.1, kl: 'k1', aggregation: 'token-mean' }],
  ['gspo (k3)', { ...PRESETS.gspo.loss, beta: 0.1 }],
  ['dr-grpo (k1, seq-mean-token-sum-norm)', { ...PRESETS['dr-grpo'].loss, beta: 0.1, kl: 'k1' }],
  ['dapo (k2, token-mean)', { ...PRESETS.dapo.loss, beta: 0.1, kl: 'k2' }],
];

const PRESET_LOSSES = Object.entries(PRESETS).map(([name, preset]) => [name, preset.loss] as const);

/** The batch's inputs on the GPU. */
function uploadInputs(b: Batch): PolicyLossInputs<GPUBuffer> {
  const input = lossInputs(b);
  return Object.fromEntries(Object.entries(input).map(([name, x]) => [name, gpu.upload(x, name)])) as Record<keyof typeof input, GPUBuffer>;
}

/** The loss on the GPU, outputs poisoned with NaN first. */
async function onGpu(b: Batch, config: PolicyLossConfig): Promise<Outputs<Float32Array>> {
  const { M, T } = b.dims;
  const out = {
    coef: gpu.upload(poison(M * T), 'coef'),
    ratio: gpu.upload(poison(M * T), 'ratio'),
    clip: gpu.upload(poison(M * T), 'clip'),
    kl: gpu.upload(poison(M * T), 'kl'),
    seqStats: gpu.upload(poison(SEQ_STATS.width * M), 'seqStats'),
  };
  const rec = gpu.recorder();
  loss.forward(rec, out, uploadInputs(b), b.dims, config);
  rec.submit();
  return {
    coef: await gpu.readF32(out.coef),
    ratio: await gpu.readF32(out.ratio),
    clip: await gpu.readF32(out.clip),
    kl: await gpu.readF32(out.kl),
    seqStats: await gpu.readF32(out.seqStats),
  };
}

/**
 * Max relative error per output; seqStats column by column, since their scales differ. The J_KL and
 * Σ(ℓ − ℓ_old) columns are sums of signed terms (k1 is signed) that may cancel, so their yardstick is
 * the largest Σ_t |term| of a sequence, not the cancelled sum (see maxRelError).
 */
function errors(got: Outputs, want: Outputs, b: Batch, config: PolicyLossConfig): Record<string, number> {
  const e: Record<string, number> = {};
  for (const name of ['coef', 'ratio', 'clip', 'kl'] as const) e[name] = maxRelError(got[name], want[name]);
  const { M, T } = b.dims;
  const magnitudes = { kl: new Float64Array(M), logRatioSum: new Float64Array(M) };
  for (let k = 0; k < M * T; k++) {
    if (b.mask[k] === 0) continue;
    const i = Math.floor(k / T);
    const n = want.seqStats[SEQ_STATS.width * i + SEQ_STATS.tokens]!;
    magnitudes.kl[i] = magnitudes.kl[i]! + aggregationWeight(config.aggregation, n, b.dims) * Math.abs(want.kl[k]!);
    magnitudes.logRatioSum[i] = magnitudes.logRatioSum[i]! + Math.abs(b.logp[k]! - b.logpOld[k]!);
  }
  for (const name of SEQ_STATS_COLUMNS) {
    const [g, w] = [seqStatsColumn(got.seqStats, SEQ_STATS[name]), seqStatsColumn(want.seqStats, SEQ_STATS[name])];
    e[`seqStats.${name}`] = name === 'kl' || name === 'logRatioSum' ? errorAgainst(g, w, Math.max(...magnitudes[name])) : maxRelError(g, w);
  }
  return e;
}

/** max|got − want| / scale, NaN counting as infinite: maxRelError with the yardstick given. */
function errorAgainst(got: ArrayLike<number>, want: ArrayLike<number>, scale: number): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    if (Number.isNaN(d)) return Infinity;
    worst = Math.max(worst, d);
  }
  return scale === 0 ? worst : worst / scale;
}

const format = (e: Record<string, number>) =>
  Object.entries(e)
    .map(([name, err]) => `${name} ${err.toExponential(2)}`)
    .join(', ');

/** a_{i,t} as docs/design.md §3 states it. */
function aggregationWeight(aggregation: Aggregation, n: number, { M, totalTokens, maxLen }: PolicyLossDims): number {
  return { 'seq-mean-token-mean': 1 / (M * n), 'token-mean': 1 / totalTokens, 'seq-mean-token-sum': 1 / M, 'seq-mean-token-sum-norm': 1 / (M * maxLen) }[
    aggregation
  ];
}

/** The reference on a hand-written batch: one sequence per advantage, every position a completion position. */
function policyLossOf(out: Outputs<Float64Array>, b: Record<'logp' | 'logpOld' | 'logpRef' | 'mask' | 'adv', number[]>, config: PolicyLossConfig) {
  const M = b.adv.length;
  const T = b.mask.length / M;
  const dims = { M, T, totalTokens: b.mask.reduce((s, m) => s + m, 0), maxLen: T };
  return policyLoss(out, b, dims, config);
}

describe('policy loss against float64', () => {
  for (const [name, config] of CASES) {
    it(name, async () => {
      const clipped = { [CLIP_CODE.none]: 0, [CLIP_CODE.low]: 0, [CLIP_CODE.high]: 0 }; // tokens by clip code, over every shape
      for (const M of [1, 7, 33]) {
        for (const T of [1, 5, 17]) {
          const batch = poisonMasked(randomBatch(rng, M, T));
          const want = referenceLoss(batch, config);
          const e = errors(await onGpu(batch, config), want, batch, config);
          console.log(`policy-loss ${name} M=${M} T=${T} max rel err: ${format(e)}`);
          for (const err of Object.values(e)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
          want.clip.forEach((code, k) => batch.mask[k] !== 0 && clipped[code as keyof typeof clipped]++);
        }
      }
      const { none, low, high } = { none: clipped[CLIP_CODE.none], low: clipped[CLIP_CODE.low], high: clipped[CLIP_CODE.high] };
      console.log(`policy-loss ${name}: tokens unclipped ${none}, clipped low ${low}, clipped high ${high}`);
      if (config.level !== 'none-at-old') expect(Math.min(none, high)).toBeGreaterThan(0);
      if (config.level === 'token' || config.level === 'sequence') expect(low).toBeGreaterThan(0);
    });
  }

  it('at θ = θ_old every ratio is 1 and every level gives the on-policy coefficients', async () => {
    for (const [name, preset] of PRESET_LOSSES) {
      const config = { ...preset, beta: 0 };
      const b = randomBatch(rng, 7, 5);
      const batch = { ...b, logp: b.logpOld };
      const { M, T } = batch.dims;
      const want = new Float64Array(M * T);
      for (let i = 0; i < M; i++) {
        const n = batch.mask.subarray(i * T, (i + 1) * T).reduce((s, m) => s + m, 0);
        const A = batch.adv[i]!;
        const a = aggregationWeight(config.aggregation, n, batch.dims);
        const onPolicy = { token: a * A, 'none-at-old': a * A, trajectory: A / M, sequence: A / (n * M) }[config.level];
        for (let t = 0; t < T; t++) if (batch.mask[i * T + t] !== 0) want[i * T + t] = onPolicy;
      }
      const ref = referenceLoss(batch, config);
      const got = await onGpu(batch, config);
      const err = { reference: maxRelError(ref.coef, want), gpu: maxRelError(got.coef, want) };
      console.log(`policy-loss θ = θ_old ${name}: coef max rel err reference ${err.reference.toExponential(2)}, gpu ${err.gpu.toExponential(2)}`);
      expect(err.reference).toBeLessThanOrEqual(1e-15);
      expect(err.gpu).toBeLessThanOrEqual(1e-6);
      for (const out of [ref, got]) {
        expect(out.ratio.every((r) => r === 1)).toBe(true);
        expect(out.clip.every((c) => c === CLIP_CODE.none)).toBe(true);
      }
    }
  });

  it('stays finite and accurate for log-ratios up to ±60 (clamped at ±20) and for an all-masked batch', async () => {
    for (const [name, config] of CASES) {
      const batch = randomBatch(rng, 7, 17, 60);
      batch.logpRef.forEach((_, k) => (batch.logpRef[k] = batch.logp[k]! + (k % 2 === 0 ? 60 : -60)));
      const e = errors(await onGpu(batch, config), referenceLoss(batch, config), batch, config);
      console.log(`policy-loss extreme ${name} max rel err: ${format(e)}`);
      for (const err of Object.values(e)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);

      const empty = { ...randomBatch(rng, 3, 4), mask: new Float32Array(12) };
      empty.dims.totalTokens = 0;
      const got = await onGpu(poisonMasked(empty), config);
      expect([...got.coef, ...got.clip, ...got.kl, ...got.seqStats].every((v) => v === 0)).toBe(true);
      expect(got.ratio.every((r) => r === 1)).toBe(true);
    }
  });

  it('writes ratio, clip and kl into 256-byte-aligned slices of larger buffers, leaving the rest alone', async () => {
    const config = CASES[0]![1];
    const batch = randomBatch(rng, 7, 5);
    const n = 35;
    const big = () => gpu.upload(new Float32Array(64 + n + 10).fill(-7), 'big');
    const outs = { ratio: big(), clip: big(), kl: big() };
    const scratch = { coef: gpu.upload(poison(n), 'coef'), seqStats: gpu.upload(poison(SEQ_STATS.width * 7), 'seqStats') };
    const rec = gpu.recorder();
    const sliced = { ratio: slice(outs.ratio, 64, n), clip: slice(outs.clip, 64, n), kl: slice(outs.kl, 64, n) };
    loss.forward(rec, { ...scratch, ...sliced }, uploadInputs(batch), batch.dims, config);
    rec.submit();
    const want = referenceLoss(batch, config);
    for (const name of ['ratio', 'clip', 'kl'] as const) {
      const all = await gpu.readF32(outs[name]);
      expect(maxRelError(all.subarray(64, 64 + n), want[name])).toBeLessThanOrEqual(F32_TOLERANCE);
      expect([...all.subarray(0, 64), ...all.subarray(64 + n)].every((v) => v === -7)).toBe(true);
    }
  });

  it('refuses a buffer too small for the shape, and a bad config, by name', () => {
    const small = gpu.zeros(16, 'small');
    const big = gpu.zeros(4 * 64, 'big');
    const dims = { M: 2, T: 3, totalTokens: 6, maxLen: 3 };
    const config = PRESETS.grpo.loss;
    const out = { coef: big, ratio: big, clip: big, kl: big, seqStats: big };
    const input = { logp: big, logpOld: big, logpRef: big, mask: big, adv: big };
    expect(() => loss.forward(gpu.recorder(), { ...out, seqStats: small }, input, dims, config)).toThrow(
      /policy-loss forward \[M 2, T 3\]: seqStats holds 4 elements, needs 8/,
    );
    expect(() => loss.forward(gpu.recorder(), out, { ...input, logpRef: small }, dims, config)).toThrow(
      /policy-loss forward \[M 2, T 3\]: logpRef holds 4 elements, needs 6/,
    );
    expect(() => loss.forward(gpu.recorder(), out, input, dims, { ...config, epsLow: 1.5, kl: 'k4' as never })).toThrow(
      /policy loss config: kl must be one of k1, k2, k3, got "k4"; epsLow must be in \[0, 1\], got 1.5/,
    );
    expect(() => loss.forward(gpu.recorder(), out, input, { ...dims, maxLen: 0 }, config)).toThrow(/maxLen must be a finite number > 0/);
  });
});

describe('policy loss float64 reference', () => {
  /**
   * A batch none of whose ratios lies within 1e-4 (relative) of a clip bound, so central differences
   * never straddle a kink; 33 sequences, so that every level has clipped ones.
   */
  function kinkFreeBatch(config: PolicyLossConfig): Batch {
    for (let attempt = 0; attempt < 100; attempt++) {
      const batch = randomBatch(rng, 33, 5);
      const { ratio } = referenceLoss(batch, config);
      const bounds = [1 - config.epsLow, 1 + config.epsHigh];
      if (ratio.every((r, k) => batch.mask[k] === 0 || bounds.every((c) => Math.abs(r / c - 1) > 1e-4))) return batch;
    }
    throw new Error('no kink-free batch in 100 draws');
  }

  for (const [name, config] of CASES) {
    it(`${name}: coef is ∂J/∂ℓ by central finite differences`, () => {
      const batch = kinkFreeBatch(config);
      const { M, T } = batch.dims;
      const want = referenceLoss(batch, config);
      // truncate holds a clipped trajectory's weight at 1 + ε_high by definition, where J is flat in ℓ:
      // there coef exceeds ∂J/∂ℓ by exactly (1 + ε_high)·Â/M.
      const truncates = config.level === 'trajectory' && config.clipMode === 'truncate';
      const held = Float64Array.from(want.coef, (_, k) =>
        truncates && want.clip[k] === CLIP_CODE.high ? ((1 + config.epsHigh) * batch.adv[Math.floor(k / T)]!) / M : 0,
      );
      const logp = Float64Array.from(batch.logp);
      const err = finiteDifferenceError(
        () => referenceLoss(batch, config, logp).value.objective,
        logp,
        want.coef.map((c, k) => c - held[k]!),
      );
      console.log(
        `policy-loss reference ${name}: finite-difference error ${err.toExponential(2)}, ${held.filter((h) => h !== 0).length} tokens held by truncation`,
      );
      expect(err).toBeLessThan(1e-7);
      if (truncates) expect(held.some((h) => h !== 0)).toBe(true);
    });
  }

  it('returns J = J_policy − β·J_KL, each the sum of its seqStats column', () => {
    const config = CASES[0]![1];
    const { seqStats, value } = referenceLoss(randomBatch(rng, 7, 5), config);
    const [policy, kl] = [SEQ_STATS.policy, SEQ_STATS.kl].map((c) => seqStatsColumn(seqStats, c).reduce((s, v) => s + v, 0));
    expect(value.policy).toBeCloseTo(policy!, 14);
    expect(value.kl).toBeCloseTo(kl!, 14);
    expect(value.objective).toBeCloseTo(policy! - config.beta * kl!, 14);
  });

  describe('hand-worked single sequences (M = 1; two counting tokens then a masked one; a = 1/2)', () => {
    const base: PolicyLossConfig = { level: 'token', epsLow: 0.2, epsHigh: 0.28, clipMode: 'truncate', aggregation: 'seq-mean-token-mean', beta: 0, kl: 'k3' };
    /** The sequence with token ratios ρ and advantage Â. */
    function run(ratios: [number, number], advantage: number, config: Partial<PolicyLossConfig>) {
      const logpOld = [-1, -2, -1];
      const batch = {
        logp: [-1 + Math.log(ratios[0]), -2 + Math.log(ratios[1]), 9],
        logpOld,
        logpRef: logpOld,
        mask: [1, 1, 0],
        adv: [advantage],
      };
      const out = {
        coef: new Float64Array(3),
        ratio: new Float64Array(3),
        clip: new Float64Array(3),
        kl: new Float64Array(3),
        seqStats: new Float64Array(SEQ_STATS.width),
      };
      const { policy } = policyLossOf(out, batch, { ...base, ...config });
      return { coef: [...out.coef], ratio: [...out.ratio], clip: [...out.clip], policy };
    }
    const close = (got: number[], want: number[]) => got.forEach((g, k) => expect(g).toBeCloseTo(want[k]!, 12));
    const { none: NONE, low: LOW, high: HIGH } = CLIP_CODE;

    it('token: Â > 0 clips ρ = 1.5 at 1 + ε_high; Â < 0 clips ρ = 0.5 at 1 − ε_low', () => {
      const up = run([1.5, 0.5], 1, {});
      close(up.coef, [0, 0.25, 0]);
      close(up.clip, [HIGH, NONE, NONE]);
      expect(up.policy).toBeCloseTo(0.5 * 1.28 + 0.5 * 0.5, 12);
      const down = run([1.5, 0.5], -1, {});
      close(down.coef, [-0.75, 0, 0]);
      close(down.clip, [NONE, LOW, NONE]);
      expect(down.policy).toBeCloseTo(-0.5 * 1.5 - 0.5 * 0.8, 12);
    });

    it('trajectory: w = Πρ; truncate holds a clipped w at 1 + ε_high, zero-grad drops it', () => {
      const inside = run([1.5, 0.5], 2, { level: 'trajectory' }); // w = 0.75
      close(inside.coef, [1.5, 1.5, 0]);
      close(inside.ratio, [0.75, 0.75, 1]);
      expect(inside.policy).toBeCloseTo(1.5, 12);
      for (const advantage of [2, -2]) {
        // w = 1.5 > 1.28 clips for either sign of Â
        const truncated = run([1.5, 1], advantage, { level: 'trajectory' });
        close(truncated.coef, [1.28 * advantage, 1.28 * advantage, 0]);
        close(truncated.clip, [HIGH, HIGH, NONE]);
        expect(truncated.policy).toBeCloseTo(1.28 * advantage, 12);
        const zeroed = run([1.5, 1], advantage, { level: 'trajectory', clipMode: 'zero-grad' });
        close(zeroed.coef, [0, 0, 0]);
        expect(zeroed.policy).toBeCloseTo(1.28 * advantage, 12);
      }
    });

    it('sequence: s = (Πρ)^(1/n), coefficient s·Â/n; Â < 0 clips s = 0.5 at 1 − ε_low', () => {
      const s = Math.sqrt(0.75);
      const inside = run([1.5, 0.5], -1, { level: 'sequence' });
      close(inside.coef, [-s / 2, -s / 2, 0]);
      expect(inside.policy).toBeCloseTo(-s, 12);
      const low = run([0.5, 0.5], -1, { level: 'sequence' });
      close(low.coef, [0, 0, 0]);
      close(low.clip, [LOW, LOW, NONE]);
      expect(low.policy).toBeCloseTo(-0.8, 12);
    });

    it('none-at-old: coefficient a·Â and ratio 1, whatever ℓ is', () => {
      const r = run([1.5, 0.5], 2, { level: 'none-at-old' });
      close(r.coef, [1, 1, 0]);
      close(r.ratio, [1, 1, 1]);
      expect(r.policy).toBeCloseTo(2 + Math.log(0.75), 12); // Σ a·Â·(1 + ℓ − ℓ_old)
    });

    it('KL: k1, k2, k3 and their −β·a·∂k/∂ℓ for ℓ − ℓ_ref = ln 2', () => {
      const l = [Math.log(2) - 1];
      const want = { k1: [Math.log(2), -1], k2: [0.5 * Math.log(2) ** 2, -Math.log(2)], k3: [Math.log(2) - 0.5, -0.5] };
      for (const [kl, [estimate, coef]] of Object.entries(want)) {
        const out = {
          coef: new Float64Array(1),
          ratio: new Float64Array(1),
          clip: new Float64Array(1),
          kl: new Float64Array(1),
          seqStats: new Float64Array(SEQ_STATS.width),
        };
        const value = policyLossOf(
          out,
          { logp: l, logpOld: l, logpRef: [-1], mask: [1], adv: [0] },
          { ...base, kl: kl as PolicyLossConfig['kl'], beta: 1, aggregation: 'seq-mean-token-sum' },
        );
        expect(out.kl[0]).toBeCloseTo(estimate!, 14);
        expect(out.coef[0]).toBeCloseTo(coef!, 14);
        expect(value.kl).toBeCloseTo(estimate!, 14);
      }
    });
  });
});
