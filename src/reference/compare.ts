/**
 * Max relative error of `got` against the float64 reference `want`, relative to the reference's
 * largest magnitude: max|got − want| / max|want|. (Element-wise relative error is meaningless where
 * a dot product cancels to near zero; the tensor's own scale is the honest yardstick.) `floor` is the
 * least yardstick, for values computed as differences of terms of that size: a log-probability near 0
 * is log s − x with s and x of order 1, so it is known to f32's absolute precision at 1, not to its
 * own. NaN or a missing element counts as infinite error, so poisoned outputs that were never written fail.
 */
export function maxRelError(got: ArrayLike<number>, want: ArrayLike<number>, floor = 0): number {
  if (got.length !== want.length) throw new Error(`length mismatch: got ${got.length}, want ${want.length}`);
  let scale = floor;
  let worst = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    if (Number.isNaN(d) || d === Infinity) return Infinity;
    worst = Math.max(worst, d);
  }
  return scale === 0 ? worst : worst / scale;
}
