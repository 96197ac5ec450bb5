// Causal multi-head self-attention for training: forward, and backward in two passes.
// qkv [B, T, 3C] holds q | k | v; head h owns columns h·hs … (h+1)·hs of each, hs = C / NH.
// att [B, NH, T, T] saves softmax(scale·q·kᵀ) under the causal mask (entries t' > t are 0).
//
// Tiling: a LANES×ROWS = 4×16 workgroup owns 16 query rows (forward, dq) or 16 key rows (dk, dv)
// of one (b, h); invocation (x, r) = local_invocation_id serves row r. The other side is walked
// in chunks of n = min(16, 128 / ⌈hs/4⌉) rows staged through workgroup memory as quads (vec4) of
// columns, zero past hs. Within a row, lane x owns the pairs (row, chunk row i) with i ≡ x (mod 4)
// and the output quads c ≡ x (mod 4). Every output element has exactly one owner: no atomics, and
// results do not depend on scheduling.
//
// Barriers: a pass over c chunks takes 2c − 1. The forward and the query pass make two passes
// with a row reduction between (4c − 1 in all), the key pass one; where one chunk covers the
// other side (always for T ≤ 16) that is 3 barriers and 1.

struct Params {
  T: u32,
  C: u32,
  NH: u32,
  hs: u32,
  scale: f32, // 1 / sqrt(hs)
}

const ROWS = 16u;         // rows per workgroup (workgroup_size y)
const LANES = 4u;         // invocations per row (workgroup_size x)
const WG = 64u;           // ROWS · LANES
const MAX_QUADS = 16u;    // column quads per row: hs ≤ 64
const CHUNK_QUADS = 128u; // quads in one staged chunk …
const MAX_CHUNK = 16u;    // … of n = min(MAX_CHUNK, CHUNK_QUADS / quads) rows
const NEG_BIG = -1e30;    // running max before any key; exp(NEG_BIG − m) underflows to 0 without infinities

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

// Kept small (7.5 KiB in the forward and query pass, 6 KiB in the key pass): some implementations
// (SwiftShader) spend time in proportion to its size zero-initialising it for every workgroup.
var<workgroup> rowsT: array<vec4f, MAX_QUADS * ROWS>;  // [quads][ROWS] q (forward) or dout (dq) of the tile's rows
var<workgroup> chunk: array<vec4f, CHUNK_QUADS>;       // k, v or q of a chunk: [quads][n] for dot products, else [n][quads]
var<workgroup> doutChunk: array<vec4f, CHUNK_QUADS>;   // key pass: [n][quads] dout of the chunk's query rows
var<workgroup> weightsT: array<f32, MAX_CHUNK * ROWS>; // [n][ROWS] per-pair weights of a chunk: probabilities, or dpre
var<workgroup> attT: array<f32, MAX_CHUNK * ROWS>;     // key pass: [n][ROWS] probabilities of the same pairs
var<workgroup> partials: array<f32, 2u * WG>;          // [2][ROWS][LANES] per-invocation shares of each row's reductions

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

// Column quads per head row, the last one padded with zeros.
fn quadCount() -> u32 {
  return (p.hs + 3u) / 4u;
}

// Rows per staged chunk.
fn chunkRows() -> u32 {
  return min(MAX_CHUNK, CHUNK_QUADS / quadCount());
}

// How many of the columns 4c … 4c+3 of quad c lie below hs: only those are written back.
fn columnsIn(c: u32) -> u32 {
  return min(4u, p.hs - 4u * c);
}

// Stages part `part` of head h for rows u0 … u0+len−1 into chunk, [quads][n] when transposed (the
// lanes of a row then read consecutive quads in dot products), else [len][quads].
fn stageChunk(b: u32, h: u32, u0: u32, len: u32, n: u32, part: u32, transposed: bool, li: u32) {
  let width = 4u * quadCount();
  for (var e = li; e < len * width; e += WG) {
    let i = e / width;
    let d = e % width;
    var value = 0.0;
    if (d < p.hs) { value = qkv[qkvIndex(b, u0 + i, part, h, d)]; }
    if (transposed) { chunk[d / 4u * n + i][d % 4u] = value; } else { chunk[e / 4u][d % 4u] = value; }
  }
}

