// One KV-cache decoding step of causal self-attention, for R rows (sequences) at position `pos`.
// qkv [R, 3C] is the new token's fused projection (q | k | v); kcache and vcache [R, maxT, C] are
// this layer's cache. A workgroup owns one (row, head): it stores the new token's k and v for its
// head at `pos` (columns no other workgroup touches), then attends its q over positions 0 … pos in
// chunks of WG keys: invocation j scores key j of the chunk, then invocation d < hs folds the
// chunk into output column d with an online softmax. Key and value `pos` are read from qkv, not
// back from the cache, so no invocation waits on another's storage writes: 2 barriers per chunk.

struct Params {
  C: u32,
  NH: u32,
  hs: u32,
  pos: u32,
  maxT: u32,
  scale: f32, // 1 / sqrt(hs)
  R: u32,     // rows (attention_decode takes them from its grid instead)
}

const WG = 64u;        // invocations per workgroup and keys per chunk; also the most head columns supported
const NEG_BIG = -1e30; // running max before any key; exp(NEG_BIG − m) underflows to 0 without infinities

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> qkv: array<f32>;           // [R, 3C]; [R, T, 3C] in kv_fill
@group(0) @binding(2) var<storage, read_write> kcache: array<f32>;  // [R, maxT, C]
@group(0) @binding(3) var<storage, read_write> vcache: array<f32>;  // [R, maxT, C]
@group(0) @binding(4) var<storage, read_write> out: array<f32>;     // [R, C]

var<workgroup> query: array<f32, WG>;  // [hs] this head's q
var<workgroup> scores: array<f32, WG>; // scaled scores of one chunk of keys

// Element d of this head at cache position t of row r.
fn cacheIndex(r: u32, t: u32, h: u32, d: u32) -> u32 {
  return (r * p.maxT + t) * p.C + h * p.hs + d;
}

// Element d of key or value t ≤ pos of this head; src is the head's q in qkv.
fn keyAt(r: u32, t: u32, h: u32, d: u32, src: u32) -> f32 {
  if (t == p.pos) { return qkv[src + p.C + d]; }
  return kcache[cacheIndex(r, t, h, d)];
}

fn valueAt(r: u32, t: u32, h: u32, d: u32, src: u32) -> f32 {
  if (t == p.pos) { return qkv[src + 2u * p.C + d]; }
  return vcache[cacheIndex(r, t, h, d)];
}

@compute @workgroup_size(WG)
fn attention_decode(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) i: u32) {
  let h = wg.x;
  let r = wg.y;
  let hs = p.hs;
  let src = r * 3u * p.C + h * hs; // this head's q in qkv; its k and v follow at +C and +2C
  if (i < hs) {
    query[i] = qkv[src + i];
    kcache[cacheIndex(r, p.pos, h, i)] = qkv[src + p.C + i];
    vcache[cacheIndex(r, p.pos, h, i)] = qkv[src + 2u * p.C + i];
  }
  workgroupBarrier(); // query is read by every invocation

  var runMax = NEG_BIG;
  var runSum = 0.0;
  var acc = 0.0; // Σ exp(s − runMax)·v[·, i] over the keys so far
  for (var t0 = 0u; t0 <= p.pos; t0 += WG) {
    let len = min(WG, p.pos + 1u - t0);
    if (t0 > 0u) { workgroupBarrier(); } // the previous chunk's scores have been read
    if (i < len) {
      let t = t0 + i;
      var s = 0.0;
      for (var d = 0u; d < hs; d++) { s = fma(query[d], keyAt(r, t, h, d, src), s); }
      scores[i] = s * p.scale;
    }
    workgroupBarrier();
    if (i < hs) {
      var newMax = runMax;
      for (var j = 0u; j < len; j++) { newMax = max(newMax, scores[j]); }
      let rescale = exp(runMax - newMax);
      runSum *= rescale;
      acc *= rescale;
      for (var j = 0u; j < len; j++) {
        let e = exp(scores[j] - newMax);
        runSum += e;
        acc = fma(e, valueAt(r, t0 + j, h, i, src), acc);
      }
      runMax = newMax;
    }
  }
  if (i < hs) { out[r * p.C + h * hs + i] = acc / runSum; }
}

// The same step for adapters that run shaders on a CPU, where barriers are dear and every load at a
// computed address costs about as much as a vec4 multiply-add: one invocation per (row, head), no
// workgroup memory. The head's HEAD_QUADS quads of q and of the output are held in registers, which
// SwiftShader only does for named variables: so they are written out one per quad, and the quads past
// HEAD_QUADS (an override constant, one pipeline per head size) compile away. Per key: HEAD_QUADS
// vec4 loads of k and of v, nothing else from memory. It writes its head's k and v at `pos` first
// and then reads every key and value from the cache, its own writes included, with an online softmax.
@group(0) @binding(1) var<storage, read> qkv4: array<vec4f>;          // [R, 3C] in quads
@group(0) @binding(2) var<storage, read_write> kcache4: array<vec4f>; // [R, maxT, C] in quads
@group(0) @binding(3) var<storage, read_write> vcache4: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> out4: array<vec4f>;    // [R, C] in quads

