// GELU, tanh form, on four values at once (included by the matmul epilogue; no entry points):
//   gelu(x) = 0.5·x·(1 + tanh(u)),  u = √(2/π)·(x + 0.044715·x³)
// Computed through the identity 0.5·(1 + tanh u) = σ(2u) = 1/(1 + e^(−2u)): 1 + tanh u cancels
// catastrophically in f32 for negative x (gelu(−4) would lose 3 digits), and σ has no tanh to
// overflow on drivers that build it from exp. Then gelu(x) = x·σ(2u) and
//   gelu'(x) = σ(2u) + 2·x·σ(2u)·(1 − σ(2u))·√(2/π)·(1 + 3·0.044715·x²),  1 − σ(2u) = e^(−2u)·σ(2u).

const SQRT_2_OVER_PI = 0.7978845608028654;
const CUBIC = 0.044715;

struct SigmoidOf2u {
  s: vec4f, // σ(2u)
  e: vec4f, // e^(−2u)
}

// 2u clamped to ±80: σ is already 0 or 1 in f32 there, exp(80) ≈ 5.5e34 stays finite, and x³
// overflowing to ±inf (|x| > ~7e12) clamps instead of reaching exp.
fn sigmoidOf2u(x: vec4f) -> SigmoidOf2u {
  let twoU = clamp(2.0 * SQRT_2_OVER_PI * (x + CUBIC * x * x * x), vec4f(-80.0), vec4f(80.0));
  let e = exp(-twoU);
  return SigmoidOf2u(1.0 / (1.0 + e), e);
}

fn gelu(x: vec4f) -> vec4f {
  return x * sigmoidOf2u(x).s;
}

fn geluSlope(x0: vec4f) -> vec4f {
  // gelu' is 0 or 1 in f32 beyond |x| = 10; clamping there keeps x² finite (no 0·inf below).
  let x = clamp(x0, vec4f(-10.0), vec4f(10.0));
  let se = sigmoidOf2u(x);
  let slope = 2.0 * x * SQRT_2_OVER_PI * (1.0 + 3.0 * CUBIC * x * x);
  return se.s + slope * (se.e * se.s) * se.s;
}
