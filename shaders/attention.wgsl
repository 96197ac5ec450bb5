// Causal multi-head self-attention for training: forward, and backward in two passes.
// qkv [B, T, 3C] holds q | k | v; head h owns columns h·hs … (h+1)·hs of each, hs = C / NH.
// att [B, NH, T, T] saves softmax(scale·q·kᵀ) under the causal mask (entries t' > t are 0).
//
// Tiling: an 8×8 workgroup owns ROWS = 8 query rows (forward, dq) or ROWS key rows (dk, dv) of
// one (b, h); invocation (x, r) = local_invocation_id serves row r. The other side is walked in
// chunks of up to MAX_CHUNK rows staged through workgroup memory, so for T ≤ 64 and the usual head
// sizes one chunk covers it and a kernel needs 1 to 3 barriers in all. Within a row, lane x owns
// the pairs (row, chunk row i) with i ≡ x (mod LANES) and the output columns d ≡ x (mod LANES).
// Every output element has exactly one owner: no atomics, and results do not depend on scheduling.

struct Params {
  T: u32,
  C: u32,
  NH: u32,
  hs: u32,
  scale: f32, // 1 / sqrt(hs)
}

const ROWS = 8u;       // rows per workgroup (workgroup_size y)
const LANES = 8u;      // invocations per row (workgroup_size x)
const WG = 64u;        // ROWS · LANES
const MAX_CHUNK = 64u; // most rows of the other side staged at once
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

// Forward and query pass: 12.5 KiB.
var<workgroup> rowsT: array<f32, 512>;     // [hs][ROWS] q (forward) or dout (dq) of the tile's rows, transposed
var<workgroup> chunk: array<f32, 2048>;    // k or v of one chunk: [hs][n] transposed for dot products, else [n][hs]
var<workgroup> weightsT: array<f32, 512>;  // [n][ROWS] per-pair weights of one chunk: probabilities, or dpre
var<workgroup> partials: array<f32, 128>;  // [2][ROWS][LANES] per-invocation shares of each row's reductions
// Key pass: 16 KiB, with weightsT holding dpre.
var<workgroup> queryChunk: array<f32, 1536>; // [n][hs] q of one chunk of query rows
var<workgroup> doutChunk: array<f32, 1536>;  // [n][hs] dout of the same rows
var<workgroup> attT: array<f32, 512>;        // [n][ROWS] probabilities of the same pairs as weightsT

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

// Rows per chunk when a [n][hs] tile may take `words` floats.
fn chunkRows(words: u32) -> u32 {
  return min(MAX_CHUNK, words / p.hs);
}

// Stages part `part` of head h for rows u0 … u0+len−1 into chunk, [hs][n] when transposed (the
// lanes of a row then read consecutive words in dot products over d), else [len][hs].
fn stageChunk(b: u32, h: u32, u0: u32, len: u32, n: u32, part: u32, transposed: bool, li: u32) {
  for (var e = li; e < len * p.hs; e += WG) {
    let i = e / p.hs;
    let d = e % p.hs;
    let value = qkv[qkvIndex(b, u0 + i, part, h, d)];
    if (transposed) { chunk[d * n + i] = value; } else { chunk[e] = value; }
  }
}

