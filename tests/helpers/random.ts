import { uniformRng } from '../../src/util/rng';

export { uniformRng };

/**
 * Random inputs for tests: fresh on every run (so a lucky input cannot hide a bug for ever),
 * reproducible by setting TEST_SEED to the seed a failing run printed.
 */
export function testSeed(label: string): number {
  const fromEnv = process.env.TEST_SEED;
  const seed = fromEnv !== undefined ? Number(fromEnv) : Math.floor(Math.random() * 2 ** 31);
  console.log(`[${label}] TEST_SEED=${seed}`);
  return seed;
}

/** `n` floats uniform in [lo, hi), exactly representable in float32 so both sides see the same input. */
export function randomF32(rng: () => number, n: number, lo = -1, hi = 1): Float32Array<ArrayBuffer> {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rng();
  return out;
}
