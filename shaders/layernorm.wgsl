// LayerNorm over the last dimension (llm.c's layernorm), eps = 1e-5:
//   forward:  out = (x − mean)·rstd·weight + bias, saving mean and rstd = 1/√(var + eps) per row
//   backward: dinp    += rstd·(dnorm − mean(dnorm) − norm·mean(dnorm·norm)),  dnorm = weight·dout
//             dweight += Σ_rows norm·dout,  dbias += Σ_rows dout,  norm = (x − mean)·rstd
// Row kernels: a ROW_LANES×ROWS workgroup holds ROWS rows, ROW_LANES invocations per row striding
// over its channels (so neighbours read neighbouring addresses) and reducing in workgroup memory.
// On a GPU 16×4: 64 invocations with a 4-level reduction keep barriers few and cheap (C is at most
// a few hundred here). On a CPU adapter 1×16: one invocation per row, no barrier at all,
// and 16 rows per workgroup so that a decode step's 64 rows spread over the cores (a workgroup runs on one).
// Each entry point declares its own storage variables (prefix b_ for backward_input, p_ for
// backward_params): a buffer written by one entry point is a read-only input of another.

struct Params {
  N: u32, // rows
  C: u32, // channels per row
}

@group(0) @binding(0) var<uniform> p: Params;

override ROW_LANES = 16u; // invocations per row in the row kernels: a power of two
override ROWS = 4u;       // rows per workgroup in the row kernels
const COLUMNS = 64u;      // columns per workgroup in the weight/bias kernel
const COLUMN_LANES = 4u;  // row lanes per column in the weight/bias kernel
const EPS = 1e-5;

var<workgroup> rowPartial: array<vec2f, ROWS * ROW_LANES>;  // [ROWS][ROW_LANES]
var<workgroup> columnPartial: array<vec2f, COLUMN_LANES * COLUMNS>;  // [COLUMN_LANES][COLUMNS]

// Sums `value` over the ROW_LANES lanes of row `y` (a fixed tree, so the result is deterministic).
// Every invocation of the workgroup must call it, whether or not its row exists.
fn rowSum(x: u32, y: u32, value: vec2f) -> vec2f {
  if (ROW_LANES == 1u) { return value; }
  let base = y * ROW_LANES;
  rowPartial[base + x] = value;
  workgroupBarrier();
  for (var stride = ROW_LANES / 2u; stride > 0u; stride >>= 1u) {
    if (x < stride) { rowPartial[base + x] += rowPartial[base + x + stride]; }
    workgroupBarrier();
  }
  let total = rowPartial[base];
  workgroupBarrier(); // everyone has read the total before the next call overwrites it
  return total;
}

// ---- forward

@group(0) @binding(1) var<storage, read_write> out: array<f32>;  // [N, C]
@group(0) @binding(2) var<storage, read_write> mean: array<f32>; // [N]
@group(0) @binding(3) var<storage, read_write> rstd: array<f32>; // [N]
@group(0) @binding(4) var<storage, read> inp: array<f32>;        // [N, C]
@group(0) @binding(5) var<storage, read> weight: array<f32>;     // [C]
@group(0) @binding(6) var<storage, read> bias: array<f32>;       // [C]

@compute @workgroup_size(ROW_LANES, ROWS)
fn layernorm_forward(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                     @builtin(local_invocation_id) lid: vec3u) {
  let row = (wg.y * groups.x + wg.x) * ROWS + lid.y;
  let live = row < p.N;
  let base = row * p.C;
  let n = f32(p.C);

  var sum = 0.0;
  if (live) { for (var c = lid.x; c < p.C; c += ROW_LANES) { sum += inp[base + c]; } }
  let m = rowSum(lid.x, lid.y, vec2f(sum, 0.0)).x / n;

  // Two passes: the variance is summed around the mean, not as E[x²] − mean², which cancels.
  var squares = 0.0;
  if (live) { for (var c = lid.x; c < p.C; c += ROW_LANES) { let d = inp[base + c] - m; squares += d * d; } }
  let s = inverseSqrt(rowSum(lid.x, lid.y, vec2f(squares, 0.0)).x / n + EPS);

  if (!live) { return; }
  for (var c = lid.x; c < p.C; c += ROW_LANES) {
    out[base + c] = (inp[base + c] - m) * s * weight[c] + bias[c];
  }
  if (lid.x == 0u) {
    mean[row] = m;
    rstd[row] = s;
  }
}

