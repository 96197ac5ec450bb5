import type { AdamWHyper, SgdHyper } from '../kernels/optimizer';

type Floats = ArrayLike<number>;

/** Float64 reference of Optimizer.adamw, in place; a non-finite gradScale[1] skips the step. */
export function adamwUpdate(
  params: Float64Array,
  grads: Floats,
  m: Float64Array,
  v: Float64Array,
  gradScale: Floats,
  { n }: { n: number },
  hyper: AdamWHyper,
): void {
  const { lr, beta1, beta2, eps, weightDecay, step } = hyper;
  const clip = gradScale[1]!;
  if (!Number.isFinite(clip)) return;
  const biasCorrection1 = 1 - beta1 ** step;
  const biasCorrection2 = 1 - beta2 ** step;
  for (let i = 0; i < n; i++) {
    const g = grads[i]! * clip;
    m[i] = beta1 * m[i]! + (1 - beta1) * g;
    v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
    const mHat = m[i]! / biasCorrection1;
    const vHat = v[i]! / biasCorrection2;
    params[i] = params[i]! - lr * (mHat / (Math.sqrt(vHat) + eps) + weightDecay * params[i]!);
  }
}

/** Float64 reference of Optimizer.sgd, in place; a non-finite gradScale[1] skips the step. */
export function sgdUpdate(params: Float64Array, grads: Floats, gradScale: Floats, { n }: { n: number }, { lr, weightDecay }: SgdHyper): void {
  const clip = gradScale[1]!;
  if (!Number.isFinite(clip)) return;
  for (let i = 0; i < n; i++) params[i] = params[i]! - lr * (grads[i]! * clip + weightDecay * params[i]!);
}
