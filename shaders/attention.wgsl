// Causal multi-head self-attention for training: forward, and backward in two passes.
// qkv [B, T, 3C] holds q | k | v; head h owns columns h·hs … (h+1)·hs of each, hs = C / NH.
// att [B, NH, T, T] saves softmax(scale·q·kᵀ) under the causal mask (entries t' > t are 0).
//
// Tiling: a 16×16 workgroup owns TILE = 16 query rows (forward, dq) or TILE key rows (dk, dv) of
// one (b, h) and walks the other side in tiles of TILE rows staged through workgroup memory. In
// the (r, c) layout an invocation owns the pair (query r, key c) of the current tile; in the
// (r, x) layout it owns columns x, x + TILE, … of row r. Every output element has exactly one
// owner: no atomics, and results do not depend on scheduling.

struct Params {
  T: u32,
  C: u32,
  NH: u32,
  hs: u32,
  scale: f32, // 1 / sqrt(hs)
}

const TILE = 16u;
const SLOTS = 4u;      // columns per invocation in the (r, x) layout: head sizes up to TILE·SLOTS = 64
const NEG_BIG = -1e30; // running max before any key; exp(NEG_BIG − m) underflows to 0 without infinities

@group(0) @binding(0) var<uniform> p: Params;

// attention_forward
@group(0) @binding(1) var<storage, read> qkv: array<f32>;          // [B, T, 3C]
@group(0) @binding(2) var<storage, read_write> out: array<f32>;    // [B, T, C]
@group(0) @binding(3) var<storage, read_write> att: array<f32>;    // [B, NH, T, T]
// attention_backward_query and attention_backward_key (binding 1 is qkv, as above)
@group(0) @binding(2) var<storage, read> dout: array<f32>;         // [B, T, C]
@group(0) @binding(3) var<storage, read> savedAtt: array<f32>;     // [B, NH, T, T], forward's probabilities
@group(0) @binding(4) var<storage, read_write> dqkv: array<f32>;   // [B, T, 3C]
@group(0) @binding(5) var<storage, read_write> datt: array<f32>;   // [B, NH, T, T] scratch, left holding dpre
@group(0) @binding(5) var<storage, read> dpre: array<f32>;         // the same scratch, read by the key pass

var<workgroup> queryTile: array<f32, 1024>;   // [TILE][hs] q of TILE query rows
var<workgroup> doutTile: array<f32, 1024>;    // [TILE][hs] dout of TILE query rows
var<workgroup> keyTile: array<f32, 1024>;     // k or v of TILE key rows: [TILE][hs], or [hs][TILE] when transposed
var<workgroup> attTile: array<f32, 256>;      // [TILE query][TILE key] probabilities
var<workgroup> dpreTile: array<f32, 256>;     // [TILE query][TILE key] gradient of the pre-softmax scores
var<workgroup> rowPartials: array<f32, 512>;  // [2][TILE][TILE] per-invocation partials of each row's reductions

// Element d of head h's part (0 q, 1 k, 2 v) of row t of sequence b in a [B, T, 3C] tensor.
fn qkvIndex(b: u32, t: u32, part: u32, h: u32, d: u32) -> u32 {
  return (b * p.T + t) * 3u * p.C + part * p.C + h * p.hs + d;
}

// Element d of head h in row t of sequence b in a [B, T, C] tensor.
fn rowIndex(b: u32, t: u32, h: u32, d: u32) -> u32 {
  return (b * p.T + t) * p.C + h * p.hs + d;
}

// Entry (t, u) of head h of sequence b in a [B, NH, T, T] tensor.
fn attIndex(b: u32, h: u32, t: u32, u: u32) -> u32 {
  return ((b * p.NH + h) * p.T + t) * p.T + u;
}

// Stages part `part` of head h for rows t0 … t0+TILE−1 into keyTile (rows past T are 0). Transposed
// ([hs][TILE]) for dot products over d, where the TILE invocations of a row read consecutive words.
fn stageKeyTile(b: u32, h: u32, t0: u32, part: u32, transposed: bool, li: u32) {
  for (var e = li; e < TILE * p.hs; e += 256u) {
    let row = e / p.hs;
    let d = e % p.hs;
    var value = 0.0;
    if (t0 + row < p.T) { value = qkv[qkvIndex(b, t0 + row, part, h, d)]; }
    if (transposed) { keyTile[d * TILE + row] = value; } else { keyTile[e] = value; }
  }
}

