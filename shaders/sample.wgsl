// Sampling the next token of R rows from their logits, all on the GPU, so a whole completion is
// decoded without a read-back. Randomness is counter-based: the uniform for (seed, stream, row,
// column) is a hash of those four numbers, so the same seed gives the same completions on any
// device and in any order of execution.
// A ROW_THREADS×ROWS workgroup holds ROWS rows, ROW_THREADS invocations sharing each (softmax-rows.wgsl):
// 64×1 on a GPU; 1×16 on a CPU adapter, one invocation per row and no barrier.

struct Params {
  R: u32,
  V: u32,
  /** 1/τ; 0 means greedy (argmax). */
  invTemperature: f32,
  seed: u32,
  /** Which sampling round (e.g. the RL iteration): rounds draw independent numbers. */
  stream: u32,
  /** The completion position being sampled. */
  column: u32,
  maxCompletion: u32,
  eos: u32,
  pad: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;           // [R, V]
@group(0) @binding(2) var<storage, read_write> next: array<u32>;       // [R] the next decode step's input
@group(0) @binding(3) var<storage, read_write> completions: array<u32>; // [R, maxCompletion]
@group(0) @binding(4) var<storage, read_write> finished: array<u32>;   // [R] 1 once EOS was emitted

// PCG-style integer hash (Jarzynski & Olano, "Hash Functions for GPU Rendering", 2020).
fn pcg(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

/** A uniform in [0, 1) with 24 random bits, a pure function of its four counters. */
fn uniform01(seed: u32, stream: u32, row: u32, column: u32) -> f32 {
  let h = pcg(seed ^ pcg(stream ^ pcg(row ^ pcg(column))));
  return f32(h >> 8u) / 16777216.0;
}

// A row's argmax (first index on ties) and, with zmax its logit, s = Σ exp((z − zmax)/τ); s = 0 is the empty set.
struct Stats {
  zmax: f32,
  argmax: u32,
  s: f32,
}

// s re-expressed against a larger max; an empty s stays 0 (no 0·∞ when τ is 0 and the max was −3.4e38).
fn rescaled(s: f32, oldMax: f32, newMax: f32) -> f32 {
  return select(s * exp((oldMax - newMax) * p.invTemperature), 0.0, s == 0.0);
}

fn push(a: Stats, j: u32, z: f32) -> Stats {
  if (z > a.zmax) { return Stats(z, j, rescaled(a.s, a.zmax, z) + 1.0); }
  return Stats(a.zmax, a.argmax, a.s + exp((z - a.zmax) * p.invTemperature));
}

fn merge(a: Stats, b: Stats) -> Stats {
  if (b.s == 0.0) { return a; }
  if (a.s == 0.0) { return b; }
  let bWins = b.zmax > a.zmax || (b.zmax == a.zmax && b.argmax < a.argmax);
  let zmax = max(a.zmax, b.zmax);
  let s = rescaled(a.s, a.zmax, zmax) + rescaled(b.s, b.zmax, zmax);
  return Stats(zmax, select(a.argmax, b.argmax, bWins), s);
}

// The drawn token of `row`: the argmax when greedy, else the inverse CDF of softmax(z/τ) at the row's
// uniform. V is small, so one invocation scans it; the last token catches rounding that leaves the
// total just under the threshold.
fn drawToken(row: u32, total: Stats) -> u32 {
  if (p.invTemperature == 0.0) { return total.argmax; }
  let base = row * p.V;
  let threshold = uniform01(p.seed, p.stream, row, p.column) * total.s;
  var cumulative = 0.0;
  for (var j = 0u; j < p.V; j++) {
    cumulative += exp((logits[base + j] - total.zmax) * p.invTemperature);
    if (cumulative > threshold) { return j; }
  }
  return p.V - 1u;
}

// Stores the row's token (PAD once it has finished) as this column's and the next step's input; EOS finishes it.
fn emit(row: u32, drawn: u32) {
  var token = drawn;
  if (finished[row] != 0u) { token = p.pad; }
  else if (token == p.eos) { finished[row] = 1u; }
  next[row] = token;
  completions[row * p.maxCompletion + p.column] = token;
}

@compute @workgroup_size(ROW_THREADS, ROWS)
fn sample_tokens(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
                 @builtin(local_invocation_id) lid: vec3u) {
  for (var first = wg.x * ROWS; first < p.R; first += nwg.x * ROWS) {
    let row = first + lid.y;
    let live = row < p.R;
    var share = Stats(-3.4e38, 0u, 0.0);
    if (live) {
      for (var j = lid.x; j < p.V; j += ROW_THREADS) { share = push(share, j, logits[row * p.V + j]); }
    }
    let total = rowTotal(lid.x, lid.y, share); // every invocation: it holds barriers
    if (live && lid.x == 0u) { emit(row, drawToken(row, total)); }
  }
}

// #include softmax-rows
