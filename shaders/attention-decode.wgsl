// One KV-cache decoding step of causal self-attention, for R rows (sequences) at position `pos`.
// qkv [R, 3C] is the new token's fused projection (q | k | v); kcache and vcache [R, maxT, C] are
// this layer's cache. A workgroup owns one (row, head): it stores the new token's k and v for its
// head at `pos` (columns no other workgroup touches), then attends its q over positions 0 … pos.

struct Params {
  C: u32,
  NH: u32,
  hs: u32,
  pos: u32,
  maxT: u32,
  scale: f32, // 1 / sqrt(hs)
}

const WG = 64u;        // invocations per workgroup; also the most head columns supported
const NEG_BIG = -1e30; // running max before any key; exp(NEG_BIG − m) underflows to 0 without infinities

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> qkv: array<f32>;           // [R, 3C]
@group(0) @binding(2) var<storage, read_write> kcache: array<f32>;  // [R, maxT, C]
@group(0) @binding(3) var<storage, read_write> vcache: array<f32>;  // [R, maxT, C]
@group(0) @binding(4) var<storage, read_write> out: array<f32>;     // [R, C]

var<workgroup> query: array<f32, WG>;       // [hs] this head's q
var<workgroup> probs: array<f32, WG>;       // probabilities of one chunk of WG keys
var<workgroup> partials: array<f32, 2u * WG>; // [2][WG] per-invocation max and sum, then partial outputs

// Element d of this head at cache position t of row r.
fn cacheIndex(r: u32, t: u32, h: u32, d: u32) -> u32 {
  return (r * p.maxT + t) * p.C + h * p.hs + d;
}

fn score(r: u32, t: u32, h: u32) -> f32 {
  var s = 0.0;
  for (var d = 0u; d < p.hs; d++) { s = fma(query[d], kcache[cacheIndex(r, t, h, d)], s); }
  return s * p.scale;
}

@compute @workgroup_size(64)
fn attention_decode(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) i: u32) {
  let h = wg.x;
  let r = wg.y;
  let hs = p.hs;
  if (i < hs) {
    let src = r * 3u * p.C + h * hs + i;
    query[i] = qkv[src];
    kcache[cacheIndex(r, p.pos, h, i)] = qkv[src + p.C];
    vcache[cacheIndex(r, p.pos, h, i)] = qkv[src + 2u * p.C];
  }
  storageBarrier();   // the new k and v are read below by other invocations of this workgroup
  workgroupBarrier(); // and so is query

  // Pass 1: invocation i owns keys i, i + WG, …; online max and sum of its scores.
  var runMax = NEG_BIG;
  var runSum = 0.0;
  for (var t = i; t <= p.pos; t += WG) {
    let s = score(r, t, h);
    let newMax = max(runMax, s);
    runSum = runSum * exp(runMax - newMax) + exp(s - newMax);
    runMax = newMax;
  }
  partials[i] = runMax;
  partials[WG + i] = runSum;
  workgroupBarrier();
  var rowMax = NEG_BIG;
  for (var j = 0u; j < WG; j++) { rowMax = max(rowMax, partials[j]); }
  var rowSum = 0.0;
  for (var j = 0u; j < WG; j++) { rowSum += partials[WG + j] * exp(partials[j] - rowMax); }
  let invSum = 1.0 / rowSum;
  workgroupBarrier(); // partials is reused below

  // Pass 2, chunk by chunk: probabilities into `probs`, then invocation (group, d) sums
  // probs[j]·v[j][d] over the keys j ≡ group (mod groups) of the chunk.
  let groups = WG / hs;
  let group = i / hs;
  let d = i % hs;
  var acc = 0.0;
  for (var t0 = 0u; t0 <= p.pos; t0 += WG) {
    var prob = 0.0;
    if (t0 + i <= p.pos) { prob = exp(score(r, t0 + i, h) - rowMax) * invSum; }
    probs[i] = prob;
    workgroupBarrier();
    if (group < groups) {
      for (var j = group; j < WG && t0 + j <= p.pos; j += groups) {
        acc = fma(probs[j], vcache[cacheIndex(r, t0 + j, h, d)], acc);
      }
    }
    workgroupBarrier();
  }
  partials[i] = acc;
  workgroupBarrier();
  if (i < hs) {
    var sum = 0.0;
    for (var g = 0u; g < groups; g++) { sum += partials[g * hs + i]; }
    out[r * p.C + h * hs + i] = sum;
  }
}