@compute @workgroup_size(LANES, ROWS)
fn attention_forward(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
                     @builtin(local_invocation_index) li: u32) {
  let h = wg.y;
  let b = wg.z;
  let hs = p.hs;
  let x = lid.x;
  let r = lid.y;
  let t0 = wg.x * ROWS;
  let t = t0 + r;                                     // this invocation's query row
  let rowOk = t < p.T;
  let rowKeys = select(0u, t + 1u, rowOk);            // keys 0 … t, none for rows past T
  let keys = min(p.T, t0 + ROWS);                     // keys that some row of the tile attends to
  let n = chunkRows(2048u);

  for (var e = li; e < ROWS * hs; e += WG) {
    let tq = t0 + e / hs;
    var value = 0.0;
    if (tq < p.T) { value = qkv[qkvIndex(b, tq, 0u, h, e % hs)]; }
    rowsT[(e % hs) * ROWS + e / hs] = value;
  }

  // Pass 1, over chunks of kᵀ: raw scores into att until the row's max and sum are known (read
  // back in pass 2 by this same invocation); each invocation keeps an online max and sum.
  var runMax = NEG_BIG;
  var runSum = 0.0;
  for (var u0 = 0u; u0 < keys; u0 += n) {
    if (u0 > 0u) { workgroupBarrier(); } // the previous chunk has been read
    stageChunk(b, h, u0, min(n, keys - u0), n, 1u, true, li);
    workgroupBarrier();
    for (var u = u0 + x; u < min(u0 + n, rowKeys); u += LANES) {
      var s = 0.0;
      for (var d = 0u; d < hs; d++) { s = fma(rowsT[d * ROWS + r], chunk[d * n + u - u0], s); }
      s *= p.scale;
      att[attIndex(b, h, t, u)] = s;
      let newMax = max(runMax, s);
      runSum = runSum * exp(runMax - newMax) + exp(s - newMax);
      runMax = newMax;
    }
  }
  partials[li] = runMax;
  partials[WG + li] = runSum;
  workgroupBarrier(); // also: the last chunk has been read
  var rowMax = NEG_BIG;
  for (var i = 0u; i < LANES; i++) { rowMax = max(rowMax, partials[r * LANES + i]); }
  var rowSum = 0.0;
  for (var i = 0u; i < LANES; i++) { rowSum += partials[WG + r * LANES + i] * exp(partials[r * LANES + i] - rowMax); }
  let invSum = 1.0 / rowSum;

  // Pass 2, over chunks of v: probabilities into att and weightsT (masked pairs as 0), then
  // out[t, d] = Σ_u att[t, u]·v[u, d], accumulated in place across chunks.
  for (var u0 = 0u; u0 < keys; u0 += n) {
    let len = min(n, keys - u0);
    if (u0 > 0u) { workgroupBarrier(); } // the previous chunk and its weights have been read
    for (var i = x; i < len; i += LANES) {
      let u = u0 + i;
      var prob = 0.0;
      if (rowOk) {
        let idx = attIndex(b, h, t, u);
        if (u <= t) { prob = exp(att[idx] - rowMax) * invSum; }
        att[idx] = prob;
      }
      weightsT[i * ROWS + r] = prob;
    }
    stageChunk(b, h, u0, len, n, 2u, false, li);
    workgroupBarrier();
    if (rowOk) {
      for (var d = x; d < hs; d += LANES) {
        var sum = 0.0;
        for (var i = 0u; i < len; i++) { sum = fma(weightsT[i * ROWS + r], chunk[i * hs + d], sum); }
        let o = rowIndex(b, t, h, d);
        if (u0 == 0u) { out[o] = sum; } else { out[o] += sum; }
      }
    }
  }

  // Keys past the tile's last row are masked for all of its rows.
  if (rowOk) {
    for (var u = keys + x; u < p.T; u += LANES) { att[attIndex(b, h, t, u)] = 0.0; }
  }
}

