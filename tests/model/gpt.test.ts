import { beforeAll, describe, expect, it } from 'vitest';
import type { Gpu } from '../../src/gpu/gpu';
import { IGNORE_TARGET } from '../../src/kernels/crossentropy';
import { type ModelConfig, modelConfig } from '../../src/model/config';
import { Gpt, type KvCache } from '../../src/model/gpt';
import { initParameters } from '../../src/model/init';
import { parameterLayout } from '../../src/model/layout';
import { crossEntropyLogitGrad, gptBackward, gptForward } from '../../src/reference/gpt';
import { normalRng } from '../../src/util/rng';
import { maxRelError } from '../helpers/compare';
import { testGpu } from '../helpers/gpu';
import { requestGpu } from '../../src/gpu/device';
import { diskShaders } from '../../src/gpu/node';
import { testSeed, uniformRng } from '../helpers/random';

let gpu: Gpu;
const rng = uniformRng(testSeed('gpt'));

beforeAll(async () => {
  gpu = await testGpu();
});

function randomTokens(n: number, V: number): Uint32Array<ArrayBuffer> {
  return Uint32Array.from({ length: n }, () => Math.floor(rng() * V));
}

/** Parameters with a larger spread than GPT-2 init, so every tensor's gradient is far from zero. */
function randomParams(config: ModelConfig, std: number): Float32Array<ArrayBuffer> {
  const layout = parameterLayout(config);
  const params = initParameters(config, layout, Math.floor(rng() * 2 ** 31));
  const normal = normalRng(rng);
  for (const t of layout.tensors)
    for (let i = 0; i < t.size; i++)
      params[t.offset + i] = (t.name.endsWith('ln1.w') || t.name.endsWith('ln2.w') || t.name === 'lnf.w' ? 1 : 0) + std * normal();
  return params;
}

