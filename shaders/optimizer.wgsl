// One optimiser step as one loop over the flat parameter buffer (llm.c), one invocation per
// element, grid-stride past the 65535 × 256 elements one dispatch dimension reaches.
// g = grads[i]·gradScale[1], the clip factor GradNorm writes; a non-finite factor (a NaN or Inf
// gradient somewhere) skips the whole step, leaving parameters and moments as they were.
//   adamw: m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= lr·(m̂/(√v̂ + eps) + wd·p),
//          m̂ = m/(1−β1^t), v̂ = v/(1−β2^t) (decoupled weight decay)
//   sgd:   p −= lr·(g + wd·p)

const THREADS = 256u;

// Written by the Optimizer instance before each step (not a per-dispatch uniform: lr and t change every step).
struct Hyper {
  n: u32,
  lr: f32,
  weightDecay: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  biasCorrection1: f32, // 1 − β1^t
  biasCorrection2: f32, // 1 − β2^t
}

@group(0) @binding(0) var<uniform> h: Hyper;
@group(0) @binding(1) var<storage, read_write> params: array<f32>; // [n]
@group(0) @binding(2) var<storage, read> grads: array<f32>;        // [n]
@group(0) @binding(3) var<storage, read> gradScale: array<f32>;    // [2]: (norm, clip factor)
@group(0) @binding(4) var<storage, read_write> m: array<f32>;      // [n] adamw only
@group(0) @binding(5) var<storage, read_write> v: array<f32>;      // [n] adamw only

fn isFinite(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}

@compute @workgroup_size(THREADS)
fn adamw(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let clip = gradScale[1];
  if (!isFinite(clip)) { return; }
  for (var i = gid.x; i < h.n; i += nwg.x * THREADS) {
    let g = grads[i] * clip;
    let mi = h.beta1 * m[i] + (1.0 - h.beta1) * g;
    let vi = h.beta2 * v[i] + (1.0 - h.beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    let mHat = mi / h.biasCorrection1;
    let vHat = vi / h.biasCorrection2;
    params[i] -= h.lr * (mHat / (sqrt(vHat) + h.eps) + h.weightDecay * params[i]);
  }
}

@compute @workgroup_size(THREADS)
fn sgd(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let clip = gradScale[1];
  if (!isFinite(clip)) { return; }
  for (var i = gid.x; i < h.n; i += nwg.x * THREADS) {
    params[i] -= h.lr * (grads[i] * clip + h.weightDecay * params[i]);
  }
}
