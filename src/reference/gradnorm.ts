import type { GradNormDims } from '../kernels/gradnorm';

/** Float64 reference of GradNorm.forward: the norm of grads[0, n) and the clip factor (NaN when the norm is not finite). */
export function gradNorm(grads: ArrayLike<number>, { n, maxNorm }: GradNormDims): { norm: number; scale: number } {
  let sumSquares = 0;
  for (let i = 0; i < n; i++) sumSquares += grads[i]! * grads[i]!;
  const norm = Math.sqrt(sumSquares);
  if (!Number.isFinite(norm)) return { norm, scale: Number.NaN };
  return { norm, scale: maxNorm > 0 ? Math.min(1, maxNorm / (norm + 1e-6)) : 1 };
}
