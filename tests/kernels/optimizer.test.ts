import { beforeAll, describe, expect, it } from 'vitest';
import type { Gpu } from '../../src/gpu/gpu';
import { GradNorm } from '../../src/kernels/gradnorm';
import { type AdamWHyper, Optimizer } from '../../src/kernels/optimizer';
import { gradNorm } from '../../src/reference/gradnorm';
import { adamwUpdate, sgdUpdate } from '../../src/reference/optimizer';
import { maxRelError, poison } from '../helpers/compare';
import { testGpu } from '../helpers/gpu';
import { randomF32, testSeed, uniformRng } from '../helpers/random';

const F32_TOLERANCE = 1e-5;

let gpu: Gpu;
let gn: GradNorm;
const rng = uniformRng(testSeed('optimizer'));

beforeAll(async () => {
  gpu = await testGpu();
  gn = await GradNorm.create(gpu);
});

/** Runs GradNorm.forward on `grads` with poisoned outputs and scratch; returns out[0..2). */
async function gpuGradNorm(grads: Float32Array<ArrayBuffer>, maxNorm: number): Promise<Float32Array> {
  const n = grads.length;
  const out = gpu.upload(poison(2), 'out');
  const rec = gpu.recorder();
  gn.forward(rec, out, gpu.upload(poison(GradNorm.partialsLength(n)), 'partials'), gpu.upload(grads, 'grads'), { n, maxNorm });
  rec.submit();
  return gpu.readF32(out);
}

describe('gradient norm and clip factor against float64', () => {
  // n = 300 001 needs more than the 1024 partial workgroups, so each one strides; clipping
  // (on, off, disabled) is covered at the smaller sizes, which SwiftShader runs faster.
  for (const n of [1, 7, 1000, 300_001]) {
    it(`n=${n}`, async () => {
      const grads = randomF32(rng, n);
      const { norm } = gradNorm(grads, { n, maxNorm: 0 });
      for (const maxNorm of n > 1000 ? [0.5 * norm] : [0, -1, 0.5 * norm, 10 * norm]) {
        const want = gradNorm(grads, { n, maxNorm });
        const got = await gpuGradNorm(grads, maxNorm);
        const err = maxRelError(got, [want.norm, want.scale]);
        console.log(`gradnorm n=${n} maxNorm=${maxNorm.toPrecision(3)}: norm ${got[0]}, clip ${got[1]}, max rel err ${err.toExponential(2)}`);
        expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
      }
    });
  }

  for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    it(`reports a ${bad} gradient as a NaN norm and clip factor, clipping on or off`, async () => {
      const n = 5000;
      const grads = randomF32(rng, n);
      grads[Math.floor(rng() * n)] = bad;
      for (const maxNorm of [1, 0]) {
        const got = await gpuGradNorm(grads, maxNorm);
        expect(Number.isNaN(got[0]) && Number.isNaN(got[1])).toBe(true);
        const want = gradNorm(grads, { n, maxNorm });
        expect(Number.isFinite(want.norm) || Number.isFinite(want.scale)).toBe(false);
      }
    });
  }
});

