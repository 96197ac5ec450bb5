// Log-probabilities of the chosen tokens under p = softmax(z/τ), for the policy gradient (docs/design.md §3).
// Rows i = r·T + t run over R sequences of T positions; each row holds V logits z.
//   forward:         lse[i] = logsumexp_j(z_ij/τ); logp[i] = z_i,tok/τ − lse[i]
//   forward_entropy: the same, and entropy[i] = −Σ_j p_ij log p_ij
//   sequence_sum:    seqSum[r] = Σ_t mask[r,t]·logp[r,t]
//   backward:        dlogits[i,j] += −mask[i]·c[i]·([j = tok_i] − p_ij)/τ, c = ∂J/∂logp from the loss kernel
// A token ≥ V has no logit: its logp is 0 and it adds no one-hot term.

// Row kernels (forward, forward_entropy, sequence_sum): a ROW_THREADS×ROWS workgroup holds ROWS rows (sequences),
// ROW_THREADS invocations sharing each and reducing in workgroup memory. On a GPU 64×1; on a CPU
// adapter 1×16: one invocation per row, no barrier. Grid-stride over rows past the 65535-workgroup limit.
// ROW_THREADS, ROWS and rowTotal: softmax-rows.wgsl.
const ELEMENT_THREADS = 256u;

// ---- forward and forward_entropy ----

struct ForwardParams {
  rows: u32,
  V: u32,
  invTemperature: f32,
}

// entropy comes last, so that forward, which does not use it, binds 1..4 and forward_entropy 1..5.
@group(0) @binding(0) var<uniform> fp: ForwardParams;
@group(0) @binding(1) var<storage, read_write> logp: array<f32>;    // [R*T]
@group(0) @binding(2) var<storage, read_write> lse: array<f32>;     // [R*T]
@group(0) @binding(3) var<storage, read> logits: array<f32>;        // [R*T, V]
@group(0) @binding(4) var<storage, read> tokens: array<u32>;        // [R*T]
@group(0) @binding(5) var<storage, read_write> entropy: array<f32>; // [R*T]

// Softmax statistics of a set of scaled logits x: their max m, s = Σ exp(x − m) and
// u = Σ exp(x − m)·(m − x). Then lse = m + log s and entropy = log s + u/s, a sum of
// non-negative terms, so a confident row's small entropy does not cancel out of lse − E[x].
// s = 0 is the empty set.
struct Stats {
  m: f32,
  s: f32,
  u: f32,
}

// Re-expresses `a` relative to a max m ≥ a.m: every term's weight shrinks by exp(a.m − m)
// and its distance (m − x) grows by m − a.m.
fn rebase(a: Stats, m: f32) -> Stats {
  let r = exp(a.m - m);
  return Stats(m, a.s * r, r * (a.u + (m - a.m) * a.s));
}

fn push(a: Stats, x: f32) -> Stats {
  if (x <= a.m) {
    let e = exp(x - a.m);
    return Stats(a.m, a.s + e, a.u + e * (a.m - x));
  }
  let b = rebase(a, x);
  return Stats(x, b.s + 1.0, b.u);
}

fn merge(a: Stats, b: Stats) -> Stats {
  if (b.s == 0.0) { return a; }
  if (a.s == 0.0) { return b; }
  let m = max(a.m, b.m);
  let ra = rebase(a, m);
  let rb = rebase(b, m);
  return Stats(m, ra.s + rb.s, ra.u + rb.u);
}

// The softmax statistics of row `row` (that of invocation (x, y)), reduced over its ROW_THREADS shares. Every
// invocation of the workgroup calls it, whether or not its row exists (rows ≥ fp.rows give the empty set).
fn rowSoftmax(row: u32, x: u32, y: u32) -> Stats {
  let V = fp.V;
  let invT = fp.invTemperature;
  let base = row * V;
  var acc = Stats(0.0, 0.0, 0.0); // stays empty where V < ROW_THREADS leaves this invocation no logit
  if (row < fp.rows && x < V) {
    acc = Stats(logits[base + x] * invT, 1.0, 0.0);
    for (var j = x + ROW_THREADS; j < V; j += ROW_THREADS) { acc = push(acc, logits[base + j] * invT); }
  }
  return rowTotal(x, y, acc);
}

