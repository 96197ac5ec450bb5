// The kernels of attention.wgsl (same Params, bindings and results) for adapters that run shaders
// on a CPU, such as SwiftShader: one invocation per (sequence, head, row) walks the other side of
// the causal mask on its own, reading straight from storage, head columns four at a time (needs
// hs % 4 = 0; src/kernels/attention.ts checks). No workgroup memory and no barriers, which a CPU
// pays for dearly; each pass of a row re-reads what it wrote, so nothing needs sharing.

struct Params {
  T: u32,
  C: u32,
  NH: u32,
  hs: u32,
  scale: f32, // 1 / sqrt(hs)
  B: u32,     // sequences (attention.wgsl takes them from its grid instead)
}

const WG = 64u;
const NEG_BIG = -1e30;

@group(0) @binding(0) var<uniform> p: Params;

// attention_forward_rows
@group(0) @binding(1) var<storage, read> qkv: array<vec4f>;        // [B, T, 3C]
@group(0) @binding(2) var<storage, read_write> out: array<vec4f>;  // [B, T, C]
@group(0) @binding(3) var<storage, read_write> att: array<f32>;    // [B, NH, T, T]
// attention_backward_query_rows and attention_backward_key_rows (binding 1 is qkv, as above)
@group(0) @binding(2) var<storage, read> dout: array<vec4f>;       // [B, T, C]
@group(0) @binding(3) var<storage, read> savedAtt: array<f32>;     // [B, NH, T, T], forward's probabilities
@group(0) @binding(4) var<storage, read_write> dqkv: array<vec4f>; // [B, T, 3C]
@group(0) @binding(5) var<storage, read_write> datt: array<f32>;   // [B, NH, T, T] scratch, left holding dpre
@group(0) @binding(5) var<storage, read> dpre: array<f32>;         // the same scratch, read by the key pass

/** This invocation's row: x = position, y = head, z = sequence, w = 0 past the last row. */
fn rowOf(wg: vec3u, groups: vec3u, li: u32) -> vec4u {
  let g = (wg.y * groups.x + wg.x) * WG + li;
  return vec4u(g % p.T, (g / p.T) % p.NH, g / (p.T * p.NH), u32(g < p.B * p.NH * p.T));
}

// Start of head h's part (0 q, 1 k, 2 v) in row t of sequence b of a [B, T, 3C] tensor, in quads.
fn qkvAt(b: u32, t: u32, part: u32, h: u32) -> u32 {
  return ((b * p.T + t) * 3u * p.C + part * p.C + h * p.hs) / 4u;
}

// Start of head h in row t of sequence b of a [B, T, C] tensor, in quads.
fn rowAt(b: u32, t: u32, h: u32) -> u32 {
  return ((b * p.T + t) * p.C + h * p.hs) / 4u;
}

// Start of row t of head h of sequence b in a [B, NH, T, T] tensor.
fn attAt(b: u32, h: u32, t: u32) -> u32 {
  return ((b * p.NH + h) * p.T + t) * p.T;
}

@compute @workgroup_size(WG)
fn attention_forward_rows(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                          @builtin(local_invocation_index) li: u32) {
  let row = rowOf(wg, groups, li);
  if (row.w == 0u) { return; }
  let t = row.x; let h = row.y; let b = row.z;
  let q = qkvAt(b, t, 0u, h);
  let a = attAt(b, h, t);
  let hs4 = p.hs / 4u;

  // Raw scores into att with an online max and sum, then probabilities in place (masked as 0).
  var runMax = NEG_BIG;
  var runSum = 0.0;
  for (var u = 0u; u <= t; u++) {
    let k = qkvAt(b, u, 1u, h);
    var s4 = vec4f(0.0);
    for (var d = 0u; d < hs4; d++) { s4 += qkv[q + d] * qkv[k + d]; }
    let s = (s4.x + s4.y + s4.z + s4.w) * p.scale;
    att[a + u] = s;
    let newMax = max(runMax, s);
    runSum = runSum * exp(runMax - newMax) + exp(s - newMax);
    runMax = newMax;
  }
  let invSum = 1.0 / runSum;
  for (var u = 0u; u <= t; u++) { att[a + u] = exp(att[a + u] - runMax) * invSum; }
  for (var u = t + 1u; u < p.T; u++) { att[a + u] = 0.0; }

  // out[t] = Σ_u att[t, u]·v[u], a quad of columns at a time.
  let o = rowAt(b, t, h);
  for (var d = 0u; d < hs4; d++) {
    var sum = vec4f(0.0);
    for (var u = 0u; u <= t; u++) { sum += att[a + u] * qkv[qkvAt(b, u, 2u, h) + d]; }
    out[o + d] = sum;
  }
}

// Query side of backward: dpre[t, u] = att·(datt − Σ_u att·datt) into the scratch, and
// dq[t] += scale·Σ_u dpre[t, u]·k[u].
@compute @workgroup_size(WG)
fn attention_backward_query_rows(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                                 @builtin(local_invocation_index) li: u32) {
  let row = rowOf(wg, groups, li);
  if (row.w == 0u) { return; }
  let t = row.x; let h = row.y; let b = row.z;
  let g = rowAt(b, t, h);
  let a = attAt(b, h, t);
  let hs4 = p.hs / 4u;

  var attDotDatt = 0.0;
  for (var u = 0u; u <= t; u++) {
    let v = qkvAt(b, u, 2u, h);
    var gu4 = vec4f(0.0);
    for (var d = 0u; d < hs4; d++) { gu4 += dout[g + d] * qkv[v + d]; }
    let gu = gu4.x + gu4.y + gu4.z + gu4.w;
    datt[a + u] = gu;
    attDotDatt = fma(savedAtt[a + u], gu, attDotDatt);
  }
  for (var u = 0u; u <= t; u++) { datt[a + u] = savedAtt[a + u] * (datt[a + u] - attDotDatt); }

  let dq = qkvAt(b, t, 0u, h);
  for (var d = 0u; d < hs4; d++) {
    var sum = vec4f(0.0);
    for (var u = 0u; u <= t; u++) { sum += datt[a + u] * qkv[qkvAt(b, u, 1u, h) + d]; }
    dqkv[dq + d] += p.scale * sum;
  }
}

// Key side of backward, for key row u: dk[u] += scale·Σ_{t ≥ u} dpre[t, u]·q[t] and
// dv[u] += Σ_{t ≥ u} att[t, u]·dout[t].
@compute @workgroup_size(WG)
fn attention_backward_key_rows(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                               @builtin(local_invocation_index) li: u32) {
  let row = rowOf(wg, groups, li);
  if (row.w == 0u) { return; }
  let u = row.x; let h = row.y; let b = row.z;
  let dk = qkvAt(b, u, 1u, h);
  let dv = qkvAt(b, u, 2u, h);
  let hs4 = p.hs / 4u;
  for (var d = 0u; d < hs4; d++) {
    var sumK = vec4f(0.0);
    var sumV = vec4f(0.0);
    for (var t = u; t < p.T; t++) {
      let pair = attAt(b, h, t) + u;
      sumK += dpre[pair] * qkv[qkvAt(b, t, 0u, h) + d];
      sumV += savedAtt[pair] * dout[rowAt(b, t, h) + d];
    }
    dqkv[dk + d] += p.scale * sumK;
    dqkv[dv + d] += sumV;
  }
}