@compute @workgroup_size(16, 16)
fn attention_forward(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
                     @builtin(local_invocation_index) li: u32) {
  let tile = wg.x;
  let h = wg.y;
  let b = wg.z;
  let hs = p.hs;
  let r = lid.y;
  let c = lid.x;
  let t = tile * TILE + r; // this invocation's query row
  let rowOk = t < p.T;

  for (var e = li; e < TILE * hs; e += 256u) {
    let tq = tile * TILE + e / hs;
    var value = 0.0;
    if (tq < p.T) { value = qkv[qkvIndex(b, tq, 0u, h, e % hs)]; }
    queryTile[e] = value;
  }

  // Pass 1: scores of pair (t, u), stashed in att until the row's max and sum are known; each
  // invocation keeps an online max and sum over its keys.
  var runMax = NEG_BIG;
  var runSum = 0.0;
  for (var kt = 0u; kt <= tile; kt++) {
    stageKeyTile(b, h, kt * TILE, 1u, true, li);
    workgroupBarrier();
    let u = kt * TILE + c;
    if (rowOk && u <= t) {
      var s = 0.0;
      for (var d = 0u; d < hs; d++) { s = fma(queryTile[r * hs + d], keyTile[d * TILE + c], s); }
      s *= p.scale;
      att[attIndex(b, h, t, u)] = s; // read back in pass 2 by this same invocation
      let newMax = max(runMax, s);
      runSum = runSum * exp(runMax - newMax) + exp(s - newMax);
      runMax = newMax;
    }
    workgroupBarrier();
  }

  rowPartials[li] = runMax;
  rowPartials[256u + li] = runSum;
  workgroupBarrier();
  var rowMax = NEG_BIG;
  for (var i = 0u; i < TILE; i++) { rowMax = max(rowMax, rowPartials[r * TILE + i]); }
  var rowSum = 0.0;
  for (var i = 0u; i < TILE; i++) { rowSum += rowPartials[256u + r * TILE + i] * exp(rowPartials[r * TILE + i] - rowMax); }
  let invSum = 1.0 / rowSum;

  // Pass 2: probabilities into att (masked entries as 0) and out[t] = Σ_u att[t, u]·v[u].
  var acc: array<f32, SLOTS>;
  for (var kt = 0u; kt <= tile; kt++) {
    let u = kt * TILE + c;
    var prob = 0.0;
    if (rowOk && u < p.T) {
      let idx = attIndex(b, h, t, u);
      if (u <= t) { prob = exp(att[idx] - rowMax) * invSum; }
      att[idx] = prob;
    }
    attTile[r * TILE + c] = prob;
    stageKeyTile(b, h, kt * TILE, 2u, false, li);
    workgroupBarrier();
    for (var j = 0u; j < TILE; j++) {
      let pj = attTile[r * TILE + j];
      for (var i = 0u; i < SLOTS; i++) {
        let d = c + TILE * i;
        if (d < hs) { acc[i] = fma(pj, keyTile[j * hs + d], acc[i]); }
      }
    }
    workgroupBarrier();
  }

  if (rowOk) {
    for (var i = 0u; i < SLOTS; i++) {
      let d = c + TILE * i;
      if (d < hs) { out[rowIndex(b, t, h, d)] = acc[i]; }
    }
    // Key tiles after this query tile are entirely masked.
    for (var u = (tile + 1u) * TILE + c; u < p.T; u += TILE) { att[attIndex(b, h, t, u)] = 0.0; }
  }
}

