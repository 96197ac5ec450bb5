// GELU, tanh form: gelu(x) = 0.5·x·(1 + tanh(u)),  u = √(2/π)·(x + 0.044715·x³)
//   forward:  out = gelu(inp)
//   backward: dinp += gelu'(inp)·dout
// Computed through the identity 0.5·(1 + tanh u) = σ(2u) = 1/(1 + e^(−2u)): 1 + tanh u cancels
// catastrophically in f32 for negative x (gelu(−4) would lose 3 digits), and σ has no tanh to
// overflow on drivers that build it from exp. Then gelu(x) = x·σ(2u) and
//   gelu'(x) = σ(2u) + 2·x·σ(2u)·(1 − σ(2u))·√(2/π)·(1 + 3·0.044715·x²),  1 − σ(2u) = e^(−2u)·σ(2u).
// One invocation per element; the workgroup grid may be 2-D when n needs more than 65535 groups.

struct Params {
  n: u32,
}

@group(0) @binding(0) var<uniform> p: Params;

const SQRT_2_OVER_PI = 0.7978845608028654;
const CUBIC = 0.044715;

// (σ(2u), e^(−2u)) with 2u clamped to ±80: σ is already 0 or 1 in f32 there, exp(80) ≈ 5.5e34
// stays finite, and x³ overflowing to ±inf (|x| > ~7e12) clamps instead of reaching exp.
fn sigmoidOf2u(x: f32) -> vec2f {
  let twoU = clamp(2.0 * SQRT_2_OVER_PI * (x + CUBIC * x * x * x), -80.0, 80.0);
  let e = exp(-twoU);
  return vec2f(1.0 / (1.0 + e), e);
}

fn elementIndex(wg: vec3u, groups: vec3u, li: u32) -> u32 {
  return (wg.y * groups.x + wg.x) * 256u + li;
}

@group(0) @binding(1) var<storage, read_write> out: array<f32>; // [n]
@group(0) @binding(2) var<storage, read> inp: array<f32>;       // [n]

@compute @workgroup_size(256)
fn gelu_forward(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                @builtin(local_invocation_index) li: u32) {
  let i = elementIndex(wg, groups, li);
  if (i >= p.n) { return; }
  let x = inp[i];
  out[i] = x * sigmoidOf2u(x).x;
}

@group(0) @binding(1) var<storage, read_write> dinp: array<f32>; // [n]
// binding 2 is inp, shared with the forward
@group(0) @binding(3) var<storage, read> dout: array<f32>;       // [n]

@compute @workgroup_size(256)
fn gelu_backward(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                 @builtin(local_invocation_index) li: u32) {
  let i = elementIndex(wg, groups, li);
  if (i >= p.n) { return; }
  // gelu' is 0 or 1 in f32 beyond |x| = 10; clamping there keeps x² finite (no 0·inf below).
  let x = clamp(inp[i], -10.0, 10.0);
  let se = sigmoidOf2u(x);
  let s = se.x;
  let slope = 2.0 * x * SQRT_2_OVER_PI * (1.0 + 3.0 * CUBIC * x * x);
  dinp[i] += (s + slope * (se.y * s) * s) * dout[i];
}
