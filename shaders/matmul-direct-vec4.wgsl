// The CPU matmul (matmul-direct.wgsl: same Params, layouts and epilogue) for shapes whose rows of A
// and B can be read four floats at a time. On SwiftShader a vec4 load from array<vec4f> costs less than
// four scalar loads (both are per-lane gathers; docs/kernels.md, "What a CPU adapter charges for";
// measured: bench/RESULTS.md),
// so each invocation reads op(A) and op(B) as vec4 along whichever dimension is contiguous in memory
// and keeps a 16-row × 16-column block of C in 64 vec4 registers: per four steps along K, 32 vec4
// loads for 1024 products, where the scalar kernel's 16×8 block takes 96 scalar loads for 512.
// C is stored a vec4 at a time too, through an epilogue whose accumulate test is fixed per pipeline
// (matmul-common.wgsl): with both, a training step's products run faster than with the scalar kernel
// (measured: bench/RESULTS.md).
//
// What must be a multiple of 4 (Matmul checks it and takes matmul-direct.wgsl otherwise): N; K when A
// is stored [M,K] or B [N,K]; M when A is stored [K,M]; the batch strides of A, B and C. Rows and
// columns past M and N are clamped on load and skipped on store; when A is stored
// [K,M], steps past K repeat step K−1 with A weighted by zero. The block is unrolled by hand, row by
// row, like matmul-direct.wgsl's, and for the same reason: SwiftShader neither unrolls loops nor keeps
// arrays, structs or matrices of accumulators in registers.

// Params (binding 0), the layout constants TRANS_A and TRANS_B, and the epilogue: matmul-common.wgsl.
@group(0) @binding(1) var<storage, read> a: array<vec4f>;
@group(0) @binding(2) var<storage, read> b: array<vec4f>;
@group(0) @binding(3) var<storage, read> bias: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> c: array<vec4f>;
@group(0) @binding(5) var<storage, read_write> aux: array<vec4f>; // shaped like C

// 4 × 1 invocations of 16 × 16: a workgroup covers 16 rows × 64 columns of C, one SIMD group of
// SwiftShader's 4 lanes. Decoding runs products on as few as 16 rows: a 2 × 2 workgroup left half its
// lanes past M there, and idle lanes cost as much as busy ones, while it was no faster elsewhere
// (measured: bench/RESULTS.md); N is a multiple of 64 for every product of the model but the
// vocabulary-wide one.
const WX = 4u;
const WY = 1u;
const ROWS = 16u;
const COLUMNS = 16u;

/** Where row (or column) `i` of a matrix stored `length` floats per row starts, in vec4s; i clamped below `count`. */
fn rowStart(base: u32, i: u32, count: u32, length: u32) -> u32 {
  return (base + min(i, count - 1u) * length) / 4u;
}

/** Quad index of the four rows or columns from `i` (clamped so that they lie below `count`, a multiple of 4). */
fn quadAt(i: u32, count: u32) -> u32 {
  return min(i, count - 4u) / 4u;
}

/** The bias at column quad `quad` (clamped into it), or zeros without ADD_BIAS. */
fn biasAt(quad: u32) -> vec4f {
  if (!hasFlag(ADD_BIAS)) { return vec4f(0.0); }
  return bias[min(quad, p.N / 4u - 1u)];
}

/** Stores row m of C at column quad `quad` through the epilogue; `biasIn` from biasAt(quad). N % 4 == 0: a quad lies all inside C or all outside. */
fn store(cBase: u32, m: u32, quad: u32, acc: vec4f, biasIn: vec4f) {
  let quads = p.N / 4u;
  if (m >= p.M || quad >= quads) { return; }
  let at = cBase + m * quads + quad;
  var auxIn = vec4f(0.0);
  var old = vec4f(0.0);
  if (readsAux()) { auxIn = aux[at]; }
  if (ACCUMULATE) { old = c[at]; }
  let out = epilogue(acc, biasIn, auxIn, old);
  c[at] = out.c;
  if (EPILOGUE == GELU) { aux[at] = out.aux; }
}

