// Fused softmax + cross-entropy for supervised training, one row of V logits per token:
//   forward:  probs[i,:] = softmax(logits[i,:]); losses[i] = −log probs[i, target_i]
//   backward: dlogits[i,:] += scale·(probs[i,:] − onehot(target_i))
// A target ≥ V (IGNORE_TARGET = 0xffffffff in particular) gives loss 0 and no gradient.
//
// Forward: a ROW_THREADS×ROWS workgroup holds ROWS rows. Each of a row's invocations folds every
// ROW_THREADS-th logit into running softmax statistics (max m, s = Σ exp(x − m)), rescaling s when
// the max grows, so the row is reduced once in workgroup memory instead of once for the max and once
// for the sum. On a GPU 64×1; on a CPU adapter 1×16: one invocation per row, no barrier.
// Rows beyond what the 65535 workgroups of one dimension hold are taken by a grid-stride loop.

struct ForwardParams {
  N: u32,
  V: u32,
}

@group(0) @binding(0) var<uniform> fp: ForwardParams;
@group(0) @binding(1) var<storage, read_write> losses: array<f32>; // [N]
@group(0) @binding(2) var<storage, read_write> probs: array<f32>;  // [N, V]
@group(0) @binding(3) var<storage, read> logits: array<f32>;       // [N, V]
@group(0) @binding(4) var<storage, read> targets: array<u32>;      // [N]

// ROW_THREADS, ROWS and rowTotal: softmax-rows.wgsl.

// Softmax statistics of a set of logits: their max m and s = Σ exp(x − m); s = 0 is the empty set.
struct Stats {
  m: f32,
  s: f32,
}

fn push(a: Stats, x: f32) -> Stats {
  if (x <= a.m) { return Stats(a.m, a.s + exp(x - a.m)); }
  return Stats(x, a.s * exp(a.m - x) + 1.0);
}

fn merge(a: Stats, b: Stats) -> Stats {
  if (b.s == 0.0) { return a; }
  if (a.s == 0.0) { return b; }
  let m = max(a.m, b.m);
  return Stats(m, a.s * exp(a.m - m) + b.s * exp(b.m - m));
}

@compute @workgroup_size(ROW_THREADS, ROWS)
fn forward(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
           @builtin(local_invocation_id) lid: vec3u) {
  let V = fp.V;
  let x = lid.x;
  for (var first = wg.x * ROWS; first < fp.N; first += nwg.x * ROWS) {
    let row = first + lid.y;
    let live = row < fp.N;
    let base = row * V;
    var acc = Stats(0.0, 0.0); // stays empty where V < ROW_THREADS leaves this invocation no logit
    if (live && x < V) {
      acc = Stats(logits[base + x], 1.0);
      for (var j = x + ROW_THREADS; j < V; j += ROW_THREADS) { acc = push(acc, logits[base + j]); }
    }
    let total = rowTotal(x, lid.y, acc);
    if (live) {
      let invSum = 1.0 / total.s;
      for (var j = x; j < V; j += ROW_THREADS) { probs[base + j] = exp(logits[base + j] - total.m) * invSum; }
      if (x == 0u) {
        let label = targets[row];
        var loss = 0.0;
        // −log softmax from the statistics (log s − (x_t − m)), more accurate than −log of a rounded prob.
        if (label < V) { loss = log(total.s) - (logits[base + label] - total.m); }
        losses[row] = loss;
      }
    }
  }
}

// Backward: one invocation per logit, no reduction; rows with an ignored target are left alone.
struct BackwardParams {
  N: u32,
  V: u32,
  scale: f32,
}

@group(0) @binding(0) var<uniform> bp: BackwardParams;
@group(0) @binding(1) var<storage, read_write> dlogits: array<f32>; // [N, V]
@group(0) @binding(2) var<storage, read> saved_probs: array<f32>;  // [N, V]
@group(0) @binding(3) var<storage, read> saved_targets: array<u32>; // [N]

const ELEMENT_THREADS = 256u;

@compute @workgroup_size(ELEMENT_THREADS)
fn backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let total = bp.N * bp.V;
  for (var e = gid.x; e < total; e += nwg.x * ELEMENT_THREADS) {
    let row = e / bp.V;
    let label = saved_targets[row];
    if (label < bp.V) {
      let onehot = select(0.0, 1.0, e - row * bp.V == label);
      dlogits[e] += bp.scale * (saved_probs[e] - onehot);
    }
  }
}

// #include softmax-rows
