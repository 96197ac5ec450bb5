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
// computed address costs about as much as a vec4 multiply-add: one invocation per (row, head), head
// columns four at a time (needs hs % 4 = 0; src/kernels/attention.ts checks), no workgroup memory.
// It writes its head's k and v at `pos` first and then reads every key and value from the cache,
// its own writes included, with an online softmax.
@group(0) @binding(1) var<storage, read> qkv4: array<vec4f>;          // [R, 3C] in quads
@group(0) @binding(2) var<storage, read_write> kcache4: array<vec4f>; // [R, maxT, C] in quads
@group(0) @binding(3) var<storage, read_write> vcache4: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> out4: array<vec4f>;    // [R, C] in quads

const MAX_HEAD_QUADS = 16u; // 64 head columns, the most src/kernels/attention.ts allows

@compute @workgroup_size(WG)
fn attention_decode_heads(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                          @builtin(local_invocation_index) li: u32) {
  let g = (wg.y * groups.x + wg.x) * WG + li;
  if (g >= p.R * p.NH) { return; }
  let r = g / p.NH;
  let quads = p.hs / 4u;
  let head = (g % p.NH) * quads;     // the head's first quad within a row of C
  let rowQuads = p.C / 4u;
  let q = r * 3u * rowQuads + head;  // the head's q in qkv; its k and v follow at +C and +2C
  let rowCache = r * p.maxT * rowQuads + head;
  let newKey = rowCache + p.pos * rowQuads;
  for (var d = 0u; d < quads; d++) {
    kcache4[newKey + d] = qkv4[q + rowQuads + d];
    vcache4[newKey + d] = qkv4[q + 2u * rowQuads + d];
  }

  var acc: array<vec4f, MAX_HEAD_QUADS>; // Σ exp(s − runMax)·v over the keys so far
  var runMax = NEG_BIG;
  var runSum = 0.0;
  for (var t = 0u; t <= p.pos; t++) {
    let key = rowCache + t * rowQuads;
    var s = 0.0;
    for (var d = 0u; d < quads; d++) { s += dot(qkv4[q + d], kcache4[key + d]); }
    s *= p.scale;
    let newMax = max(runMax, s);
    let rescale = exp(runMax - newMax);
    let e = exp(s - newMax);
    runSum = runSum * rescale + e;
    for (var d = 0u; d < quads; d++) { acc[d] = fma(vec4f(e), vcache4[key + d], acc[d] * rescale); }
    runMax = newMax;
  }
  let dst = r * rowQuads + head;
  for (var d = 0u; d < quads; d++) { out4[dst + d] = acc[d] / runSum; }
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
