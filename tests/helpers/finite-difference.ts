/**
 * Checks an analytic gradient against central finite differences in float64.
 * `loss` maps the inputs to a scalar; `grad` is the analytic ∂loss/∂x for the same x. Every
 * element is checked (or `sample` of them, spread evenly, for large tensors). Returns the max
 * relative error against the gradient's own scale (see maxRelError).
 */
export function finiteDifferenceError(loss: () => number, x: Float64Array, grad: ArrayLike<number>, { h = 1e-5, sample = Infinity } = {}): number {
  const step = Math.max(1, Math.floor(x.length / Math.min(sample, x.length)));
  let scale = 0;
  for (let i = 0; i < grad.length; i++) scale = Math.max(scale, Math.abs(grad[i]!));
  let worst = 0;
  for (let i = 0; i < x.length; i += step) {
    const saved = x[i]!;
    x[i] = saved + h;
    const up = loss();
    x[i] = saved - h;
    const down = loss();
    x[i] = saved;
    const numeric = (up - down) / (2 * h);
    worst = Math.max(worst, Math.abs(numeric - grad[i]!));
  }
  return scale === 0 ? worst : worst / scale;
}

/** Σ_i w_i·y_i: a scalar loss whose gradient with respect to y is w, for checking a layer's backward. */
export function weightedSum(y: ArrayLike<number>, w: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i]! * w[i]!;
  return s;
}
