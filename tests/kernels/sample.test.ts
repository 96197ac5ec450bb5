import { beforeAll, describe, expect, it } from 'vitest';
import type { Gpu } from '../../src/gpu/gpu';
import type { RowLayout } from '../../src/kernels/row-layout';
import { type SampleDims, Sampler } from '../../src/kernels/sample';
import { sampleToken, uniform01 } from '../../src/reference/sample';
import { testGpu } from '../helpers/gpu';
import { randomF32, testSeed, uniformRng } from '../helpers/random';

let gpu: Gpu;
/** Every row layout, whatever the adapter: a workgroup per row (GPUs), an invocation per row (CPU adapters), and one between. */
const LAYOUTS: Record<string, RowLayout> = {
  'workgroup per row': { ROW_THREADS: 64, ROWS: 1 },
  'invocation per row': { ROW_THREADS: 1, ROWS: 16 },
  '4 invocations × 16 rows': { ROW_THREADS: 4, ROWS: 16 },
};
const samplers = new Map<string, Sampler>();
const rng = uniformRng(testSeed('sample'));

beforeAll(async () => {
  gpu = await testGpu();
  for (const [name, layout] of Object.entries(LAYOUTS)) samplers.set(name, await Sampler.create(gpu, layout));
});

interface Drawn {
  next: Uint32Array;
  completions: Uint32Array;
  finished: Uint32Array;
}

type DrawArgs = [logits: Float32Array<ArrayBuffer>, d: Omit<SampleDims, 'column'>, columns: number[], finished0?: Uint32Array<ArrayBuffer>];

/** Runs the sampler once per column in `columns`, on the given logits, in one command buffer. */
async function drawWith(sampler: Sampler, ...[logits, d, columns, finished0]: DrawArgs): Promise<Drawn> {
  const bufs = {
    logits: gpu.upload(logits, 'logits'),
    next: gpu.upload(new Uint32Array(d.R).fill(0xdeadbeef), 'next'),
    completions: gpu.upload(new Uint32Array(d.R * d.maxCompletion).fill(0xdeadbeef), 'completions'),
    finished: gpu.upload(finished0 ?? new Uint32Array(d.R), 'finished'),
  };
  const rec = gpu.recorder();
  for (const column of columns) sampler.sample(rec, bufs.next, bufs.completions, bufs.finished, bufs.logits, { ...d, column });
  rec.submit();
  const u32 = async (b: GPUBuffer) => new Uint32Array(await gpu.read(b));
  return { next: await u32(bufs.next), completions: await u32(bufs.completions), finished: await u32(bufs.finished) };
}

const base = { seed: 1234, stream: 7, maxCompletion: 4, eos: 2, pad: 0 };

describe.each(Object.keys(LAYOUTS))('token sampler (%s)', (layout) => {
  const draw = (...args: DrawArgs) => drawWith(samplers.get(layout)!, ...args);

  it('draws the token the float64 inverse CDF picks for the same counter-based uniform', async () => {
    const R = 300;
    for (const [V, temperature] of [
      [13, 1],
      [65, 0.7],
      [3, 1.5],
    ] as const) {
      const logits = randomF32(rng, R * V, -3, 3);
      const d = { ...base, R, V, temperature, eos: V + 1 }; // an EOS that never occurs: every row keeps sampling
      const { next, completions } = await draw(logits, d, [1]);
      let boundary = 0;
      for (let r = 0; r < R; r++) {
        const row = logits.subarray(r * V, (r + 1) * V);
        const u = uniform01(d.seed, d.stream, r, 1);
        const want = sampleToken(row, temperature, u);
        expect(completions[r * d.maxCompletion + 1]).toBe(next[r]);
        if (next[r] === want) continue;
        // float32 and float64 CDFs may disagree only when u sits within rounding of a boundary.
        const nearBoundary = [1e-5, -1e-5].some((e) => sampleToken(row, temperature, u + e) !== want);
        expect(nearBoundary, `row ${r}: GPU drew ${next[r]}, reference ${want}, u=${u}`).toBe(true);
        boundary++;
      }
      console.log(`V=${V} τ=${temperature}: ${R - boundary}/${R} rows identical to the reference, ${boundary} at a CDF boundary`);
      expect(boundary).toBeLessThanOrEqual(2);
    }
  });

  it('is greedy (argmax, first index on ties) at temperature 0', async () => {
    const R = 40;
    const V = 70;
    const logits = randomF32(rng, R * V);
    logits[5 * V + 3] = 9;
    logits[5 * V + 60] = 9; // a tie: the first index wins
    const { next } = await draw(logits, { ...base, R, V, temperature: 0, eos: 99 }, [0]);
    for (let r = 0; r < R; r++) expect(next[r]).toBe(sampleToken(logits.subarray(r * V, (r + 1) * V), 0, 0));
    expect(next[5]).toBe(3);
  });

  it('marks a row finished at EOS and pads every later column', async () => {
    const R = 3;
    const V = 4;
    const logits = new Float32Array(R * V).fill(-30);
    logits[0 * V + 2] = 30; // row 0 draws EOS (token 2)
    logits[1 * V + 3] = 30; // row 1 draws token 3
    logits[2 * V + 3] = 30; // row 2 was already finished
    const { completions, finished } = await draw(logits, { ...base, R, V, temperature: 1 }, [0, 1, 2, 3], Uint32Array.from([0, 0, 1]));
    expect(Array.from(completions)).toEqual([2, 0, 0, 0, 3, 3, 3, 3, 0, 0, 0, 0]);
    expect(Array.from(finished)).toEqual([1, 0, 1]);
  });

  it('follows softmax(z/τ) in distribution (4096 draws, margins from the binomial σ)', async () => {
    const R = 4096;
    const row = [1.0, 0.2, -0.5, 2.0, 0.0];
    const V = row.length;
    const temperature = 0.8;
    const logits = new Float32Array(R * V);
    for (let r = 0; r < R; r++) logits.set(row, r * V);
    const { next } = await draw(logits, { ...base, R, V, temperature, eos: 99 }, [0]);
    const w = row.map((z) => Math.exp(z / temperature));
    const total = w.reduce((a, b) => a + b, 0);
    for (let j = 0; j < V; j++) {
      const p = w[j]! / total;
      const count = next.filter((t) => t === j).length;
      const sigma = Math.sqrt(R * p * (1 - p));
      expect(Math.abs(count - R * p), `token ${j}`).toBeLessThan(5 * sigma);
    }
  });

  it('gives the same tokens for the same seed and different ones for another stream', async () => {
    const R = 64;
    const V = 9;
    const logits = randomF32(rng, R * V);
    const d = { ...base, R, V, temperature: 1, eos: 99 };
    const a = await draw(logits, d, [0]);
    const b = await draw(logits, d, [0]);
    const c = await draw(logits, { ...d, stream: d.stream + 1 }, [0]);
    expect(Array.from(b.next)).toEqual(Array.from(a.next));
    expect(Array.from(c.next)).not.toEqual(Array.from(a.next));
  });
});
