export { maxRelError } from '../../src/reference/compare';

/** A float32 array full of NaN, written over outputs before a kernel runs. */
export function poison(n: number): Float32Array<ArrayBuffer> {
  return new Float32Array(n).fill(Number.NaN);
}