describe('GPT on the GPU against the float64 reference (tiny preset)', () => {
  const config = modelConfig('tiny', 11, 8);
  const B = 2;
  const T = 7;

  it('gives the same logits, loss and every parameter gradient', async () => {
    const params = randomParams(config, 0.1);
    const tokens = randomTokens(B * T, config.vocabSize);
    const targets = randomTokens(B * T, config.vocabSize);
    targets[3] = IGNORE_TARGET;
    const counted = B * T - 1;

    const gpt = await Gpt.create(gpu, config, params);
    const acts = gpt.arena(B, T);
    gpt.setBatch(acts, tokens, targets);
    const rec = gpu.recorder();
    gpt.supervisedGradient(rec, acts, counted);
    rec.submit();
    const [logits, losses, grads] = await Promise.all([gpu.readF32(acts.logits), gpu.readF32(acts.losses), gpt.readGrads()]);

    const p64 = Float64Array.from(params);
    const fwd = gptForward(config, p64, tokens, targets, B, T);
    const want = gptBackward(config, p64, fwd, tokens, crossEntropyLogitGrad(config, fwd, targets));
    const gpuLoss = losses.reduce((s, x, i) => (targets[i] === IGNORE_TARGET ? s : s + x), 0) / counted;

    expect(fwd.counted).toBe(counted);
    const logitErr = maxRelError(logits, fwd.logits);
    console.log(`logits max rel err ${logitErr.toExponential(2)}; loss gpu ${gpuLoss.toFixed(6)} ref ${fwd.loss.toFixed(6)}`);
    expect(logitErr).toBeLessThanOrEqual(1e-5);
    expect(Math.abs(gpuLoss - fwd.loss) / fwd.loss).toBeLessThanOrEqual(1e-5);
    let worst = 0;
    for (const t of gpt.layout.tensors) {
      const err = maxRelError(grads.subarray(t.offset, t.offset + t.size), want.subarray(t.offset, t.offset + t.size));
      worst = Math.max(worst, err);
      expect(err, t.name).toBeLessThanOrEqual(1e-4);
    }
    console.log(`worst per-tensor gradient max rel err over ${gpt.layout.tensors.length} tensors: ${worst.toExponential(2)}`);
    gpt.destroy();
  });

  /** A model with random weights, R random sequences of T tokens, and a function giving the full forward pass's logits [R, V] at position t. */
  async function fullForward(R: number, model: ModelConfig = config) {
    const V = model.vocabSize;
    const tokens = randomTokens(R * T, V);
    const gpt = await Gpt.create(gpu, model, randomParams(model, 0.1));
    const acts = gpt.arena(R, T);
    gpt.setBatch(acts, tokens);
    const rec = gpu.recorder();
    gpt.forward(rec, acts);
    rec.submit();
    const full = await gpu.readF32(acts.logits); // [R*T, V]
    const logitsAt = (t: number) => {
      const rows = new Float32Array(R * V);
      for (let r = 0; r < R; r++) rows.set(full.subarray((r * T + t) * V, (r * T + t + 1) * V), r * V);
      return rows;
    };
    return { gpt, tokens, logitsAt };
  }

  /** Decodes positions from..T−1 with `cache` (filled up to `from`); the worst max rel err against the full forward. */
  async function decodeFrom(gpt: Gpt, cache: KvCache, tokens: Uint32Array, R: number, from: number, logitsAt: (t: number) => Float32Array): Promise<number> {
    let worst = 0;
    for (let t = from; t < T; t++) {
      gpt.setBatch(
        cache.step,
        Uint32Array.from({ length: R }, (_, r) => tokens[r * T + t]!),
      );
      const rec = gpu.recorder();
      gpt.decodeStep(rec, cache, t);
      rec.submit();
      worst = Math.max(worst, maxRelError(await gpu.readF32(cache.step.logits), logitsAt(t)));
    }
    return worst;
  }

  it('decodes token by token with the KV cache to the full forward pass logits', async () => {
    const R = 3;
    const { gpt, tokens, logitsAt } = await fullForward(R);
    const worst = await decodeFrom(gpt, gpt.kvCache(R), tokens, R, 0, logitsAt);
    console.log(`KV-cache decode vs full forward: max rel err ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(1e-5);
    gpt.destroy();
  });

  // One layer: the prefill's last layer is its first, fed straight from the embeddings.
  it.each([config.layers, 1])(
    'prefills the cache with one pass over the prompts, then decodes on to the full forward pass logits (layers: %i)',
    async (layers) => {
      const R = 3;
      const P = T - 3;
      const { gpt, tokens, logitsAt } = await fullForward(R, { ...config, layers });
      const cache = gpt.kvCache(R);
      const prompts = gpt.arena(R, P);
      gpt.setBatch(
        prompts,
        Uint32Array.from({ length: R * P }, (_, i) => tokens[Math.floor(i / P) * T + (i % P)]!),
      );
      const rec = gpu.recorder();
      gpt.prefill(rec, cache, prompts);
      rec.submit();
      const afterPrefill = maxRelError(await gpu.readF32(cache.step.logits), logitsAt(P - 1));
      const worst = Math.max(afterPrefill, await decodeFrom(gpt, cache, tokens, R, P, logitsAt));
      console.log(`prefill of ${P} positions + decode vs full forward: max rel err ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(1e-5);
      expect(() => gpt.prefill(gpu.recorder(), gpt.kvCache(R, P - 1), prompts)).toThrow(
        /prefill: an arena of 3×4 does not fit a cache of 3 rows × 3 positions/,
      );
      gpt.destroy();
    },
  );
});

describe('float64 reference against central finite differences', () => {
  it('matches every tensor of a small GPT', () => {
    const config: ModelConfig = { vocabSize: 5, maxSeqLen: 4, dim: 8, layers: 2, heads: 2 };
    const B = 2;
    const T = 3;
    const params = Float64Array.from(randomParams(config, 0.3));
    const tokens = randomTokens(B * T, config.vocabSize);
    const targets = randomTokens(B * T, config.vocabSize);
    const fwd = gptForward(config, params, tokens, targets, B, T);
    const grads = gptBackward(config, params, fwd, tokens, crossEntropyLogitGrad(config, fwd, targets));
    const loss = () => gptForward(config, params, tokens, targets, B, T).loss;
    const h = 1e-5;
    let worst = 0;
    for (const t of parameterLayout(config).tensors) {
      let scale = 0;
      for (let i = 0; i < t.size; i++) scale = Math.max(scale, Math.abs(grads[t.offset + i]!));
      // Up to 8 elements per tensor, spread evenly: every tensor is checked, the test stays quick.
      const stride = Math.max(1, Math.floor(t.size / 8));
      for (let i = 0; i < t.size; i += stride) {
        const k = t.offset + i;
        const saved = params[k]!;
        params[k] = saved + h;
        const up = loss();
        params[k] = saved - h;
        const down = loss();
        params[k] = saved;
        const err = Math.abs((up - down) / (2 * h) - grads[k]!) / Math.max(scale, 1e-12);
        worst = Math.max(worst, err);
        expect(err, `${t.name}[${i}]`).toBeLessThan(1e-6);
      }
    }
    console.log(`reference vs finite differences: worst rel err ${worst.toExponential(2)}`);
  });
});

describe('pipelines built ahead', () => {
  it('compiles, while the model is created, every pipeline that a training step, a prefill and a decode step then record', async () => {
    // A device of its own, so that no other test has built these pipelines already.
    const fresh = (await requestGpu(gpu.instance, diskShaders(), 'prepare test'))!;
    try {
      const config = modelConfig('tiny', 11, 8);
      const gpt = await Gpt.create(fresh, config, initParameters(config, parameterLayout(config), 1));
      const builtOnTheSpot: string[] = [];
      const build = fresh.device.createComputePipeline.bind(fresh.device);
      fresh.device.createComputePipeline = (descriptor) => {
        builtOnTheSpot.push(descriptor.label ?? '?');
        return build(descriptor);
      };
      const acts = gpt.arena(2, 8);
      gpt.setBatch(acts, randomTokens(16, 11), randomTokens(16, 11));
      const rec = fresh.recorder();
      gpt.supervisedGradient(rec, acts, 16);
      const cache = gpt.kvCache(2);
      gpt.prefill(rec, cache, gpt.arena(2, 4));
      gpt.decodeStep(rec, cache, 4);
      rec.submit();
      await fresh.readF32(acts.losses);
      expect(builtOnTheSpot).toEqual([]);
    } finally {
      fresh.destroy();
    }
  });
});

describe('supervised training on the GPU', () => {
  it('learns to count: the loss falls by 10× within 20 AdamW steps (seed 1)', async () => {
    // Each sequence counts upward mod V from a random start; the target is the next number.
    const config = modelConfig('tiny', 10, 8);
    const B = 4;
    const T = 8;
    const data = uniformRng(1);
    const gpt = await Gpt.create(gpu, config, initParameters(config, parameterLayout(config), 1));
    const acts = gpt.arena(B, T);
    const losses: number[] = [];
    for (let step = 1; step <= 20; step++) {
      const tokens = new Uint32Array(B * T);
      const targets = new Uint32Array(B * T);
      for (let b = 0; b < B; b++) {
        const start = Math.floor(data() * 10);
        for (let t = 0; t < T; t++) {
          tokens[b * T + t] = (start + t) % 10;
          targets[b * T + t] = (start + t + 1) % 10;
        }
      }
      gpt.setBatch(acts, tokens, targets);
      const rec = gpu.recorder();
      gpt.supervisedGradient(rec, acts, B * T);
      gpt.optimizerStep(rec, { kind: 'adamw', hyper: { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step } }, 1);
      rec.submit();
      if (step === 1 || step % 10 === 0) losses.push((await gpu.readF32(acts.losses)).reduce((a, b) => a + b, 0) / (B * T));
    }
    console.log(`counting task loss at steps 1, 10, 20: ${losses.map((l) => l.toFixed(3)).join(' ')}`);
    expect(losses[0]!).toBeGreaterThan(2); // ≈ ln 10 at initialisation
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 10);
    gpt.destroy();
  }, 300_000);
});

describe('buffers by use', () => {
  it('an inference model has neither gradients nor optimiser state, a gradients model no optimiser state', async () => {
    const config = modelConfig('tiny', 11, 8);
    const params = initParameters(config, parameterLayout(config), 1);
    const adamw = { kind: 'adamw', hyper: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step: 1 } } as const;
    const inference = await Gpt.create(gpu, config, params, 'inference');
    const gradients = await Gpt.create(gpu, config, params, 'gradients');
    try {
      expect(() => inference.grads).toThrow(/Gpt: a model for 'inference' has no gradients/);
      expect(() => inference.backward(gpu.recorder(), inference.arena(1, 8))).toThrow(/has no gradients/);
      expect(() => gradients.optimizerStep(gpu.recorder(), adamw, 1)).toThrow(/Gpt: a model for 'gradients' has no optimiser state/);
      await expect(gradients.readMoments()).rejects.toThrow(/no optimiser state/);
      expect(gradients.grads.size).toBe(params.byteLength);
      inference.loadParams(params); // no moments to reset
    } finally {
      inference.destroy();
      gradients.destroy();
    }
  });
});