describe('optimiser steps against float64', () => {
  const n = 4099; // not a multiple of the workgroup size
  const stepCount = 4;

  /**
   * `stepCount` steps, each its own recorder and submit, with fresh gradients, a learning rate that
   * changes every step (so a stale hyperparameter write would show) and the clip factor of a real
   * GradNorm run, clipped below 1. Returns the max relative error of each updated tensor.
   */
  async function run(kind: 'adamw' | 'sgd'): Promise<Record<string, number>> {
    const opt = await Optimizer.create(gpu);
    const p0 = randomF32(rng, n);
    const m0 = randomF32(rng, n, -0.1, 0.1);
    const v0 = randomF32(rng, n, 0, 0.01);
    const want = { params: Float64Array.from(p0), m: Float64Array.from(m0), v: Float64Array.from(v0) };
    const g = {
      params: gpu.upload(p0, 'params'),
      m: gpu.upload(m0, 'm'),
      v: gpu.upload(v0, 'v'),
      grads: gpu.zeros(4 * n, 'grads'),
      out: gpu.zeros(8, 'gradnorm out'),
      partials: gpu.zeros(4 * GradNorm.partialsLength(n), 'partials'),
    };
    for (let step = 1; step <= stepCount; step++) {
      const grads = randomF32(rng, n, -2, 2);
      const maxNorm = 0.3 * gradNorm(grads, { n, maxNorm: 0 }).norm;
      const clip = gradNorm(grads, { n, maxNorm });
      expect(clip.scale).toBeLessThan(1);
      const hyper: AdamWHyper = { lr: 0.01 * (1 + step), beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, step };
      gpu.write(g.grads, grads);
      const rec = gpu.recorder();
      gn.forward(rec, g.out, g.partials, g.grads, { n, maxNorm });
      if (kind === 'adamw') {
        opt.adamw(rec, g.params, g.grads, g.m, g.v, g.out, { n }, hyper);
        adamwUpdate(want.params, grads, want.m, want.v, [clip.norm, clip.scale], { n }, hyper);
      } else {
        opt.sgd(rec, g.params, g.grads, g.out, { n }, hyper);
        sgdUpdate(want.params, grads, [clip.norm, clip.scale], { n }, hyper);
      }
      rec.submit();
    }
    const errors: Record<string, number> = { params: maxRelError(await gpu.readF32(g.params), want.params) };
    if (kind === 'adamw') {
      errors.m = maxRelError(await gpu.readF32(g.m), want.m);
      errors.v = maxRelError(await gpu.readF32(g.v), want.v);
    }
    return errors;
  }

  const format = (errors: Record<string, number>) =>
    Object.entries(errors)
      .map(([name, err]) => `${name} ${err.toExponential(2)}`)
      .join(', ');

  for (const kind of ['adamw', 'sgd'] as const) {
    it(`${kind}: ${stepCount} clipped steps in separate submits`, async () => {
      const errors = await run(kind);
      console.log(`${kind} after ${stepCount} steps, max rel err: ${format(errors)}`);
      for (const err of Object.values(errors)) expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
    });
  }

  it('refuses a second step recorded into the same recorder', async () => {
    const opt = await Optimizer.create(gpu);
    const [params, grads, m, v, clip] = ['params', 'grads', 'm', 'v', 'clip'].map((name) => gpu.zeros(64, name)) as [
      GPUBuffer,
      GPUBuffer,
      GPUBuffer,
      GPUBuffer,
      GPUBuffer,
    ];
    const rec = gpu.recorder();
    opt.sgd(rec, params, grads, clip, { n: 16 }, { lr: 0.1, weightDecay: 0 });
    expect(() => opt.adamw(rec, params, grads, m, v, clip, { n: 16 }, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step: 1 })).toThrow(
      /already recorded a step into this recorder/,
    );
    rec.submit();
    const next = gpu.recorder();
    expect(() => opt.sgd(next, params, grads, clip, { n: 16 }, { lr: 0.1, weightDecay: 0 })).not.toThrow();
    next.submit();
  });

  it('skips the step when the clip factor is not finite', async () => {
    const opt = await Optimizer.create(gpu);
    const p0 = randomF32(rng, 300);
    const m0 = randomF32(rng, 300);
    const v0 = randomF32(rng, 300, 0, 1);
    const params = gpu.upload(p0, 'params');
    const m = gpu.upload(m0, 'm');
    const v = gpu.upload(v0, 'v');
    const grads = gpu.upload(randomF32(rng, 300), 'grads');
    const clip = gpu.upload(new Float32Array([Number.NaN, Number.NaN]), 'clip');
    for (const kind of ['adamw', 'sgd']) {
      const rec = gpu.recorder();
      if (kind === 'adamw') opt.adamw(rec, params, grads, m, v, clip, { n: 300 }, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, step: 3 });
      else opt.sgd(rec, params, grads, clip, { n: 300 }, { lr: 0.1, weightDecay: 0.1 });
      rec.submit();
    }
    expect(await gpu.readF32(params)).toEqual(p0);
    expect(await gpu.readF32(m)).toEqual(m0);
    expect(await gpu.readF32(v)).toEqual(v0);
  });

  it('updates every element when n exceeds 65535 workgroups × 256', async () => {
    const big = 65535 * 256 + 1000;
    const opt = await Optimizer.create(gpu);
    const p0 = randomF32(rng, big);
    const grads = randomF32(rng, big);
    const clip = [1, 0.75];
    const hyper = { lr: 0.05, weightDecay: 0.01 };
    const want = Float64Array.from(p0);
    sgdUpdate(want, grads, clip, { n: big }, hyper);
    const params = gpu.upload(p0, 'params');
    const rec = gpu.recorder();
    opt.sgd(rec, params, gpu.upload(grads, 'grads'), gpu.upload(new Float32Array(clip), 'clip'), { n: big }, hyper);
    rec.submit();
    const err = maxRelError(await gpu.readF32(params), want);
    console.log(`sgd n=${big}: max rel err ${err.toExponential(2)}`);
    expect(err).toBeLessThanOrEqual(F32_TOLERANCE);
  });
});