// Backward, query side: one workgroup per tile of query rows. Writes dpre[t, u] = att·(datt − Σ att·datt)
// into the scratch for the key pass and accumulates dq[t] += scale·Σ_u dpre[t, u]·k[u].
@compute @workgroup_size(LANES, ROWS)
fn attention_backward_query(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
                            @builtin(local_invocation_index) li: u32) {
  let h = wg.y;
  let b = wg.z;
  let hs = p.hs;
  let x = lid.x;
  let r = lid.y;
  let t0 = wg.x * ROWS;
  let t = t0 + r;
  let rowOk = t < p.T;
  let rowKeys = select(0u, t + 1u, rowOk);
  let keys = min(p.T, t0 + ROWS);
  let n = chunkRows(2048u);

  for (var e = li; e < ROWS * hs; e += WG) {
    let tq = t0 + e / hs;
    var value = 0.0;
    if (tq < p.T) { value = dout[rowIndex(b, tq, h, e % hs)]; }
    rowsT[(e % hs) * ROWS + e / hs] = value;
  }

  // Pass 1, over chunks of vᵀ: datt[t, u] = dout[t]·v[u] into the scratch (read back in pass 2 by
  // this same invocation), and this invocation's share of Σ_u att·datt.
  var attDotDatt = 0.0;
  for (var u0 = 0u; u0 < keys; u0 += n) {
    if (u0 > 0u) { workgroupBarrier(); }
    stageChunk(b, h, u0, min(n, keys - u0), n, 2u, true, li);
    workgroupBarrier();
    for (var u = u0 + x; u < min(u0 + n, rowKeys); u += LANES) {
      var g = 0.0;
      for (var d = 0u; d < hs; d++) { g = fma(rowsT[d * ROWS + r], chunk[d * n + u - u0], g); }
      let idx = attIndex(b, h, t, u);
      datt[idx] = g;
      attDotDatt = fma(savedAtt[idx], g, attDotDatt);
    }
  }
  partials[li] = attDotDatt;
  workgroupBarrier(); // also: the last chunk has been read
  var rowDot = 0.0;
  for (var i = 0u; i < LANES; i++) { rowDot += partials[r * LANES + i]; }

  // Pass 2, over chunks of k: dpre into the scratch and weightsT (masked pairs as 0), then dq.
  for (var u0 = 0u; u0 < keys; u0 += n) {
    let len = min(n, keys - u0);
    if (u0 > 0u) { workgroupBarrier(); }
    for (var i = x; i < len; i += LANES) {
      let u = u0 + i;
      var g = 0.0;
      if (u < rowKeys) {
        let idx = attIndex(b, h, t, u);
        g = savedAtt[idx] * (datt[idx] - rowDot);
        datt[idx] = g;
      }
      weightsT[i * ROWS + r] = g;
    }
    stageChunk(b, h, u0, len, n, 1u, false, li);
    workgroupBarrier();
    if (rowOk) {
      for (var d = x; d < hs; d += LANES) {
        var sum = 0.0;
        for (var i = 0u; i < len; i++) { sum = fma(weightsT[i * ROWS + r], chunk[i * hs + d], sum); }
        let idx = qkvIndex(b, t, 0u, h, d);
        dqkv[idx] += p.scale * sum;
      }
    }
  }
}

// Backward, key side: one workgroup per tile of key rows, walking chunks of the query rows at or
// after it. dk[u] += scale·Σ_t dpre[t, u]·q[t] and dv[u] += Σ_t att[t, u]·dout[t].
@compute @workgroup_size(LANES, ROWS)
fn attention_backward_key(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
                          @builtin(local_invocation_index) li: u32) {
  let h = wg.y;
  let b = wg.z;
  let hs = p.hs;
  let x = lid.x;
  let r = lid.y;
  let u0 = wg.x * ROWS;
  let u = u0 + r; // this invocation's key row
  let n = chunkRows(1536u);

  for (var t0 = u0; t0 < p.T; t0 += n) {
    let len = min(n, p.T - t0);
    if (t0 > u0) { workgroupBarrier(); } // the previous chunk has been read
    for (var e = li; e < len * hs; e += WG) {
      let tq = t0 + e / hs;
      queryChunk[e] = qkv[qkvIndex(b, tq, 0u, h, e % hs)];
      doutChunk[e] = dout[rowIndex(b, tq, h, e % hs)];
    }
    // Pair (query t0 + e / ROWS, key u0 + e % ROWS): neighbouring invocations read neighbouring keys.
    for (var e = li; e < len * ROWS; e += WG) {
      let tq = t0 + e / ROWS;
      let uk = u0 + e % ROWS;
      var g = 0.0;
      var a = 0.0;
      if (uk <= tq) {
        let idx = attIndex(b, h, tq, uk);
        g = dpre[idx];
        a = savedAtt[idx];
      }
      weightsT[e] = g;
      attT[e] = a;
    }
    workgroupBarrier();
    if (u < p.T) {
      for (var d = x; d < hs; d += LANES) {
        var dk = 0.0;
        var dv = 0.0;
        for (var i = 0u; i < len; i++) {
          dk = fma(weightsT[i * ROWS + r], queryChunk[i * hs + d], dk);
          dv = fma(attT[i * ROWS + r], doutChunk[i * hs + d], dv);
        }
        dqkv[qkvIndex(b, u, 1u, h, d)] += p.scale * dk;
        dqkv[qkvIndex(b, u, 2u, h, d)] += dv;
      }
    }
  }
}
