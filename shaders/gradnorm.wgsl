// Global gradient L2 norm and the clip factor, computed on the GPU so nothing is read back:
//   out[0] = ‖grads‖₂;  out[1] = maxNorm > 0 ? min(1, maxNorm / (norm + 1e-6)) : 1
// Two deterministic stages, no atomics: `sum_squares` gives each of P workgroups a fixed
// grid-stride share of the gradient and writes its partial sum of squares; `finish`, one
// workgroup, sums the P partials. P depends on n only (see GradNorm.partialsLength), so every
// device adds in the same order.
//
// WGSL does not promise that NaN and Inf survive arithmetic, so a non-finite gradient is detected
// from its bits. It, or a sum of squares past the float32 range (norm > ~1.8e19), is reported as
// NaN in both outputs: the trainer sees it, and the optimiser skips the step.

const THREADS = 256u;
const NAN_BITS = 0x7fc00000u;

fn isFinite(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}

struct Params {
  n: u32,
  partialCount: u32,
  maxNorm: f32,
}

@group(0) @binding(0) var<uniform> p: Params;

// Per invocation: (sum of squares, 1 if a non-finite gradient was seen else 0).
var<workgroup> lanes: array<vec2f, THREADS>;

// Tree reduction of `lanes`: squares add, non-finite flags take the max. Leaves the result in lanes[0].
fn reduceLanes(lid: u32) {
  workgroupBarrier();
  for (var stride = THREADS / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) {
      let a = lanes[lid];
      let b = lanes[lid + stride];
      lanes[lid] = vec2f(a.x + b.x, max(a.y, b.y));
    }
    workgroupBarrier();
  }
}

@group(0) @binding(1) var<storage, read_write> partials: array<vec2f>; // [P]
@group(0) @binding(2) var<storage, read> grads: array<f32>;            // [n]

@compute @workgroup_size(THREADS)
fn sum_squares(@builtin(workgroup_id) wg: vec3u, @builtin(global_invocation_id) gid: vec3u,
               @builtin(local_invocation_index) lid: u32) {
  var lane = vec2f(0.0);
  for (var i = gid.x; i < p.n; i += p.partialCount * THREADS) {
    let g = grads[i];
    if (isFinite(g)) { lane.x += g * g; } else { lane.y = 1.0; }
  }
  lanes[lid] = lane;
  reduceLanes(lid);
  if (lid == 0u) { partials[wg.x] = lanes[0]; }
}

@group(0) @binding(1) var<storage, read_write> out: array<f32>;              // [2]
@group(0) @binding(2) var<storage, read> finish_partials: array<vec2f>;       // [P]

@compute @workgroup_size(THREADS)
fn finish(@builtin(local_invocation_index) lid: u32) {
  var lane = vec2f(0.0);
  for (var i = lid; i < p.partialCount; i += THREADS) {
    let part = finish_partials[i];
    lane = vec2f(lane.x + part.x, max(lane.y, part.y));
  }
  lanes[lid] = lane;
  reduceLanes(lid);
  if (lid == 0u) {
    let total = lanes[0];
    var norm = sqrt(total.x);
    var scale = 1.0;
    if (p.maxNorm > 0.0) { scale = min(1.0, p.maxNorm / (norm + 1e-6)); }
    if (total.y != 0.0 || !isFinite(norm)) { // a non-finite gradient, or squares past the f32 range
      var nanBits = NAN_BITS; // a runtime value: a constant NaN is a WGSL compile error
      norm = bitcast<f32>(nanBits);
      scale = norm;
    }
    out[0] = norm;
    out[1] = scale;
  }
}
