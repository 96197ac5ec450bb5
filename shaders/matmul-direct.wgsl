// The matmul family of matmul.wgsl (same Params, same layouts, same epilogue) for adapters that run
// shaders on a CPU, such as SwiftShader: no workgroup memory and no barriers, which a CPU pays for
// dearly, and operands loaded as vec4 straight from storage, which the CPU's caches serve. Each
// invocation computes an 8-row × 4-column block of C; an 8×8 workgroup covers 64 rows × 32 columns.
// Requires N % 4 = 0, K % 4 = 0 where A or B is walked along K in quads (nn, nt), M % 4 = 0 where A
// is stored [K,M] (tn), and strides that are multiples of 4 (src/kernels/matmul.ts checks).

struct Params {
  M: u32,
  N: u32,
  K: u32,
  flags: u32,     // bit 0: add bias; bit 1: accumulate into C
  strideA: u32,   // elements between batches
  strideB: u32,
  strideC: u32,
  alpha: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<vec4f>;
@group(0) @binding(2) var<storage, read> b: array<vec4f>;
@group(0) @binding(3) var<storage, read> bias: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> c: array<vec4f>;

const ROWS = 8u;

/** Row m of a matrix with `quads` vec4 per row, clamped to the last row: loads stay in bounds, and rows past M are never stored. */
fn rowStart(base: u32, m: u32, quads: u32) -> u32 {
  return base + min(m, p.M - 1u) * quads;
}

/** (a.x, a.y, a.z, a.w) · rows b0..b3: one row of A's quad times four rows of B. */
fn combine(a: vec4f, b0: vec4f, b1: vec4f, b2: vec4f, b3: vec4f) -> vec4f {
  return a.x * b0 + a.y * b1 + a.z * b2 + a.w * b3;
}

/** a against the four rows b0..b3 of B stored [N,K]: four dot products, one per output column. */
fn dots(a: vec4f, b0: vec4f, b1: vec4f, b2: vec4f, b3: vec4f) -> vec4f {
  return vec4f(dot(a, b0), dot(a, b1), dot(a, b2), dot(a, b3));
}

fn store(cBase: u32, m: u32, q: u32, acc: vec4f) {
  if (m >= p.M) { return; }
  let idx = cBase + m * (p.N / 4u) + q;
  var v = p.alpha * acc;
  if ((p.flags & 1u) != 0u) { v += bias[q]; }
  if ((p.flags & 2u) != 0u) { v += c[idx]; }
  c[idx] = v;
}

fn storeBlock(batch: u32, m0: u32, q: u32, c0: vec4f, c1: vec4f, c2: vec4f, c3: vec4f, c4: vec4f, c5: vec4f, c6: vec4f, c7: vec4f) {
  let cBase = batch * p.strideC / 4u;
  store(cBase, m0, q, c0);
  store(cBase, m0 + 1u, q, c1);
  store(cBase, m0 + 2u, q, c2);
  store(cBase, m0 + 3u, q, c3);
  store(cBase, m0 + 4u, q, c4);
  store(cBase, m0 + 5u, q, c5);
  store(cBase, m0 + 6u, q, c6);
  store(cBase, m0 + 7u, q, c7);
}

// C = A·B: A [M,K], B [K,N].
@compute @workgroup_size(8, 8)
fn nn(@builtin(global_invocation_id) gid: vec3u) {
  let q = gid.x;
  let m0 = gid.y * ROWS;
  let N4 = p.N / 4u;
  let K4 = p.K / 4u;
  if (q >= N4 || m0 >= p.M) { return; }
  let aBase = gid.z * p.strideA / 4u;
  let bBase = gid.z * p.strideB / 4u + q;
  let r0 = rowStart(aBase, m0, K4);
  let r1 = rowStart(aBase, m0 + 1u, K4);
  let r2 = rowStart(aBase, m0 + 2u, K4);
  let r3 = rowStart(aBase, m0 + 3u, K4);
  let r4 = rowStart(aBase, m0 + 4u, K4);
  let r5 = rowStart(aBase, m0 + 5u, K4);
  let r6 = rowStart(aBase, m0 + 6u, K4);
  let r7 = rowStart(aBase, m0 + 7u, K4);
  var c0 = vec4f(0.0); var c1 = vec4f(0.0); var c2 = vec4f(0.0); var c3 = vec4f(0.0);
  var c4 = vec4f(0.0); var c5 = vec4f(0.0); var c6 = vec4f(0.0); var c7 = vec4f(0.0);
  for (var k4 = 0u; k4 < K4; k4++) {
    let kb = bBase + k4 * 4u * N4; // rows 4·k4 … 4·k4+3 of B, column quad q
    let b0 = b[kb];
    let b1 = b[kb + N4];
    let b2 = b[kb + 2u * N4];
    let b3 = b[kb + 3u * N4];
    c0 += combine(a[r0 + k4], b0, b1, b2, b3);
    c1 += combine(a[r1 + k4], b0, b1, b2, b3);
    c2 += combine(a[r2 + k4], b0, b1, b2, b3);
    c3 += combine(a[r3 + k4], b0, b1, b2, b3);
    c4 += combine(a[r4 + k4], b0, b1, b2, b3);
    c5 += combine(a[r5 + k4], b0, b1, b2, b3);
    c6 += combine(a[r6 + k4], b0, b1, b2, b3);
    c7 += combine(a[r7 + k4], b0, b1, b2, b3);
  }
  storeBlock(gid.z, m0, q, c0, c1, c2, c3, c4, c5, c6, c7);
}

// C = A·Bᵀ: A [M,K], B stored [N,K].
@compute @workgroup_size(8, 8)
fn nt(@builtin(global_invocation_id) gid: vec3u) {
  let q = gid.x;
  let m0 = gid.y * ROWS;
  let K4 = p.K / 4u;
  if (q >= p.N / 4u || m0 >= p.M) { return; }
  let aBase = gid.z * p.strideA / 4u;
  let bRow = gid.z * p.strideB / 4u + 4u * q * K4; // row 4q of B
  let r0 = rowStart(aBase, m0, K4);
  let r1 = rowStart(aBase, m0 + 1u, K4);
  let r2 = rowStart(aBase, m0 + 2u, K4);
  let r3 = rowStart(aBase, m0 + 3u, K4);
  let r4 = rowStart(aBase, m0 + 4u, K4);
  let r5 = rowStart(aBase, m0 + 5u, K4);
  let r6 = rowStart(aBase, m0 + 6u, K4);
  let r7 = rowStart(aBase, m0 + 7u, K4);
  var c0 = vec4f(0.0); var c1 = vec4f(0.0); var c2 = vec4f(0.0); var c3 = vec4f(0.0);
  var c4 = vec4f(0.0); var c5 = vec4f(0.0); var c6 = vec4f(0.0); var c7 = vec4f(0.0);
  for (var k4 = 0u; k4 < K4; k4++) {
    let b0 = b[bRow + k4];
    let b1 = b[bRow + K4 + k4];
    let b2 = b[bRow + 2u * K4 + k4];
    let b3 = b[bRow + 3u * K4 + k4];
    c0 += dots(a[r0 + k4], b0, b1, b2, b3);
    c1 += dots(a[r1 + k4], b0, b1, b2, b3);
    c2 += dots(a[r2 + k4], b0, b1, b2, b3);
    c3 += dots(a[r3 + k4], b0, b1, b2, b3);
    c4 += dots(a[r4 + k4], b0, b1, b2, b3);
    c5 += dots(a[r5 + k4], b0, b1, b2, b3);
    c6 += dots(a[r6 + k4], b0, b1, b2, b3);
    c7 += dots(a[r7 + k4], b0, b1, b2, b3);
  }
  storeBlock(gid.z, m0, q, c0, c1, c2, c3, c4, c5, c6, c7);
}

// C = Aᵀ·B: A stored [K,M], B [K,N]. The block's 8 rows are two quads of A's rows.
@compute @workgroup_size(8, 8)
fn tn(@builtin(global_invocation_id) gid: vec3u) {
  let q = gid.x;
  let m0 = gid.y * ROWS;
  let M4 = p.M / 4u;
  let N4 = p.N / 4u;
  if (q >= N4 || m0 >= p.M) { return; }
  let qa0 = m0 / 4u;
  let qa1 = min(qa0 + 1u, M4 - 1u); // past M: loaded, never stored
  var aAt = gid.z * p.strideA / 4u;
  var bAt = gid.z * p.strideB / 4u + q;
  var c0 = vec4f(0.0); var c1 = vec4f(0.0); var c2 = vec4f(0.0); var c3 = vec4f(0.0);
  var c4 = vec4f(0.0); var c5 = vec4f(0.0); var c6 = vec4f(0.0); var c7 = vec4f(0.0);
  for (var k = 0u; k < p.K; k++) {
    let lo = a[aAt + qa0];
    let hi = a[aAt + qa1];
    let bk = b[bAt];
    c0 += lo.x * bk; c1 += lo.y * bk; c2 += lo.z * bk; c3 += lo.w * bk;
    c4 += hi.x * bk; c5 += hi.y * bk; c6 += hi.z * bk; c7 += hi.w * bk;
    aAt += M4;
    bAt += N4;
  }
  storeBlock(gid.z, m0, q, c0, c1, c2, c3, c4, c5, c6, c7);
}
