// The matmul family of matmul.wgsl (same Params, same layouts, same epilogue) for adapters that run
// shaders on a CPU, such as SwiftShader: no workgroup memory and no barriers, which a CPU pays for
// dearly, and operands loaded as vec4 straight from storage, which the CPU's caches serve. Each
// invocation computes an 8-row × 4-column block of C; an 8×8 workgroup covers 64 rows × 32 columns.
// Requires N % 4 = 0, K % 4 = 0 where A or B is walked along K in quads (matmul_rows), M % 4 = 0 where A
// is stored [K,M] (matmul_cols), and strides that are multiples of 4 (src/kernels/matmul.ts checks).

// Params (binding 0) and the epilogue: matmul-common.wgsl.
@group(0) @binding(1) var<storage, read> a: array<vec4f>;
@group(0) @binding(2) var<storage, read> b: array<vec4f>;
@group(0) @binding(3) var<storage, read> bias: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> c: array<vec4f>;
@group(0) @binding(5) var<storage, read_write> aux: array<vec4f>; // shaped like C

const ROWS = 8u;

/** Row m of a matrix with `quads` vec4 per row, clamped to the last row: loads stay in bounds, and rows past M are never stored. */
fn rowStart(base: u32, m: u32, quads: u32) -> u32 {
  return base + min(m, p.M - 1u) * quads;
}

override TRANS_B: bool = false; // B stored [N,K] (nt) rather than [K,N] (nn)

/**
 * Quad k4 of the K axis for column quad q: the 4×4 block of B whose columns are B's rows 4·k4 … 4·k4+3
 * (nn: each column a vec4 of 4 output columns), or B's rows 4q … 4q+3 (nt: each a vec4 along K).
 */
fn blockB(bBase: u32, k4: u32, q: u32) -> mat4x4f {
  if (TRANS_B) {
    let row = bBase + 4u * q * (p.K / 4u) + k4;
    let K4 = p.K / 4u;
    return mat4x4f(b[row], b[row + K4], b[row + 2u * K4], b[row + 3u * K4]);
  }
  let N4 = p.N / 4u;
  let kb = bBase + k4 * 4u * N4 + q;
  return mat4x4f(b[kb], b[kb + N4], b[kb + 2u * N4], b[kb + 3u * N4]);
}

/** One row of A's quad k4 times the block: Σ_i a_i·(row i of B) for nn, (a·B's row j)_j for nt. */
fn times(a: vec4f, block: mat4x4f) -> vec4f {
  // Written out: SwiftShader runs these faster than the matrix products a·block and block·a.
  if (TRANS_B) { return vec4f(dot(a, block[0]), dot(a, block[1]), dot(a, block[2]), dot(a, block[3])); }
  return a.x * block[0] + a.y * block[1] + a.z * block[2] + a.w * block[3];
}

fn store(cBase: u32, m: u32, q: u32, acc: vec4f) {
  if (m >= p.M) { return; }
  let idx = cBase + m * (p.N / 4u) + q;
  var biasIn = vec4f(0.0);
  var auxIn = vec4f(0.0);
  var old = vec4f(0.0);
  if (hasFlag(ADD_BIAS)) { biasIn = bias[q]; }
  if (readsAux()) { auxIn = aux[idx]; }
  if (hasFlag(ACCUMULATE)) { old = c[idx]; }
  let out = epilogue(acc, biasIn, auxIn, old);
  c[idx] = out.c;
  if (EPILOGUE == GELU) { aux[idx] = out.aux; }
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

// C = A·B (A [M,K], B [K,N]) or, with TRANS_B, C = A·Bᵀ (B stored [N,K]).
@compute @workgroup_size(8, 8)
fn matmul_rows(@builtin(global_invocation_id) gid: vec3u) {
  let q = gid.x;
  let m0 = gid.y * ROWS;
  let K4 = p.K / 4u;
  if (q >= p.N / 4u || m0 >= p.M) { return; }
  let aBase = gid.z * p.strideA / 4u;
  let bBase = gid.z * p.strideB / 4u;
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
    let block = blockB(bBase, k4, q);
    c0 += times(a[r0 + k4], block);
    c1 += times(a[r1 + k4], block);
    c2 += times(a[r2 + k4], block);
    c3 += times(a[r3 + k4], block);
    c4 += times(a[r4 + k4], block);
    c5 += times(a[r5 + k4], block);
    c6 += times(a[r6 + k4], block);
    c7 += times(a[r7 + k4], block);
  }
  storeBlock(gid.z, m0, q, c0, c1, c2, c3, c4, c5, c6, c7);
}

// C = Aᵀ·B: A stored [K,M], B [K,N]. The block's 8 rows are two quads of A's rows.
@compute @workgroup_size(8, 8)
fn matmul_cols(@builtin(global_invocation_id) gid: vec3u) {
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
  var columnSums = vec4f(0.0); // of B's column quad q, for SUM_B_COLUMNS
  // Two rows of K per pass (half the loop overhead, which SwiftShader's JIT does not unroll); when K
  // is odd the last pass's second row is row K−1 again, weighted by zero.
  for (var k = 0u; k < p.K; k += 2u) {
    let more = k + 1u < p.K;
    let next = select(0u, M4, more);
    let lo = a[aAt + qa0];
    let hi = a[aAt + qa1];
    let bk = b[bAt];
    let lo2 = a[aAt + next + qa0];
    let hi2 = a[aAt + next + qa1];
    let bk2 = b[bAt + select(0u, N4, more)] * f32(more);
    c0 += lo.x * bk + lo2.x * bk2; c1 += lo.y * bk + lo2.y * bk2; c2 += lo.z * bk + lo2.z * bk2; c3 += lo.w * bk + lo2.w * bk2;
    c4 += hi.x * bk + hi2.x * bk2; c5 += hi.y * bk + hi2.y * bk2; c6 += hi.z * bk + hi2.z * bk2; c7 += hi.w * bk + hi2.w * bk2;
    columnSums += bk + bk2;
    aAt += 2u * M4;
    bAt += 2u * N4;
  }
  storeBlock(gid.z, m0, q, c0, c1, c2, c3, c4, c5, c6, c7);
  if (EPILOGUE == SUM_B_COLUMNS && m0 == 0u) { aux[q] += columnSums; }
}

// #include matmul-common