// ---- backward, input gradient: the same row layout, one reduction of (Σ dnorm, Σ dnorm·norm).

@group(0) @binding(1) var<storage, read_write> dinp: array<f32>; // [N, C]
@group(0) @binding(2) var<storage, read> dout: array<f32>;       // [N, C]
@group(0) @binding(3) var<storage, read> b_inp: array<f32>;      // [N, C]
@group(0) @binding(4) var<storage, read> b_weight: array<f32>;   // [C]
@group(0) @binding(5) var<storage, read> b_mean: array<f32>;     // [N]
@group(0) @binding(6) var<storage, read> b_rstd: array<f32>;     // [N]

@compute @workgroup_size(ROW_LANES, ROWS)
fn layernorm_backward_input(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                            @builtin(local_invocation_id) lid: vec3u) {
  let row = (wg.y * groups.x + wg.x) * ROWS + lid.y;
  let live = row < p.N;
  let base = row * p.C;
  var m = 0.0;
  var s = 0.0;
  var sums = vec2f(0.0);
  if (live) {
    m = b_mean[row];
    s = b_rstd[row];
    for (var c = lid.x; c < p.C; c += ROW_LANES) {
      let dnorm = b_weight[c] * dout[base + c];
      sums += vec2f(dnorm, dnorm * (b_inp[base + c] - m) * s);
    }
  }
  let means = rowSum(lid.x, lid.y, sums) / f32(p.C);

  if (!live) { return; }
  for (var c = lid.x; c < p.C; c += ROW_LANES) {
    let norm = (b_inp[base + c] - m) * s;
    let dnorm = b_weight[c] * dout[base + c];
    dinp[base + c] += s * (dnorm - means.x - norm * means.y);
  }
}

// ---- backward, weight and bias gradients: a reduction over rows, so one owner per column. A
// 64×4 workgroup owns 64 columns; its 4 row lanes each take every 4th row and are then combined.

@group(0) @binding(1) var<storage, read_write> dweight: array<f32>; // [C]
@group(0) @binding(2) var<storage, read_write> dbias: array<f32>;   // [C]
@group(0) @binding(3) var<storage, read> p_dout: array<f32>;        // [N, C]
@group(0) @binding(4) var<storage, read> p_inp: array<f32>;         // [N, C]
@group(0) @binding(5) var<storage, read> p_mean: array<f32>;        // [N]
@group(0) @binding(6) var<storage, read> p_rstd: array<f32>;        // [N]

@compute @workgroup_size(64, 4)
fn layernorm_backward_params(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let c = wg.x * COLUMNS + lid.x;
  var sums = vec2f(0.0); // (Σ norm·dout, Σ dout)
  if (c < p.C) {
    for (var row = lid.y; row < p.N; row += COLUMN_LANES) {
      let d = p_dout[row * p.C + c];
      sums += vec2f((p_inp[row * p.C + c] - p_mean[row]) * p_rstd[row] * d, d);
    }
  }
  columnPartial[lid.y * COLUMNS + lid.x] = sums;
  workgroupBarrier();
  if (lid.y == 0u && c < p.C) {
    let total = (columnPartial[lid.x] + columnPartial[COLUMNS + lid.x]) + (columnPartial[2u * COLUMNS + lid.x] + columnPartial[3u * COLUMNS + lid.x]);
    dweight[c] += total.x;
    dbias[c] += total.y;
  }
}