/** aux[n] += Σ_k B[k, n] over column quad `quad` (SUM_B_COLUMNS: aux holds N values). */
fn addColumnSums(quad: u32, sums: vec4f) {
  if (quad < p.N / 4u) { aux[quad] += sums; }
}

// C = op(A)·op(B), batch in z. Invocation block: rows m0 … m0+15, columns n0 … n0+15; row r sums
// into x{r}_{q} for the four columns n0+4q … n0+4q+3.
@compute @workgroup_size(WX, WY)
fn matmul(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let n0 = (wg.x * WX + lid.x) * COLUMNS;
  let m0 = (wg.y * WY + lid.y) * ROWS;
  if (n0 >= p.N || m0 >= p.M) { return; }
  let aBase = wg.z * p.strideA;
  let bBase = wg.z * p.strideB;
  // Loop-invariant parts of every address (SwiftShader's JIT does not hoist them): where each row of
  // A [M,K] and each column of B [N,K] starts, and which quads of rows of A [K,M] and of columns of B [K,N].
  let ra0 = rowStart(aBase, m0 + 0u, p.M, p.K); let ra1 = rowStart(aBase, m0 + 1u, p.M, p.K); let ra2 = rowStart(aBase, m0 + 2u, p.M, p.K); let ra3 = rowStart(aBase, m0 + 3u, p.M, p.K);
  let ra4 = rowStart(aBase, m0 + 4u, p.M, p.K); let ra5 = rowStart(aBase, m0 + 5u, p.M, p.K); let ra6 = rowStart(aBase, m0 + 6u, p.M, p.K); let ra7 = rowStart(aBase, m0 + 7u, p.M, p.K);
  let ra8 = rowStart(aBase, m0 + 8u, p.M, p.K); let ra9 = rowStart(aBase, m0 + 9u, p.M, p.K); let ra10 = rowStart(aBase, m0 + 10u, p.M, p.K); let ra11 = rowStart(aBase, m0 + 11u, p.M, p.K);
  let ra12 = rowStart(aBase, m0 + 12u, p.M, p.K); let ra13 = rowStart(aBase, m0 + 13u, p.M, p.K); let ra14 = rowStart(aBase, m0 + 14u, p.M, p.K); let ra15 = rowStart(aBase, m0 + 15u, p.M, p.K);
  let rb0 = rowStart(bBase, n0 + 0u, p.N, p.K); let rb1 = rowStart(bBase, n0 + 1u, p.N, p.K); let rb2 = rowStart(bBase, n0 + 2u, p.N, p.K); let rb3 = rowStart(bBase, n0 + 3u, p.N, p.K);
  let rb4 = rowStart(bBase, n0 + 4u, p.N, p.K); let rb5 = rowStart(bBase, n0 + 5u, p.N, p.K); let rb6 = rowStart(bBase, n0 + 6u, p.N, p.K); let rb7 = rowStart(bBase, n0 + 7u, p.N, p.K);
  let rb8 = rowStart(bBase, n0 + 8u, p.N, p.K); let rb9 = rowStart(bBase, n0 + 9u, p.N, p.K); let rb10 = rowStart(bBase, n0 + 10u, p.N, p.K); let rb11 = rowStart(bBase, n0 + 11u, p.N, p.K);
  let rb12 = rowStart(bBase, n0 + 12u, p.N, p.K); let rb13 = rowStart(bBase, n0 + 13u, p.N, p.K); let rb14 = rowStart(bBase, n0 + 14u, p.N, p.K); let rb15 = rowStart(bBase, n0 + 15u, p.N, p.K);
  let qa0 = quadAt(m0 + 0u, p.M); let qa1 = quadAt(m0 + 4u, p.M); let qa2 = quadAt(m0 + 8u, p.M); let qa3 = quadAt(m0 + 12u, p.M);
  let qb0 = quadAt(n0 + 0u, p.N); let qb1 = quadAt(n0 + 4u, p.N); let qb2 = quadAt(n0 + 8u, p.N); let qb3 = quadAt(n0 + 12u, p.N);
  var x0_0 = vec4f(); var x0_1 = vec4f(); var x0_2 = vec4f(); var x0_3 = vec4f();
  var x1_0 = vec4f(); var x1_1 = vec4f(); var x1_2 = vec4f(); var x1_3 = vec4f();
  var x2_0 = vec4f(); var x2_1 = vec4f(); var x2_2 = vec4f(); var x2_3 = vec4f();
  var x3_0 = vec4f(); var x3_1 = vec4f(); var x3_2 = vec4f(); var x3_3 = vec4f();
  var x4_0 = vec4f(); var x4_1 = vec4f(); var x4_2 = vec4f(); var x4_3 = vec4f();
  var x5_0 = vec4f(); var x5_1 = vec4f(); var x5_2 = vec4f(); var x5_3 = vec4f();
  var x6_0 = vec4f(); var x6_1 = vec4f(); var x6_2 = vec4f(); var x6_3 = vec4f();
  var x7_0 = vec4f(); var x7_1 = vec4f(); var x7_2 = vec4f(); var x7_3 = vec4f();
  var x8_0 = vec4f(); var x8_1 = vec4f(); var x8_2 = vec4f(); var x8_3 = vec4f();
  var x9_0 = vec4f(); var x9_1 = vec4f(); var x9_2 = vec4f(); var x9_3 = vec4f();
  var x10_0 = vec4f(); var x10_1 = vec4f(); var x10_2 = vec4f(); var x10_3 = vec4f();
  var x11_0 = vec4f(); var x11_1 = vec4f(); var x11_2 = vec4f(); var x11_3 = vec4f();
  var x12_0 = vec4f(); var x12_1 = vec4f(); var x12_2 = vec4f(); var x12_3 = vec4f();
  var x13_0 = vec4f(); var x13_1 = vec4f(); var x13_2 = vec4f(); var x13_3 = vec4f();
  var x14_0 = vec4f(); var x14_1 = vec4f(); var x14_2 = vec4f(); var x14_3 = vec4f();
  var x15_0 = vec4f(); var x15_1 = vec4f(); var x15_2 = vec4f(); var x15_3 = vec4f();
  var sums0 = vec4f(); var sums1 = vec4f(); var sums2 = vec4f(); var sums3 = vec4f(); // B's column sums, for SUM_B_COLUMNS
  for (var k = 0u; k < p.K; k += 4u) {
    // a{r} = op(A)[m0 + r, k … k+3]; b{j}_{q} = op(B)[k + j, n0 + 4q … n0 + 4q + 3].
    var a0: vec4f; var a1: vec4f; var a2: vec4f; var a3: vec4f; var a4: vec4f; var a5: vec4f; var a6: vec4f; var a7: vec4f;
    var a8: vec4f; var a9: vec4f; var a10: vec4f; var a11: vec4f; var a12: vec4f; var a13: vec4f; var a14: vec4f; var a15: vec4f;
    var b0_0: vec4f; var b0_1: vec4f; var b0_2: vec4f; var b0_3: vec4f;
    var b1_0: vec4f; var b1_1: vec4f; var b1_2: vec4f; var b1_3: vec4f;
    var b2_0: vec4f; var b2_1: vec4f; var b2_2: vec4f; var b2_3: vec4f;
    var b3_0: vec4f; var b3_1: vec4f; var b3_2: vec4f; var b3_3: vec4f;
    let k4 = k / 4u;
    // Steps k … k+3 that lie before K: all of them unless A is stored [K,M] (the only layout with K % 4 ≠ 0).
    let live = vec4f(vec4u(k) + vec4u(0u, 1u, 2u, 3u) < vec4u(p.K));
    if (TRANS_A) {
      // Rows k … k+3 of A [K,M] (clamped), in vec4s.
      let at0 = rowStart(aBase, k + 0u, p.K, p.M); let at1 = rowStart(aBase, k + 1u, p.K, p.M); let at2 = rowStart(aBase, k + 2u, p.K, p.M); let at3 = rowStart(aBase, k + 3u, p.K, p.M);
      // t{j}_{g} = op(A)[m0 + 4g … m0 + 4g + 3, k + j], transposed into a{4g} … a{4g+3}; steps past K weighted by zero.
      let t0_0 = a[at0 + qa0]; let t0_1 = a[at0 + qa1]; let t0_2 = a[at0 + qa2]; let t0_3 = a[at0 + qa3];
      let t1_0 = a[at1 + qa0]; let t1_1 = a[at1 + qa1]; let t1_2 = a[at1 + qa2]; let t1_3 = a[at1 + qa3];
      let t2_0 = a[at2 + qa0]; let t2_1 = a[at2 + qa1]; let t2_2 = a[at2 + qa2]; let t2_3 = a[at2 + qa3];
      let t3_0 = a[at3 + qa0]; let t3_1 = a[at3 + qa1]; let t3_2 = a[at3 + qa2]; let t3_3 = a[at3 + qa3];
      a0 = vec4f(t0_0.x, t1_0.x, t2_0.x, t3_0.x) * live; a1 = vec4f(t0_0.y, t1_0.y, t2_0.y, t3_0.y) * live; a2 = vec4f(t0_0.z, t1_0.z, t2_0.z, t3_0.z) * live; a3 = vec4f(t0_0.w, t1_0.w, t2_0.w, t3_0.w) * live;
      a4 = vec4f(t0_1.x, t1_1.x, t2_1.x, t3_1.x) * live; a5 = vec4f(t0_1.y, t1_1.y, t2_1.y, t3_1.y) * live; a6 = vec4f(t0_1.z, t1_1.z, t2_1.z, t3_1.z) * live; a7 = vec4f(t0_1.w, t1_1.w, t2_1.w, t3_1.w) * live;
      a8 = vec4f(t0_2.x, t1_2.x, t2_2.x, t3_2.x) * live; a9 = vec4f(t0_2.y, t1_2.y, t2_2.y, t3_2.y) * live; a10 = vec4f(t0_2.z, t1_2.z, t2_2.z, t3_2.z) * live; a11 = vec4f(t0_2.w, t1_2.w, t2_2.w, t3_2.w) * live;
      a12 = vec4f(t0_3.x, t1_3.x, t2_3.x, t3_3.x) * live; a13 = vec4f(t0_3.y, t1_3.y, t2_3.y, t3_3.y) * live; a14 = vec4f(t0_3.z, t1_3.z, t2_3.z, t3_3.z) * live; a15 = vec4f(t0_3.w, t1_3.w, t2_3.w, t3_3.w) * live;
    } else {
      a0 = a[ra0 + k4]; a1 = a[ra1 + k4]; a2 = a[ra2 + k4]; a3 = a[ra3 + k4];
      a4 = a[ra4 + k4]; a5 = a[ra5 + k4]; a6 = a[ra6 + k4]; a7 = a[ra7 + k4];
      a8 = a[ra8 + k4]; a9 = a[ra9 + k4]; a10 = a[ra10 + k4]; a11 = a[ra11 + k4];
      a12 = a[ra12 + k4]; a13 = a[ra13 + k4]; a14 = a[ra14 + k4]; a15 = a[ra15 + k4];
    }
    if (TRANS_B) {
      // u{n} = op(B)[k … k+3, n0 + n], transposed into b0_{q} … b3_{q}.
      let u0 = b[rb0 + k4]; let u1 = b[rb1 + k4]; let u2 = b[rb2 + k4]; let u3 = b[rb3 + k4];
      let u4 = b[rb4 + k4]; let u5 = b[rb5 + k4]; let u6 = b[rb6 + k4]; let u7 = b[rb7 + k4];
      let u8 = b[rb8 + k4]; let u9 = b[rb9 + k4]; let u10 = b[rb10 + k4]; let u11 = b[rb11 + k4];
      let u12 = b[rb12 + k4]; let u13 = b[rb13 + k4]; let u14 = b[rb14 + k4]; let u15 = b[rb15 + k4];
      b0_0 = vec4f(u0.x, u1.x, u2.x, u3.x); b0_1 = vec4f(u4.x, u5.x, u6.x, u7.x); b0_2 = vec4f(u8.x, u9.x, u10.x, u11.x); b0_3 = vec4f(u12.x, u13.x, u14.x, u15.x);
      b1_0 = vec4f(u0.y, u1.y, u2.y, u3.y); b1_1 = vec4f(u4.y, u5.y, u6.y, u7.y); b1_2 = vec4f(u8.y, u9.y, u10.y, u11.y); b1_3 = vec4f(u12.y, u13.y, u14.y, u15.y);
      b2_0 = vec4f(u0.z, u1.z, u2.z, u3.z); b2_1 = vec4f(u4.z, u5.z, u6.z, u7.z); b2_2 = vec4f(u8.z, u9.z, u10.z, u11.z); b2_3 = vec4f(u12.z, u13.z, u14.z, u15.z);
      b3_0 = vec4f(u0.w, u1.w, u2.w, u3.w); b3_1 = vec4f(u4.w, u5.w, u6.w, u7.w); b3_2 = vec4f(u8.w, u9.w, u10.w, u11.w); b3_3 = vec4f(u12.w, u13.w, u14.w, u15.w);
    } else {
      // Rows k … k+3 of B [K,N] (clamped), in vec4s.
      let bt0 = rowStart(bBase, k + 0u, p.K, p.N); let bt1 = rowStart(bBase, k + 1u, p.K, p.N); let bt2 = rowStart(bBase, k + 2u, p.K, p.N); let bt3 = rowStart(bBase, k + 3u, p.K, p.N);
      b0_0 = b[bt0 + qb0]; b0_1 = b[bt0 + qb1]; b0_2 = b[bt0 + qb2]; b0_3 = b[bt0 + qb3];
      b1_0 = b[bt1 + qb0]; b1_1 = b[bt1 + qb1]; b1_2 = b[bt1 + qb2]; b1_3 = b[bt1 + qb3];
      b2_0 = b[bt2 + qb0]; b2_1 = b[bt2 + qb1]; b2_2 = b[bt2 + qb2]; b2_3 = b[bt2 + qb3];
      b3_0 = b[bt3 + qb0]; b3_1 = b[bt3 + qb1]; b3_2 = b[bt3 + qb2]; b3_3 = b[bt3 + qb3];
    }
    x0_0 += a0.x * b0_0 + a0.y * b1_0 + a0.z * b2_0 + a0.w * b3_0;
    x0_1 += a0.x * b0_1 + a0.y * b1_1 + a0.z * b2_1 + a0.w * b3_1;
    x0_2 += a0.x * b0_2 + a0.y * b1_2 + a0.z * b2_2 + a0.w * b3_2;
    x0_3 += a0.x * b0_3 + a0.y * b1_3 + a0.z * b2_3 + a0.w * b3_3;
    x1_0 += a1.x * b0_0 + a1.y * b1_0 + a1.z * b2_0 + a1.w * b3_0;
    x1_1 += a1.x * b0_1 + a1.y * b1_1 + a1.z * b2_1 + a1.w * b3_1;
    x1_2 += a1.x * b0_2 + a1.y * b1_2 + a1.z * b2_2 + a1.w * b3_2;
    x1_3 += a1.x * b0_3 + a1.y * b1_3 + a1.z * b2_3 + a1.w * b3_3;
    x2_0 += a2.x * b0_0 + a2.y * b1_0 + a2.z * b2_0 + a2.w * b3_0;
    x2_1 += a2.x * b0_1 + a2.y * b1_1 + a2.z * b2_1 + a2.w * b3_1;
    x2_2 += a2.x * b0_2 + a2.y * b1_2 + a2.z * b2_2 + a2.w * b3_2;
    x2_3 += a2.x * b0_3 + a2.y * b1_3 + a2.z * b2_3 + a2.w * b3_3;
    x3_0 += a3.x * b0_0 + a3.y * b1_0 + a3.z * b2_0 + a3.w * b3_0;
    x3_1 += a3.x * b0_1 + a3.y * b1_1 + a3.z * b2_1 + a3.w * b3_1;
    x3_2 += a3.x * b0_2 + a3.y * b1_2 + a3.z * b2_2 + a3.w * b3_2;
    x3_3 += a3.x * b0_3 + a3.y * b1_3 + a3.z * b2_3 + a3.w * b3_3;
    x4_0 += a4.x * b0_0 + a4.y * b1_0 + a4.z * b2_0 + a4.w * b3_0;
    x4_1 += a4.x * b0_1 + a4.y * b1_1 + a4.z * b2_1 + a4.w * b3_1;
    x4_2 += a4.x * b0_2 + a4.y * b1_2 + a4.z * b2_2 + a4.w * b3_2;
    x4_3 += a4.x * b0_3 + a4.y * b1_3 + a4.z * b2_3 + a4.w * b3_3;
    x5_0 += a5.x * b0_0 + a5.y * b1_0 + a5.z * b2_0 + a5.w * b3_0;
    x5_1 += a5.x * b0_1 + a5.y * b1_1 + a5.z * b2_1 + a5.w * b3_1;
    x5_2 += a5.x * b0_2 + a5.y * b1_2 + a5.z * b2_2 + a5.w * b3_2;
    x5_3 += a5.x * b0_3 + a5.y * b1_3 + a5.z * b2_3 + a5.w * b3_3;
    x6_0 += a6.x * b0_0 + a6.y * b1_0 + a6.z * b2_0 + a6.w * b3_0;
    x6_1 += a6.x * b0_1 + a6.y * b1_1 + a6.z * b2_1 + a6.w * b3_1;
    x6_2 += a6.x * b0_2 + a6.y * b1_2 + a6.z * b2_2 + a6.w * b3_2;
    x6_3 += a6.x * b0_3 + a6.y * b1_3 + a6.z * b2_3 + a6.w * b3_3;
    x7_0 += a7.x * b0_0 + a7.y * b1_0 + a7.z * b2_0 + a7.w * b3_0;
    x7_1 += a7.x * b0_1 + a7.y * b1_1 + a7.z * b2_1 + a7.w * b3_1;
    x7_2 += a7.x * b0_2 + a7.y * b1_2 + a7.z * b2_2 + a7.w * b3_2;
    x7_3 += a7.x * b0_3 + a7.y * b1_3 + a7.z * b2_3 + a7.w * b3_3;
    x8_0 += a8.x * b0_0 + a8.y * b1_0 + a8.z * b2_0 + a8.w * b3_0;
    x8_1 += a8.x * b0_1 + a8.y * b1_1 + a8.z * b2_1 + a8.w * b3_1;
    x8_2 += a8.x * b0_2 + a8.y * b1_2 + a8.z * b2_2 + a8.w * b3_2;
    x8_3 += a8.x * b0_3 + a8.y * b1_3 + a8.z * b2_3 + a8.w * b3_3;
    x9_0 += a9.x * b0_0 + a9.y * b1_0 + a9.z * b2_0 + a9.w * b3_0;
    x9_1 += a9.x * b0_1 + a9.y * b1_1 + a9.z * b2_1 + a9.w * b3_1;
    x9_2 += a9.x * b0_2 + a9.y * b1_2 + a9.z * b2_2 + a9.w * b3_2;
    x9_3 += a9.x * b0_3 + a9.y * b1_3 + a9.z * b2_3 + a9.w * b3_3;
    x10_0 += a10.x * b0_0 + a10.y * b1_0 + a10.z * b2_0 + a10.w * b3_0;
    x10_1 += a10.x * b0_1 + a10.y * b1_1 + a10.z * b2_1 + a10.w * b3_1;
    x10_2 += a10.x * b0_2 + a10.y * b1_2 + a10.z * b2_2 + a10.w * b3_2;
    x10_3 += a10.x * b0_3 + a10.y * b1_3 + a10.z * b2_3 + a10.w * b3_3;
    x11_0 += a11.x * b0_0 + a11.y * b1_0 + a11.z * b2_0 + a11.w * b3_0;
    x11_1 += a11.x * b0_1 + a11.y * b1_1 + a11.z * b2_1 + a11.w * b3_1;
    x11_2 += a11.x * b0_2 + a11.y * b1_2 + a11.z * b2_2 + a11.w * b3_2;
    x11_3 += a11.x * b0_3 + a11.y * b1_3 + a11.z * b2_3 + a11.w * b3_3;
    x12_0 += a12.x * b0_0 + a12.y * b1_0 + a12.z * b2_0 + a12.w * b3_0;
    x12_1 += a12.x * b0_1 + a12.y * b1_1 + a12.z * b2_1 + a12.w * b3_1;
    x12_2 += a12.x * b0_2 + a12.y * b1_2 + a12.z * b2_2 + a12.w * b3_2;
    x12_3 += a12.x * b0_3 + a12.y * b1_3 + a12.z * b2_3 + a12.w * b3_3;
    x13_0 += a13.x * b0_0 + a13.y * b1_0 + a13.z * b2_0 + a13.w * b3_0;
    x13_1 += a13.x * b0_1 + a13.y * b1_1 + a13.z * b2_1 + a13.w * b3_1;
    x13_2 += a13.x * b0_2 + a13.y * b1_2 + a13.z * b2_2 + a13.w * b3_2;
    x13_3 += a13.x * b0_3 + a13.y * b1_3 + a13.z * b2_3 + a13.w * b3_3;
    x14_0 += a14.x * b0_0 + a14.y * b1_0 + a14.z * b2_0 + a14.w * b3_0;
    x14_1 += a14.x * b0_1 + a14.y * b1_1 + a14.z * b2_1 + a14.w * b3_1;
    x14_2 += a14.x * b0_2 + a14.y * b1_2 + a14.z * b2_2 + a14.w * b3_2;
    x14_3 += a14.x * b0_3 + a14.y * b1_3 + a14.z * b2_3 + a14.w * b3_3;
    x15_0 += a15.x * b0_0 + a15.y * b1_0 + a15.z * b2_0 + a15.w * b3_0;
    x15_1 += a15.x * b0_1 + a15.y * b1_1 + a15.z * b2_1 + a15.w * b3_1;
    x15_2 += a15.x * b0_2 + a15.y * b1_2 + a15.z * b2_2 + a15.w * b3_2;
    x15_3 += a15.x * b0_3 + a15.y * b1_3 + a15.z * b2_3 + a15.w * b3_3;
    if (EPILOGUE == SUM_B_COLUMNS) {
      sums0 += live.x * b0_0 + live.y * b1_0 + live.z * b2_0 + live.w * b3_0; sums1 += live.x * b0_1 + live.y * b1_1 + live.z * b2_1 + live.w * b3_1; sums2 += live.x * b0_2 + live.y * b1_2 + live.z * b2_2 + live.w * b3_2; sums3 += live.x * b0_3 + live.y * b1_3 + live.z * b2_3 + live.w * b3_3;
    }
  }
  let cBase = wg.z * p.strideC / 4u;
  let q0 = n0 / 4u; // the block's first column quad
  let bias0 = biasAt(q0); let bias1 = biasAt(q0 + 1u); let bias2 = biasAt(q0 + 2u); let bias3 = biasAt(q0 + 3u);
  store(cBase, m0 + 0u, q0 + 0u, x0_0, bias0); store(cBase, m0 + 0u, q0 + 1u, x0_1, bias1); store(cBase, m0 + 0u, q0 + 2u, x0_2, bias2); store(cBase, m0 + 0u, q0 + 3u, x0_3, bias3);
  store(cBase, m0 + 1u, q0 + 0u, x1_0, bias0); store(cBase, m0 + 1u, q0 + 1u, x1_1, bias1); store(cBase, m0 + 1u, q0 + 2u, x1_2, bias2); store(cBase, m0 + 1u, q0 + 3u, x1_3, bias3);
  store(cBase, m0 + 2u, q0 + 0u, x2_0, bias0); store(cBase, m0 + 2u, q0 + 1u, x2_1, bias1); store(cBase, m0 + 2u, q0 + 2u, x2_2, bias2); store(cBase, m0 + 2u, q0 + 3u, x2_3, bias3);
  store(cBase, m0 + 3u, q0 + 0u, x3_0, bias0); store(cBase, m0 + 3u, q0 + 1u, x3_1, bias1); store(cBase, m0 + 3u, q0 + 2u, x3_2, bias2); store(cBase, m0 + 3u, q0 + 3u, x3_3, bias3);
  store(cBase, m0 + 4u, q0 + 0u, x4_0, bias0); store(cBase, m0 + 4u, q0 + 1u, x4_1, bias1); store(cBase, m0 + 4u, q0 + 2u, x4_2, bias2); store(cBase, m0 + 4u, q0 + 3u, x4_3, bias3);
  store(cBase, m0 + 5u, q0 + 0u, x5_0, bias0); store(cBase, m0 + 5u, q0 + 1u, x5_1, bias1); store(cBase, m0 + 5u, q0 + 2u, x5_2, bias2); store(cBase, m0 + 5u, q0 + 3u, x5_3, bias3);
  store(cBase, m0 + 6u, q0 + 0u, x6_0, bias0); store(cBase, m0 + 6u, q0 + 1u, x6_1, bias1); store(cBase, m0 + 6u, q0 + 2u, x6_2, bias2); store(cBase, m0 + 6u, q0 + 3u, x6_3, bias3);
  store(cBase, m0 + 7u, q0 + 0u, x7_0, bias0); store(cBase, m0 + 7u, q0 + 1u, x7_1, bias1); store(cBase, m0 + 7u, q0 + 2u, x7_2, bias2); store(cBase, m0 + 7u, q0 + 3u, x7_3, bias3);
  store(cBase, m0 + 8u, q0 + 0u, x8_0, bias0); store(cBase, m0 + 8u, q0 + 1u, x8_1, bias1); store(cBase, m0 + 8u, q0 + 2u, x8_2, bias2); store(cBase, m0 + 8u, q0 + 3u, x8_3, bias3);
  store(cBase, m0 + 9u, q0 + 0u, x9_0, bias0); store(cBase, m0 + 9u, q0 + 1u, x9_1, bias1); store(cBase, m0 + 9u, q0 + 2u, x9_2, bias2); store(cBase, m0 + 9u, q0 + 3u, x9_3, bias3);
  store(cBase, m0 + 10u, q0 + 0u, x10_0, bias0); store(cBase, m0 + 10u, q0 + 1u, x10_1, bias1); store(cBase, m0 + 10u, q0 + 2u, x10_2, bias2); store(cBase, m0 + 10u, q0 + 3u, x10_3, bias3);
  store(cBase, m0 + 11u, q0 + 0u, x11_0, bias0); store(cBase, m0 + 11u, q0 + 1u, x11_1, bias1); store(cBase, m0 + 11u, q0 + 2u, x11_2, bias2); store(cBase, m0 + 11u, q0 + 3u, x11_3, bias3);
  store(cBase, m0 + 12u, q0 + 0u, x12_0, bias0); store(cBase, m0 + 12u, q0 + 1u, x12_1, bias1); store(cBase, m0 + 12u, q0 + 2u, x12_2, bias2); store(cBase, m0 + 12u, q0 + 3u, x12_3, bias3);
  store(cBase, m0 + 13u, q0 + 0u, x13_0, bias0); store(cBase, m0 + 13u, q0 + 1u, x13_1, bias1); store(cBase, m0 + 13u, q0 + 2u, x13_2, bias2); store(cBase, m0 + 13u, q0 + 3u, x13_3, bias3);
  store(cBase, m0 + 14u, q0 + 0u, x14_0, bias0); store(cBase, m0 + 14u, q0 + 1u, x14_1, bias1); store(cBase, m0 + 14u, q0 + 2u, x14_2, bias2); store(cBase, m0 + 14u, q0 + 3u, x14_3, bias3);
  store(cBase, m0 + 15u, q0 + 0u, x15_0, bias0); store(cBase, m0 + 15u, q0 + 1u, x15_1, bias1); store(cBase, m0 + 15u, q0 + 2u, x15_2, bias2); store(cBase, m0 + 15u, q0 + 3u, x15_3, bias3);
  // One batch (checked by the host); the invocations holding row 0 own each column's sum.
  if (EPILOGUE == SUM_B_COLUMNS && m0 == 0u) {
    addColumnSums(q0, sums0); addColumnSums(q0 + 1u, sums1); addColumnSums(q0 + 2u, sums2); addColumnSums(q0 + 3u, sums3);
  }
}

// #include matmul-common
