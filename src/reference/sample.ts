/** The sampler's counter-based randomness, bit for bit as shaders/sample.wgsl computes it. */
export function pcg(v: number): number {
  const state = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

export function uniform01(seed: number, stream: number, row: number, column: number): number {
  const h = pcg((seed ^ pcg((stream ^ pcg((row ^ pcg(column)) >>> 0)) >>> 0)) >>> 0);
  return (h >>> 8) / 16777216;
}

/** The token that inverse-CDF sampling of softmax(logits/τ) picks for uniform u (argmax when τ = 0). */
export function sampleToken(logits: ArrayLike<number>, temperature: number, u: number): number {
  let zmax = -Infinity;
  let argmax = 0;
  for (let j = 0; j < logits.length; j++) if (logits[j]! > zmax) [zmax, argmax] = [logits[j]!, j];
  if (temperature === 0) return argmax;
  const weights = Array.from(logits, (z) => Math.exp((z - zmax) / temperature));
  const target = u * weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  for (let j = 0; j < weights.length; j++) {
    cumulative += weights[j]!;
    if (cumulative > target) return j;
  }
  return logits.length - 1;
}