override HEAD_QUADS = 16u; // hs / 4: 1 … 16 (src/kernels/attention.ts checks hs % 4 = 0 and hs ≤ 64)

@compute @workgroup_size(WG)
fn attention_decode_heads(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                          @builtin(local_invocation_index) li: u32) {
  let g = (wg.y * groups.x + wg.x) * WG + li;
  if (g >= p.R * p.NH) { return; }
  let r = g / p.NH;
  let head = (g % p.NH) * HEAD_QUADS; // the head's first quad within a row of C
  let rowQuads = p.C / 4u;
  let q = r * 3u * rowQuads + head;   // the head's q in qkv; its k and v follow at +C and +2C
  let rowCache = r * p.maxT * rowQuads + head;
  let newKey = rowCache + p.pos * rowQuads;
  for (var d = 0u; d < HEAD_QUADS; d++) {
    kcache4[newKey + d] = qkv4[q + rowQuads + d];
    vcache4[newKey + d] = qkv4[q + 2u * rowQuads + d];
  }
  // q{j}: quad j of the head's q, pre-scaled; a{j}: Σ exp(s − runMax)·v over the keys so far.
  let q0 = p.scale * qkv4[q + 0u];
  var q1 = vec4f(); if (HEAD_QUADS > 1u) { q1 = p.scale * qkv4[q + 1u]; }
  var q2 = vec4f(); if (HEAD_QUADS > 2u) { q2 = p.scale * qkv4[q + 2u]; }
  var q3 = vec4f(); if (HEAD_QUADS > 3u) { q3 = p.scale * qkv4[q + 3u]; }
  var q4 = vec4f(); if (HEAD_QUADS > 4u) { q4 = p.scale * qkv4[q + 4u]; }
  var q5 = vec4f(); if (HEAD_QUADS > 5u) { q5 = p.scale * qkv4[q + 5u]; }
  var q6 = vec4f(); if (HEAD_QUADS > 6u) { q6 = p.scale * qkv4[q + 6u]; }
  var q7 = vec4f(); if (HEAD_QUADS > 7u) { q7 = p.scale * qkv4[q + 7u]; }
  var q8 = vec4f(); if (HEAD_QUADS > 8u) { q8 = p.scale * qkv4[q + 8u]; }
  var q9 = vec4f(); if (HEAD_QUADS > 9u) { q9 = p.scale * qkv4[q + 9u]; }
  var q10 = vec4f(); if (HEAD_QUADS > 10u) { q10 = p.scale * qkv4[q + 10u]; }
  var q11 = vec4f(); if (HEAD_QUADS > 11u) { q11 = p.scale * qkv4[q + 11u]; }
  var q12 = vec4f(); if (HEAD_QUADS > 12u) { q12 = p.scale * qkv4[q + 12u]; }
  var q13 = vec4f(); if (HEAD_QUADS > 13u) { q13 = p.scale * qkv4[q + 13u]; }
  var q14 = vec4f(); if (HEAD_QUADS > 14u) { q14 = p.scale * qkv4[q + 14u]; }
  var q15 = vec4f(); if (HEAD_QUADS > 15u) { q15 = p.scale * qkv4[q + 15u]; }
  var a0 = vec4f(); var a1 = vec4f(); var a2 = vec4f(); var a3 = vec4f(); var a4 = vec4f(); var a5 = vec4f(); var a6 = vec4f(); var a7 = vec4f();
  var a8 = vec4f(); var a9 = vec4f(); var a10 = vec4f(); var a11 = vec4f(); var a12 = vec4f(); var a13 = vec4f(); var a14 = vec4f(); var a15 = vec4f();
  var runMax = NEG_BIG;
  var runSum = 0.0;
  for (var t = 0u; t <= p.pos; t++) {
    let key = rowCache + t * rowQuads;
    var s = dot(q0, kcache4[key]);
    if (HEAD_QUADS > 1u) { s += dot(q1, kcache4[key + 1u]); }
    if (HEAD_QUADS > 2u) { s += dot(q2, kcache4[key + 2u]); }
    if (HEAD_QUADS > 3u) { s += dot(q3, kcache4[key + 3u]); }
    if (HEAD_QUADS > 4u) { s += dot(q4, kcache4[key + 4u]); }
    if (HEAD_QUADS > 5u) { s += dot(q5, kcache4[key + 5u]); }
    if (HEAD_QUADS > 6u) { s += dot(q6, kcache4[key + 6u]); }
    if (HEAD_QUADS > 7u) { s += dot(q7, kcache4[key + 7u]); }
    if (HEAD_QUADS > 8u) { s += dot(q8, kcache4[key + 8u]); }
    if (HEAD_QUADS > 9u) { s += dot(q9, kcache4[key + 9u]); }
    if (HEAD_QUADS > 10u) { s += dot(q10, kcache4[key + 10u]); }
    if (HEAD_QUADS > 11u) { s += dot(q11, kcache4[key + 11u]); }
    if (HEAD_QUADS > 12u) { s += dot(q12, kcache4[key + 12u]); }
    if (HEAD_QUADS > 13u) { s += dot(q13, kcache4[key + 13u]); }
    if (HEAD_QUADS > 14u) { s += dot(q14, kcache4[key + 14u]); }
    if (HEAD_QUADS > 15u) { s += dot(q15, kcache4[key + 15u]); }
    let newMax = max(runMax, s);
    let rescale = exp(runMax - newMax);
    let e = exp(s - newMax);
    runSum = runSum * rescale + e;
    a0 = fma(vec4f(e), vcache4[key], a0 * rescale);
    if (HEAD_QUADS > 1u) { a1 = fma(vec4f(e), vcache4[key + 1u], a1 * rescale); }
    if (HEAD_QUADS > 2u) { a2 = fma(vec4f(e), vcache4[key + 2u], a2 * rescale); }
    if (HEAD_QUADS > 3u) { a3 = fma(vec4f(e), vcache4[key + 3u], a3 * rescale); }
    if (HEAD_QUADS > 4u) { a4 = fma(vec4f(e), vcache4[key + 4u], a4 * rescale); }
    if (HEAD_QUADS > 5u) { a5 = fma(vec4f(e), vcache4[key + 5u], a5 * rescale); }
    if (HEAD_QUADS > 6u) { a6 = fma(vec4f(e), vcache4[key + 6u], a6 * rescale); }
    if (HEAD_QUADS > 7u) { a7 = fma(vec4f(e), vcache4[key + 7u], a7 * rescale); }
    if (HEAD_QUADS > 8u) { a8 = fma(vec4f(e), vcache4[key + 8u], a8 * rescale); }
    if (HEAD_QUADS > 9u) { a9 = fma(vec4f(e), vcache4[key + 9u], a9 * rescale); }
    if (HEAD_QUADS > 10u) { a10 = fma(vec4f(e), vcache4[key + 10u], a10 * rescale); }
    if (HEAD_QUADS > 11u) { a11 = fma(vec4f(e), vcache4[key + 11u], a11 * rescale); }
    if (HEAD_QUADS > 12u) { a12 = fma(vec4f(e), vcache4[key + 12u], a12 * rescale); }
    if (HEAD_QUADS > 13u) { a13 = fma(vec4f(e), vcache4[key + 13u], a13 * rescale); }
    if (HEAD_QUADS > 14u) { a14 = fma(vec4f(e), vcache4[key + 14u], a14 * rescale); }
    if (HEAD_QUADS > 15u) { a15 = fma(vec4f(e), vcache4[key + 15u], a15 * rescale); }
    runMax = newMax;
  }
  let dst = r * rowQuads + head;
  out4[dst] = a0 / runSum;
  if (HEAD_QUADS > 1u) { out4[dst + 1u] = a1 / runSum; }
  if (HEAD_QUADS > 2u) { out4[dst + 2u] = a2 / runSum; }
  if (HEAD_QUADS > 3u) { out4[dst + 3u] = a3 / runSum; }
  if (HEAD_QUADS > 4u) { out4[dst + 4u] = a4 / runSum; }
  if (HEAD_QUADS > 5u) { out4[dst + 5u] = a5 / runSum; }
  if (HEAD_QUADS > 6u) { out4[dst + 6u] = a6 / runSum; }
  if (HEAD_QUADS > 7u) { out4[dst + 7u] = a7 / runSum; }
  if (HEAD_QUADS > 8u) { out4[dst + 8u] = a8 / runSum; }
  if (HEAD_QUADS > 9u) { out4[dst + 9u] = a9 / runSum; }
  if (HEAD_QUADS > 10u) { out4[dst + 10u] = a10 / runSum; }
  if (HEAD_QUADS > 11u) { out4[dst + 11u] = a11 / runSum; }
  if (HEAD_QUADS > 12u) { out4[dst + 12u] = a12 / runSum; }
  if (HEAD_QUADS > 13u) { out4[dst + 13u] = a13 / runSum; }
  if (HEAD_QUADS > 14u) { out4[dst + 14u] = a14 / runSum; }
  if (HEAD_QUADS > 15u) { out4[dst + 15u] = a15 / runSum; }
}

// Prefill: after one full forward pass over R prompts of T positions, stores every position's k and
// v of this layer from its qkv [R, T, 3C] (bound where the decode step binds its one-token qkv) into
// the cache: what T decode steps would have stored. One invocation per (row, position, column).
struct FillParams {
  R: u32,
  T: u32,
  C: u32,
  maxT: u32,
}

@group(0) @binding(0) var<uniform> fp: FillParams;

@compute @workgroup_size(256)
fn kv_fill(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
           @builtin(local_invocation_index) li: u32) {
  let g = (wg.y * groups.x + wg.x) * 256u + li;
  if (g >= fp.R * fp.T * fp.C) { return; }
  let c = g % fp.C;
  let rt = g / fp.C; // r·T + t
  let t = rt % fp.T;
  let r = rt / fp.T;
  let src = rt * 3u * fp.C + c;
  let dst = (r * fp.maxT + t) * fp.C + c;
  kcache[dst] = qkv[src + fp.C];
  vcache[dst] = qkv[src + 2u * fp.C];
}