@compute @workgroup_size(LANES, ROWS)
fn attention_forward(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
                     @builtin(local_invocation_index) li: u32) {
  let h = wg.y;
  let b = wg.z;
  let x = lid.x;
  let r = lid.y;
  let t0 = wg.x * ROWS;
  let t = t0 + r;                          // this invocation's query row
  let rowOk = t < p.T;
  let rowKeys = select(0u, t + 1u, rowOk); // keys 0 … t, none for rows past T
  let keys = min(p.T, t0 + ROWS);          // keys that some row of the tile attends to
  let quads = quadCount();
  let n = chunkRows();

  // The tile's q rows (rows past T as 0).
  let width = 4u * quads;
  for (var e = li; e < ROWS * width; e += WG) {
    let row = e / width;
    let d = e % width;
    var value = 0.0;
    if (t0 + row < p.T && d < p.hs) { value = qkv[qkvIndex(b, t0 + row, 0u, h, d)]; }
    rowsT[d / 4u * ROWS + row][d % 4u] = value;
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
      for (var c = 0u; c < quads; c++) { s += dot(rowsT[c * ROWS + r], chunk[c * n + u - u0]); }
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
  // out[t] = Σ_u att[t, u]·v[u], accumulated in place across chunks.
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
      for (var c = x; c < quads; c += LANES) {
        var sum = vec4f(0.0);
        for (var i = 0u; i < len; i++) { sum += weightsT[i * ROWS + r] * chunk[i * quads + c]; }
        let o = rowIndex(b, t, h, 4u * c);
        for (var k = 0u; k < columnsIn(c); k++) {
          if (u0 == 0u) { out[o + k] = sum[k]; } else { out[o + k] += sum[k]; }
        }
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
  let x = lid.x;
  let r = lid.y;
  let t0 = wg.x * ROWS;
  let t = t0 + r;
  let rowOk = t < p.T;
  let rowKeys = select(0u, t + 1u, rowOk);
  let keys = min(p.T, t0 + ROWS);
  let quads = quadCount();
  let n = chunkRows();

  // The tile's dout rows (rows past T as 0).
  let width = 4u * quads;
  for (var e = li; e < ROWS * width; e += WG) {
    let row = e / width;
    let d = e % width;
    var value = 0.0;
    if (t0 + row < p.T && d < p.hs) { value = dout[rowIndex(b, t0 + row, h, d)]; }
    rowsT[d / 4u * ROWS + row][d % 4u] = value;
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
      for (var c = 0u; c < quads; c++) { g += dot(rowsT[c * ROWS + r], chunk[c * n + u - u0]); }
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
      for (var c = x; c < quads; c += LANES) {
        var sum = vec4f(0.0);
        for (var i = 0u; i < len; i++) { sum += weightsT[i * ROWS + r] * chunk[i * quads + c]; }
        let o = qkvIndex(b, t, 0u, h, 4u * c);
        for (var k = 0u; k < columnsIn(c); k++) { dqkv[o + k] += p.scale * sum[k]; }
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
  let x = lid.x;
  let r = lid.y;
  let u0 = wg.x * ROWS;
  let u = u0 + r; // this invocation's key row
  let quads = quadCount();
  let width = 4u * quads;
  let n = chunkRows();

  for (var t0 = u0; t0 < p.T; t0 += n) {
    let len = min(n, p.T - t0);
    if (t0 > u0) { workgroupBarrier(); } // the previous chunk has been read
    // q and dout of the chunk's query rows, [len][quads].
    for (var e = li; e < len * width; e += WG) {
      let tq = t0 + e / width;
      let d = e % width;
      var q = 0.0;
      var g = 0.0;
      if (d < p.hs) {
        q = qkv[qkvIndex(b, tq, 0u, h, d)];
        g = dout[rowIndex(b, tq, h, d)];
      }
      chunk[e / 4u][d % 4u] = q;
      doutChunk[e / 4u][d % 4u] = g;
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
      for (var c = x; c < quads; c += LANES) {
        var dk = vec4f(0.0);
        var dv = vec4f(0.0);
        for (var i = 0u; i < len; i++) {
          dk += weightsT[i * ROWS + r] * chunk[i * quads + c];
          dv += attT[i * ROWS + r] * doutChunk[i * quads + c];
        }
        let kIdx = qkvIndex(b, u, 1u, h, 4u * c);
        let vIdx = qkvIndex(b, u, 2u, h, 4u * c);
        for (var k = 0u; k < columnsIn(c); k++) {
          dqkv[kIdx + k] += p.scale * dk[k];
          dqkv[vIdx + k] += dv[k];
        }
      }
    }
  }
}