// lse and logp of a live row from its statistics.
fn writeLogProb(row: u32, total: Stats) {
  let logSum = log(total.s);
  lse[row] = total.m + logSum;
  let tok = tokens[row];
  var lp = 0.0;
  // (x_tok − m) − log s rather than x_tok − lse: the first difference is exact near the max.
  if (tok < fp.V) { lp = (logits[row * fp.V + tok] * fp.invTemperature - total.m) - logSum; }
  logp[row] = lp;
}

@compute @workgroup_size(ROW_THREADS, ROWS)
fn forward(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
           @builtin(local_invocation_id) lid: vec3u) {
  for (var first = wg.x * ROWS; first < fp.rows; first += nwg.x * ROWS) {
    let row = first + lid.y;
    let total = rowSoftmax(row, lid.x, lid.y);
    if (row < fp.rows && lid.x == 0u) { writeLogProb(row, total); }
  }
}

@compute @workgroup_size(ROW_THREADS, ROWS)
fn forward_entropy(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
                   @builtin(local_invocation_id) lid: vec3u) {
  for (var first = wg.x * ROWS; first < fp.rows; first += nwg.x * ROWS) {
    let row = first + lid.y;
    let total = rowSoftmax(row, lid.x, lid.y);
    if (row < fp.rows && lid.x == 0u) {
      writeLogProb(row, total);
      entropy[row] = log(total.s) + total.u / total.s;
    }
  }
}

// ---- sequence_sum: the T masked log-probs of each sequence, a row of the row layout ----

struct SumParams {
  R: u32,
  T: u32,
}

@group(0) @binding(0) var<uniform> sp: SumParams;
@group(0) @binding(1) var<storage, read_write> seqSum: array<f32>; // [R]
@group(0) @binding(2) var<storage, read> sum_logp: array<f32>;     // [R*T]
@group(0) @binding(3) var<storage, read> sum_mask: array<f32>;     // [R*T]

var<workgroup> sequencePartials: array<f32, ROW_THREADS * ROWS>; // [ROWS][ROW_THREADS]

@compute @workgroup_size(ROW_THREADS, ROWS)
fn sequence_sum(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
                @builtin(local_invocation_id) lid: vec3u) {
  let x = lid.x;
  for (var first = wg.x * ROWS; first < sp.R; first += nwg.x * ROWS) {
    let r = first + lid.y;
    var acc = 0.0;
    if (r < sp.R) {
      for (var t = x; t < sp.T; t += ROW_THREADS) { acc += sum_mask[r * sp.T + t] * sum_logp[r * sp.T + t]; }
    }
    if (ROW_THREADS > 1u) {
      let base = lid.y * ROW_THREADS;
      sequencePartials[base + x] = acc;
      workgroupBarrier();
      for (var stride = ROW_THREADS / 2u; stride > 0u; stride /= 2u) {
        if (x < stride) { sequencePartials[base + x] += sequencePartials[base + x + stride]; }
        workgroupBarrier();
      }
      acc = sequencePartials[base];
      workgroupBarrier(); // everyone has read the sum before the next sequence overwrites it
    }
    if (r < sp.R && x == 0u) { seqSum[r] = acc; }
  }
}

// ---- backward: one invocation per logit; masked rows are skipped, so their coef may be anything ----

struct BackwardParams {
  rows: u32,
  V: u32,
  invTemperature: f32,
}

@group(0) @binding(0) var<uniform> bp: BackwardParams;
@group(0) @binding(1) var<storage, read_write> dlogits: array<f32>; // [R*T, V]
@group(0) @binding(2) var<storage, read> coef: array<f32>;         // [R*T]
@group(0) @binding(3) var<storage, read> bwd_logits: array<f32>;   // [R*T, V]
@group(0) @binding(4) var<storage, read> bwd_lse: array<f32>;      // [R*T]
@group(0) @binding(5) var<storage, read> bwd_tokens: array<u32>;   // [R*T]
@group(0) @binding(6) var<storage, read> bwd_mask: array<f32>;     // [R*T]

@compute @workgroup_size(ELEMENT_THREADS)
fn backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let total = bp.rows * bp.V;
  for (var e = gid.x; e < total; e += nwg.x * ELEMENT_THREADS) {
    let row = e / bp.V;
    let w = bwd_mask[row];
    if (w != 0.0) {
      let p = exp(bwd_logits[e] * bp.invTemperature - bwd_lse[row]);
      let onehot = select(0.0, 1.0, e - row * bp.V == bwd_tokens[row]);
      dlogits[e] -= w * coef[row] * (onehot - p) * bp.invTemperature;
    }
  }
}

// #include softmax-rows