// Backward, query side: one workgroup per query tile. Writes dpre[t, u] = att·(datt − Σ att·datt)
// into the scratch for the key pass and accumulates dq[t] += scale·Σ_u dpre[t, u]·k[u].
@compute @workgroup_size(16, 16)
fn attention_backward_query(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
                            @builtin(local_invocation_index) li: u32) {
  let tile = wg.x;
  let h = wg.y;
  let b = wg.z;
  let hs = p.hs;
  let r = lid.y;
  let c = lid.x;
  let t = tile * TILE + r;
  let rowOk = t < p.T;

  for (var e = li; e < TILE * hs; e += 256u) {
    let tq = tile * TILE + e / hs;
    var value = 0.0;
    if (tq < p.T) { value = dout[rowIndex(b, tq, h, e % hs)]; }
    doutTile[e] = value;
  }

  // Pass 1: datt[t, u] = dout[t]·v[u] into the scratch, and this invocation's share of Σ_u att·datt.
  var attDotDatt = 0.0;
  for (var kt = 0u; kt <= tile; kt++) {
    stageKeyTile(b, h, kt * TILE, 2u, true, li);
    workgroupBarrier();
    let u = kt * TILE + c;
    if (rowOk && u <= t) {
      var g = 0.0;
      for (var d = 0u; d < hs; d++) { g = fma(doutTile[r * hs + d], keyTile[d * TILE + c], g); }
      let idx = attIndex(b, h, t, u);
      datt[idx] = g; // read back in pass 2 by this same invocation
      attDotDatt = fma(savedAtt[idx], g, attDotDatt);
    }
    workgroupBarrier();
  }

  rowPartials[li] = attDotDatt;
  workgroupBarrier();
  var rowDot = 0.0;
  for (var i = 0u; i < TILE; i++) { rowDot += rowPartials[r * TILE + i]; }

  // Pass 2: dpre into the scratch and into dpreTile, then dq += dpre·k.
  var acc: array<f32, SLOTS>;
  for (var kt = 0u; kt <= tile; kt++) {
    let u = kt * TILE + c;
    var g = 0.0;
    if (rowOk && u <= t) {
      let idx = attIndex(b, h, t, u);
      g = savedAtt[idx] * (datt[idx] - rowDot);
      datt[idx] = g;
    }
    dpreTile[r * TILE + c] = g;
    stageKeyTile(b, h, kt * TILE, 1u, false, li);
    workgroupBarrier();
    for (var j = 0u; j < TILE; j++) {
      let gj = dpreTile[r * TILE + j];
      for (var i = 0u; i < SLOTS; i++) {
        let d = c + TILE * i;
        if (d < hs) { acc[i] = fma(gj, keyTile[j * hs + d], acc[i]); }
      }
    }
    workgroupBarrier();
  }

  if (rowOk) {
    for (var i = 0u; i < SLOTS; i++) {
      let d = c + TILE * i;
      if (d < hs) {
        let idx = qkvIndex(b, t, 0u, h, d);
        dqkv[idx] += p.scale * acc[i];
      }
    }
  }
}

// Backward, key side: one workgroup per key tile, walking the query tiles at or after it.
// dk[u] += scale·Σ_t dpre[t, u]·q[t] and dv[u] += Σ_t att[t, u]·dout[t]; (r, x) is (key, column).
@compute @workgroup_size(16, 16)
fn attention_backward_key(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
                          @builtin(local_invocation_index) li: u32) {
  let tile = wg.x;
  let h = wg.y;
  let b = wg.z;
  let hs = p.hs;
  let r = lid.y;
  let x = lid.x;
  let u = tile * TILE + r; // this invocation's key row
  let tiles = (p.T + TILE - 1u) / TILE;

  var dk: array<f32, SLOTS>;
  var dv: array<f32, SLOTS>;
  for (var qt = tile; qt < tiles; qt++) {
    for (var e = li; e < TILE * hs; e += 256u) {
      let tq = qt * TILE + e / hs;
      var q = 0.0;
      var g = 0.0;
      if (tq < p.T) {
        q = qkv[qkvIndex(b, tq, 0u, h, e % hs)];
        g = dout[rowIndex(b, tq, h, e % hs)];
      }
      queryTile[e] = q;
      doutTile[e] = g;
    }
    // Pair (query lid.y, key lid.x): neighbouring invocations read neighbouring keys.
    let tq = qt * TILE + lid.y;
    let uk = tile * TILE + lid.x;
    var g = 0.0;
    var a = 0.0;
    if (tq < p.T && uk <= tq) {
      let idx = attIndex(b, h, tq, uk);
      g = dpre[idx];
      a = savedAtt[idx];
    }
    dpreTile[li] = g;
    attTile[li] = a;
    workgroupBarrier();
    for (var j = 0u; j < TILE; j++) {
      let gj = dpreTile[j * TILE + r];
      let aj = attTile[j * TILE + r];
      for (var i = 0u; i < SLOTS; i++) {
        let d = x + TILE * i;
        if (d < hs) {
          dk[i] = fma(gj, queryTile[j * hs + d], dk[i]);
          dv[i] = fma(aj, doutTile[j * hs + d], dv[i]);
        }
      }
    }
    workgroupBarrier();
  }

  if (u < p.T) {
    for (var i = 0u; i < SLOTS; i++) {
      let d = x + TILE * i;
      if (d < hs) {
        let kIdx = qkvIndex(b, u, 1u, h, d);
        let vIdx = qkvIndex(b, u, 2u, h, d);
        dqkv[kIdx] += p.scale * dk[i];
        dqkv[vIdx] += dv[i];
      }
    }
  }
}
