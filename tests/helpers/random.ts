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

/** mulberry32: a small seeded generator of uniforms in [0, 1). */
export function uniformRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` floats uniform in [lo, hi), exactly representable in float32 so both sides see the same input. */
export function randomF32(rng: () => number, n: number, lo = -1, hi = 1): Float32Array<ArrayBuffer> {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rng();
  return out;
}
