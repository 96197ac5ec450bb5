type Floats = ArrayLike<number>;

/** An element-wise layer over n values. */
export interface ElementwiseDims {
  n: number;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const CUBIC = 0.044715;

/** u(x) = √(2/π)·(x + 0.044715·x³). */
function u(x: number): number {
  return SQRT_2_OVER_PI * (x + CUBIC * x ** 3);
}

/** 0.5·(1 + tanh u) written as σ(2u), which does not cancel for negative u (even in float64, 1 + tanh(−12) keeps 5 digits). */
function halfOnePlusTanh(u: number): number {
  return 1 / (1 + Math.exp(-2 * u));
}

/** gelu(x) = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export function gelu(x: number): number {
  return x * halfOnePlusTanh(u(x));
}

/** gelu'(x) = 0.5·(1 + tanh u) + 0.5·x·sech²u·√(2/π)·(1 + 3·0.044715·x²). */
export function geluDerivative(x: number): number {
  const sech2 = 1 / Math.cosh(u(x)) ** 2;
  return halfOnePlusTanh(u(x)) + 0.5 * x * sech2 * SQRT_2_OVER_PI * (1 + 3 * CUBIC * x * x);
}

/** out = gelu(inp), element-wise. */
export function geluForward(out: Float64Array, inp: Floats, { n }: ElementwiseDims): void {
  for (let i = 0; i < n; i++) out[i] = gelu(inp[i]!);
}

/** dinp += gelu'(inp)·dout, element-wise. */
export function geluBackward(dinp: Float64Array, inp: Floats, dout: Floats, { n }: ElementwiseDims): void {
  for (let i = 0; i < n; i++) dinp[i] = dinp[i]! + geluDerivative(inp[i]!) * dout[i]!;
}
