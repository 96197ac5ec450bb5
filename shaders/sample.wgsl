// Sampling the next token of R rows from their logits, all on the GPU, so a whole completion is
// decoded without a read-back. Randomness is counter-based: the uniform for (seed, stream, row,
// column) is a hash of those four numbers, so the same seed gives the same completions on any
// device and in any order of execution.

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

const WG = 64u;
var<workgroup> reduceValue: array<f32, WG>;
var<workgroup> reduceIndex: array<u32, WG>;

@compute @workgroup_size(64)
fn sample_tokens(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row = wg.x;
  let base = row * p.V;
  let greedy = p.invTemperature == 0.0;

  // Max of the (scaled) logits, with its first index: the greedy choice, and softmax's shift.
  var best = -3.4e38;
  var bestIndex = 0u;
  for (var j = lid.x; j < p.V; j += WG) {
    let z = logits[base + j];
    if (z > best) { best = z; bestIndex = j; }
  }
  reduceValue[lid.x] = best;
  reduceIndex[lid.x] = bestIndex;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid.x < s) {
      let a = reduceValue[lid.x];
      let b = reduceValue[lid.x + s];
      if (b > a || (b == a && reduceIndex[lid.x + s] < reduceIndex[lid.x])) {
        reduceValue[lid.x] = b;
        reduceIndex[lid.x] = reduceIndex[lid.x + s];
      }
    }
    workgroupBarrier();
  }
  let zmax = reduceValue[0];
  let argmax = reduceIndex[0];
  workgroupBarrier();

  // Σ exp((z − zmax)/τ).
  var sum = 0.0;
  if (!greedy) {
    for (var j = lid.x; j < p.V; j += WG) { sum += exp((logits[base + j] - zmax) * p.invTemperature); }
  }
  reduceValue[lid.x] = sum;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid.x < s) { reduceValue[lid.x] += reduceValue[lid.x + s]; }
    workgroupBarrier();
  }

  if (lid.x != 0u) { return; }
  var token = argmax;
  if (!greedy) {
    // Inverse CDF: the first token whose cumulative probability exceeds u. V is small, so one
    // invocation scans it; the last token catches rounding that leaves the total just under u.
    let threshold = uniform01(p.seed, p.stream, row, p.column) * reduceValue[0];
    var cumulative = 0.0;
    token = p.V - 1u;
    for (var j = 0u; j < p.V; j++) {
      cumulative += exp((logits[base + j] - zmax) * p.invTemperature);
      if (cumulative > threshold) { token = j; break; }
    }
  }
  if (finished[row] != 0u) { token = p.pad; }
  else if (token == p.eos) { finished[row] = 1u; }
  next[row] = token;
  completions[row * p.maxCompletion + p.column] = token;
}
