// Batched matrix multiply, the three layouts that forward and backward need:
//   C[b] = epilogue(alpha · op(A[b]) · op(B[b])): + bias, + residual, + C, GELU (matmul-common.wgsl)
// op(A) is M×K: A is stored [M,K] row-major, or [K,M] when TRANS_A (so Aᵀ·B needs no copy).
// op(B) is K×N: B is stored [K,N] row-major, or [N,K] when TRANS_B (so A·Bᵀ needs no copy).
// A stride of 0 broadcasts an operand over the batch (a weight shared by every sequence).
//
// Tiling: an 8×8 workgroup computes a 32×32 block of C, each invocation a 4×4 register block
// whose rows and columns are 8 apart, so neighbouring invocations write neighbouring columns.
// K is walked in slabs of 16 staged through workgroup memory (2 × 2 KiB). The model's matrices
// are small (N of 64–1024), so 32×32 blocks keep many workgroups in flight where 64×64 would
// leave most of a GPU idle; 64 invocations also keep barriers cheap on software adapters.

// Params (binding 0), the layout constants TRANS_A and TRANS_B, and the epilogue: matmul-common.wgsl.
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> c: array<f32>;
@group(0) @binding(5) var<storage, read_write> aux: array<f32>; // shaped like C

const TM = 32u;
const TN = 32u;
const TK = 16u;
const THREADS = 64u;
const LOADS = TM * TK / THREADS; // elements of each tile one invocation stages

var<workgroup> tileA: array<f32, 512>; // [TK][TM]
var<workgroup> tileB: array<f32, 512>; // [TK][TN]

fn loadA(base: u32, m: u32, k: u32) -> f32 {
  if (m >= p.M || k >= p.K) { return 0.0; }
  if (TRANS_A) { return a[base + k * p.M + m]; }
  return a[base + m * p.K + k];
}

fn loadB(base: u32, k: u32, n: u32) -> f32 {
  if (k >= p.K || n >= p.N) { return 0.0; }
  if (TRANS_B) { return b[base + n * p.K + k]; }
  return b[base + k * p.N + n];
}

/** Writes one row of a 4×4 register block through the epilogue: columns col, col+8, col+16, col+24. */
fn storeRow(cBase: u32, row: u32, col: u32, acc: vec4f) {
  if (row >= p.M) { return; }
  let cols = vec4u(col, col + 8u, col + 16u, col + 24u);
  let inside = cols < vec4u(p.N);
  let at = min(cols, vec4u(p.N - 1u)); // columns past N load a neighbour's values and store nothing
  let idx = vec4u(cBase + row * p.N) + at;
  var biasIn = vec4f(0.0);
  var auxIn = vec4f(0.0);
  var old = vec4f(0.0);
  if (hasFlag(ADD_BIAS)) { biasIn = vec4f(bias[at.x], bias[at.y], bias[at.z], bias[at.w]); }
  if (readsAux()) { auxIn = vec4f(aux[idx.x], aux[idx.y], aux[idx.z], aux[idx.w]); }
  if (ACCUMULATE) { old = vec4f(c[idx.x], c[idx.y], c[idx.z], c[idx.w]); }
  let out = epilogue(acc, biasIn, auxIn, old);
  for (var j = 0u; j < 4u; j++) {
    if (inside[j]) {
      c[idx[j]] = out.c[j];
      if (EPILOGUE == GELU) { aux[idx[j]] = out.aux[j]; }
    }
  }
}

@compute @workgroup_size(8, 8)
fn matmul(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
          @builtin(local_invocation_index) li: u32) {
  let row0 = wg.y * TM;
  let col0 = wg.x * TN;
  let aBase = wg.z * p.strideA;
  let bBase = wg.z * p.strideB;
  // The 4×4 block lives in four vec4 registers (row i of the block in acc_i): no private array,
  // so no dynamically indexed memory.
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  var columnSums = vec4f(0.0); // of this invocation's 4 columns of B, for SUM_B_COLUMNS

  for (var k0 = 0u; k0 < p.K; k0 += TK) {
    // Each invocation stages 4 elements of each tile. The index order follows the storage
    // layout so that neighbouring invocations read neighbouring addresses.
    for (var i = 0u; i < LOADS; i++) {
      let e = li + i * THREADS;
      var m: u32; var ka: u32;
      if (TRANS_A) { m = e % TM; ka = e / TM; } else { ka = e % TK; m = e / TK; }
      tileA[ka * TM + m] = loadA(aBase, row0 + m, k0 + ka);
      var n: u32; var kb: u32;
      if (TRANS_B) { kb = e % TK; n = e / TK; } else { n = e % TN; kb = e / TN; }
      tileB[kb * TN + n] = loadB(bBase, k0 + kb, col0 + n);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      let ra = kk * TM + lid.y;
      let rb = kk * TN + lid.x;
      let a = vec4f(tileA[ra], tileA[ra + 8u], tileA[ra + 16u], tileA[ra + 24u]);
      let b = vec4f(tileB[rb], tileB[rb + 8u], tileB[rb + 16u], tileB[rb + 24u]);
      acc0 = fma(vec4f(a.x), b, acc0);
      acc1 = fma(vec4f(a.y), b, acc1);
      acc2 = fma(vec4f(a.z), b, acc2);
      acc3 = fma(vec4f(a.w), b, acc3);
      columnSums += b;
    }
    workgroupBarrier();
  }

  let cBase = wg.z * p.strideC;
  let row = row0 + lid.y;
  let col = col0 + lid.x;
  storeRow(cBase, row, col, acc0);
  storeRow(cBase, row + 8u, col, acc1);
  storeRow(cBase, row + 16u, col, acc2);
  storeRow(cBase, row + 24u, col, acc3);
  if (EPILOGUE == SUM_B_COLUMNS && row == 0u) {
    for (var j = 0u; j < 4u; j++) {
      if (col + 8u * j < p.N) { aux[col + 8u * j] += columnSums[j]; }
    }
  }
}

// #include matmul-common
