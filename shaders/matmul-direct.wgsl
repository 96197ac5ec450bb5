// The matmul family of matmul.wgsl (same Params, layouts and epilogue) for adapters that run shaders
// on a CPU, such as SwiftShader. There every element loaded from a buffer is a per-lane gather that
// costs dozens of cycles, while arithmetic on values held in registers is cheap (docs/kernels.md, "What
// a CPU adapter charges for"): so each invocation keeps a 16-row × 8-column block of C in 32
// vec4 registers and loads 16 + 8 elements per step along K for 128 products. No workgroup memory and
// no barrier, which a CPU also pays for dearly. The block is written out row by row on purpose: held in
// arrays, structs or matrices passed between functions, SwiftShader copies or spills it every step
// and runs slower (measured: bench/RESULTS.md). Any shape: loads are clamped to the last row and
// column, stores skip what lies past M or N. Matmul takes matmul-direct-vec4.wgsl instead for shapes
// it can read and write as vec4.

// Params (binding 0), the layout constants TRANS_A and TRANS_B, and the epilogue: matmul-common.wgsl.
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> c: array<f32>;
@group(0) @binding(5) var<storage, read_write> aux: array<f32>; // shaped like C

// An invocation's 8 columns lie WX apart, so that neighbouring invocations read neighbouring floats.
const WX = 4u;
const WY = 4u;
const ROWS = 16u;
const COLUMNS = 8u;

/** op(A)[m, k], row m clamped into A. */
fn elementOfA(base: u32, m: u32, k: u32) -> f32 {
  let row = min(m, p.M - 1u);
  if (TRANS_A) { return a[base + k * p.M + row]; }
  return a[base + row * p.K + k];
}

fn elementOfB(base: u32, k: u32, n: u32) -> f32 {
  let column = min(n, p.N - 1u);
  if (TRANS_B) { return b[base + column * p.K + k]; }
  return b[base + k * p.N + column];
}

/** op(B)[k, n] at four `columns`. */
fn quadOfB(base: u32, k: u32, columns: vec4u) -> vec4f {
  return vec4f(elementOfB(base, k, columns.x), elementOfB(base, k, columns.y), elementOfB(base, k, columns.z), elementOfB(base, k, columns.w));
}

fn put(inside: bool, at: u32, value: f32, preActivation: f32) {
  if (!inside) { return; }
  c[at] = value;
  if (EPILOGUE == GELU) { aux[at] = preActivation; }
}

/** The bias at four `columns` (clamped into it), or zeros without ADD_BIAS: loaded once per column of a block, not once per row. */
fn biasAt(columns: vec4u) -> vec4f {
  if (!hasFlag(ADD_BIAS)) { return vec4f(0.0); }
  let n = min(columns, vec4u(p.N - 1u));
  return vec4f(bias[n.x], bias[n.y], bias[n.z], bias[n.w]);
}

/** Stores row m of C at four `columns` through the epilogue; `biasIn` from biasAt(columns). */
fn store(cBase: u32, m: u32, columns: vec4u, acc: vec4f, biasIn: vec4f) {
  if (m >= p.M) { return; }
  let n = min(columns, vec4u(p.N - 1u));
  let at = vec4u(cBase + m * p.N) + n;
  var auxIn = vec4f(0.0);
  var old = vec4f(0.0);
  if (readsAux()) { auxIn = vec4f(aux[at.x], aux[at.y], aux[at.z], aux[at.w]); }
  if (ACCUMULATE) { old = vec4f(c[at.x], c[at.y], c[at.z], c[at.w]); }
  let out = epilogue(acc, biasIn, auxIn, old);
  let inside = columns < vec4u(p.N);
  put(inside.x, at.x, out.c.x, out.aux.x);
  put(inside.y, at.y, out.c.y, out.aux.y);
  put(inside.z, at.z, out.c.z, out.aux.z);
  put(inside.w, at.w, out.c.w, out.aux.w);
}

fn addColumnSums(columns: vec4u, sums: vec4f) {
  let inside = columns < vec4u(p.N);
  if (inside.x) { aux[columns.x] += sums.x; }
  if (inside.y) { aux[columns.y] += sums.y; }
  if (inside.z) { aux[columns.z] += sums.z; }
  if (inside.w) { aux[columns.w] += sums.w; }
}

