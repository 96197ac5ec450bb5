/** [T, T] row-major: 0 where key j ≤ query i, −1e9 above the diagonal — added to attention scores, it leaves softmax weight only on the past. */
export function causalMask(T: number): Float32Array<ArrayBuffer> {
  const values = new Float32Array(T * T);
  for (let i = 0; i < T; i++) values.fill(-1e9, i * T + i + 1, (i + 1) * T);
  return values;
}