// C = op(A)·op(B), batch in z; a workgroup covers 64 rows × 32 columns. Row r of the block sums into
// x_r (columns0) and y_r (columns1).
@compute @workgroup_size(WX, WY)
fn matmul(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let n0 = wg.x * COLUMNS * WX + lid.x;
  let m0 = (wg.y * WY + lid.y) * ROWS;
  if (n0 >= p.N || m0 >= p.M) { return; }
  let columns0 = vec4u(n0) + vec4u(0u, 1u, 2u, 3u) * WX;
  let columns1 = columns0 + 4u * WX;
  let aBase = wg.z * p.strideA;
  let bBase = wg.z * p.strideB;
  var x0 = vec4f(); var y0 = vec4f(); var x1 = vec4f(); var y1 = vec4f();
  var x2 = vec4f(); var y2 = vec4f(); var x3 = vec4f(); var y3 = vec4f();
  var x4 = vec4f(); var y4 = vec4f(); var x5 = vec4f(); var y5 = vec4f();
  var x6 = vec4f(); var y6 = vec4f(); var x7 = vec4f(); var y7 = vec4f();
  var x8 = vec4f(); var y8 = vec4f(); var x9 = vec4f(); var y9 = vec4f();
  var x10 = vec4f(); var y10 = vec4f(); var x11 = vec4f(); var y11 = vec4f();
  var x12 = vec4f(); var y12 = vec4f(); var x13 = vec4f(); var y13 = vec4f();
  var x14 = vec4f(); var y14 = vec4f(); var x15 = vec4f(); var y15 = vec4f();
  var sums0 = vec4f(); var sums1 = vec4f(); // B's column sums, for SUM_B_COLUMNS
  // Four steps along K per pass (SwiftShader's JIT does not unroll loops; two per pass measured 10–20%
  // slower on K ≥ 256); past K a step repeats step K−1 weighted by zero. Each step's row products follow
  // its loads of B, so that only that step's 8 columns are held.
  for (var k = 0u; k < p.K; k += 4u) {
    var a: f32;
    var q0 = quadOfB(bBase, k, columns0);
    var q1 = quadOfB(bBase, k, columns1);
    a = elementOfA(aBase, m0 + 0u, k); x0 += a * q0; y0 += a * q1;
    a = elementOfA(aBase, m0 + 1u, k); x1 += a * q0; y1 += a * q1;
    a = elementOfA(aBase, m0 + 2u, k); x2 += a * q0; y2 += a * q1;
    a = elementOfA(aBase, m0 + 3u, k); x3 += a * q0; y3 += a * q1;
    a = elementOfA(aBase, m0 + 4u, k); x4 += a * q0; y4 += a * q1;
    a = elementOfA(aBase, m0 + 5u, k); x5 += a * q0; y5 += a * q1;
    a = elementOfA(aBase, m0 + 6u, k); x6 += a * q0; y6 += a * q1;
    a = elementOfA(aBase, m0 + 7u, k); x7 += a * q0; y7 += a * q1;
    a = elementOfA(aBase, m0 + 8u, k); x8 += a * q0; y8 += a * q1;
    a = elementOfA(aBase, m0 + 9u, k); x9 += a * q0; y9 += a * q1;
    a = elementOfA(aBase, m0 + 10u, k); x10 += a * q0; y10 += a * q1;
    a = elementOfA(aBase, m0 + 11u, k); x11 += a * q0; y11 += a * q1;
    a = elementOfA(aBase, m0 + 12u, k); x12 += a * q0; y12 += a * q1;
    a = elementOfA(aBase, m0 + 13u, k); x13 += a * q0; y13 += a * q1;
    a = elementOfA(aBase, m0 + 14u, k); x14 += a * q0; y14 += a * q1;
    a = elementOfA(aBase, m0 + 15u, k); x15 += a * q0; y15 += a * q1;
    if (EPILOGUE == SUM_B_COLUMNS) { sums0 += q0; sums1 += q1; }
    let k1 = min(k + 1u, p.K - 1u);
    q0 = quadOfB(bBase, k1, columns0) * f32(k + 1u < p.K);
    q1 = quadOfB(bBase, k1, columns1) * f32(k + 1u < p.K);
    a = elementOfA(aBase, m0 + 0u, k1); x0 += a * q0; y0 += a * q1;
    a = elementOfA(aBase, m0 + 1u, k1); x1 += a * q0; y1 += a * q1;
    a = elementOfA(aBase, m0 + 2u, k1); x2 += a * q0; y2 += a * q1;
    a = elementOfA(aBase, m0 + 3u, k1); x3 += a * q0; y3 += a * q1;
    a = elementOfA(aBase, m0 + 4u, k1); x4 += a * q0; y4 += a * q1;
    a = elementOfA(aBase, m0 + 5u, k1); x5 += a * q0; y5 += a * q1;
    a = elementOfA(aBase, m0 + 6u, k1); x6 += a * q0; y6 += a * q1;
    a = elementOfA(aBase, m0 + 7u, k1); x7 += a * q0; y7 += a * q1;
    a = elementOfA(aBase, m0 + 8u, k1); x8 += a * q0; y8 += a * q1;
    a = elementOfA(aBase, m0 + 9u, k1); x9 += a * q0; y9 += a * q1;
    a = elementOfA(aBase, m0 + 10u, k1); x10 += a * q0; y10 += a * q1;
    a = elementOfA(aBase, m0 + 11u, k1); x11 += a * q0; y11 += a * q1;
    a = elementOfA(aBase, m0 + 12u, k1); x12 += a * q0; y12 += a * q1;
    a = elementOfA(aBase, m0 + 13u, k1); x13 += a * q0; y13 += a * q1;
    a = elementOfA(aBase, m0 + 14u, k1); x14 += a * q0; y14 += a * q1;
    a = elementOfA(aBase, m0 + 15u, k1); x15 += a * q0; y15 += a * q1;
    if (EPILOGUE == SUM_B_COLUMNS) { sums0 += q0; sums1 += q1; }
    let k2 = min(k + 2u, p.K - 1u);
    q0 = quadOfB(bBase, k2, columns0) * f32(k + 2u < p.K);
    q1 = quadOfB(bBase, k2, columns1) * f32(k + 2u < p.K);
    a = elementOfA(aBase, m0 + 0u, k2); x0 += a * q0; y0 += a * q1;
    a = elementOfA(aBase, m0 + 1u, k2); x1 += a * q0; y1 += a * q1;
    a = elementOfA(aBase, m0 + 2u, k2); x2 += a * q0; y2 += a * q1;
    a = elementOfA(aBase, m0 + 3u, k2); x3 += a * q0; y3 += a * q1;
    a = elementOfA(aBase, m0 + 4u, k2); x4 += a * q0; y4 += a * q1;
    a = elementOfA(aBase, m0 + 5u, k2); x5 += a * q0; y5 += a * q1;
    a = elementOfA(aBase, m0 + 6u, k2); x6 += a * q0; y6 += a * q1;
    a = elementOfA(aBase, m0 + 7u, k2); x7 += a * q0; y7 += a * q1;
    a = elementOfA(aBase, m0 + 8u, k2); x8 += a * q0; y8 += a * q1;
    a = elementOfA(aBase, m0 + 9u, k2); x9 += a * q0; y9 += a * q1;
    a = elementOfA(aBase, m0 + 10u, k2); x10 += a * q0; y10 += a * q1;
    a = elementOfA(aBase, m0 + 11u, k2); x11 += a * q0; y11 += a * q1;
    a = elementOfA(aBase, m0 + 12u, k2); x12 += a * q0; y12 += a * q1;
    a = elementOfA(aBase, m0 + 13u, k2); x13 += a * q0; y13 += a * q1;
    a = elementOfA(aBase, m0 + 14u, k2); x14 += a * q0; y14 += a * q1;
    a = elementOfA(aBase, m0 + 15u, k2); x15 += a * q0; y15 += a * q1;
    if (EPILOGUE == SUM_B_COLUMNS) { sums0 += q0; sums1 += q1; }
    let k3 = min(k + 3u, p.K - 1u);
    q0 = quadOfB(bBase, k3, columns0) * f32(k + 3u < p.K);
    q1 = quadOfB(bBase, k3, columns1) * f32(k + 3u < p.K);
    a = elementOfA(aBase, m0 + 0u, k3); x0 += a * q0; y0 += a * q1;
    a = elementOfA(aBase, m0 + 1u, k3); x1 += a * q0; y1 += a * q1;
    a = elementOfA(aBase, m0 + 2u, k3); x2 += a * q0; y2 += a * q1;
    a = elementOfA(aBase, m0 + 3u, k3); x3 += a * q0; y3 += a * q1;
    a = elementOfA(aBase, m0 + 4u, k3); x4 += a * q0; y4 += a * q1;
    a = elementOfA(aBase, m0 + 5u, k3); x5 += a * q0; y5 += a * q1;
    a = elementOfA(aBase, m0 + 6u, k3); x6 += a * q0; y6 += a * q1;
    a = elementOfA(aBase, m0 + 7u, k3); x7 += a * q0; y7 += a * q1;
    a = elementOfA(aBase, m0 + 8u, k3); x8 += a * q0; y8 += a * q1;
    a = elementOfA(aBase, m0 + 9u, k3); x9 += a * q0; y9 += a * q1;
    a = elementOfA(aBase, m0 + 10u, k3); x10 += a * q0; y10 += a * q1;
    a = elementOfA(aBase, m0 + 11u, k3); x11 += a * q0; y11 += a * q1;
    a = elementOfA(aBase, m0 + 12u, k3); x12 += a * q0; y12 += a * q1;
    a = elementOfA(aBase, m0 + 13u, k3); x13 += a * q0; y13 += a * q1;
    a = elementOfA(aBase, m0 + 14u, k3); x14 += a * q0; y14 += a * q1;
    a = elementOfA(aBase, m0 + 15u, k3); x15 += a * q0; y15 += a * q1;
    if (EPILOGUE == SUM_B_COLUMNS) { sums0 += q0; sums1 += q1; }
  }
  let cBase = wg.z * p.strideC;
  let bias0 = biasAt(columns0);
  let bias1 = biasAt(columns1);
  store(cBase, m0 + 0u, columns0, x0, bias0); store(cBase, m0 + 0u, columns1, y0, bias1);
  store(cBase, m0 + 1u, columns0, x1, bias0); store(cBase, m0 + 1u, columns1, y1, bias1);
  store(cBase, m0 + 2u, columns0, x2, bias0); store(cBase, m0 + 2u, columns1, y2, bias1);
  store(cBase, m0 + 3u, columns0, x3, bias0); store(cBase, m0 + 3u, columns1, y3, bias1);
  store(cBase, m0 + 4u, columns0, x4, bias0); store(cBase, m0 + 4u, columns1, y4, bias1);
  store(cBase, m0 + 5u, columns0, x5, bias0); store(cBase, m0 + 5u, columns1, y5, bias1);
  store(cBase, m0 + 6u, columns0, x6, bias0); store(cBase, m0 + 6u, columns1, y6, bias1);
  store(cBase, m0 + 7u, columns0, x7, bias0); store(cBase, m0 + 7u, columns1, y7, bias1);
  store(cBase, m0 + 8u, columns0, x8, bias0); store(cBase, m0 + 8u, columns1, y8, bias1);
  store(cBase, m0 + 9u, columns0, x9, bias0); store(cBase, m0 + 9u, columns1, y9, bias1);
  store(cBase, m0 + 10u, columns0, x10, bias0); store(cBase, m0 + 10u, columns1, y10, bias1);
  store(cBase, m0 + 11u, columns0, x11, bias0); store(cBase, m0 + 11u, columns1, y11, bias1);
  store(cBase, m0 + 12u, columns0, x12, bias0); store(cBase, m0 + 12u, columns1, y12, bias1);
  store(cBase, m0 + 13u, columns0, x13, bias0); store(cBase, m0 + 13u, columns1, y13, bias1);
  store(cBase, m0 + 14u, columns0, x14, bias0); store(cBase, m0 + 14u, columns1, y14, bias1);
  store(cBase, m0 + 15u, columns0, x15, bias0); store(cBase, m0 + 15u, columns1, y15, bias1);
  // One batch (checked by the host); the invocations holding row 0 own each column's sum.
  if (EPILOGUE == SUM_B_COLUMNS && m0 == 0u) {
    addColumnSums(columns0, sums0);
    addColumnSums(columns1, sums1);
  }
}

// #include matmul-common
