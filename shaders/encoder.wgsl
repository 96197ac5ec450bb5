// Token + position embedding (llm.c's encoder):
//   forward:  out[b,t,:] = wte[tokens[b,t], :] + wpe[pos0 + t, :]
//   backward: dwte[v,:] += Σ_{(b,t): tokens[b,t] = v} dout[b,t,:];  dwpe[pos0 + t,:] += Σ_b dout[b,t,:]
// A token id past the vocabulary is clamped to V − 1 (forward and backward alike), so no read
// ever leaves wte. Both backward reductions have one owner per output element: no atomics.

struct Params {
  BT: u32,   // rows: B·T tokens
  T: u32,
  C: u32,
  V: u32,
  pos0: u32, // position of the first token (KV-cache decoding embeds one token at pos0)
}

@group(0) @binding(0) var<uniform> p: Params;

// ---- forward: one invocation per output element, neighbours on neighbouring channels.

@group(0) @binding(1) var<storage, read_write> out: array<f32>; // [B*T, C]
@group(0) @binding(2) var<storage, read> tokens: array<u32>;    // [B*T]
@group(0) @binding(3) var<storage, read> wte: array<f32>;       // [V, C]
@group(0) @binding(4) var<storage, read> wpe: array<f32>;       // [maxT, C]

@compute @workgroup_size(256)
fn encoder_forward(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                   @builtin(local_invocation_index) li: u32) {
  let i = (wg.y * groups.x + wg.x) * 256u + li;
  if (i >= p.BT * p.C) { return; }
  let row = i / p.C;
  let c = i % p.C;
  let t = row % p.T;
  let token = min(tokens[row], p.V - 1u);
  out[i] = wte[token * p.C + c] + wpe[(p.pos0 + t) * p.C + c];
}

// ---- wte backward: workgroup (channel block, v) owns dwte[v, 64 channels]. Its 256 invocations
// stage 256 token ids at a time in workgroup memory; 4 lanes each scan every 4th staged token and
// add the matching rows of dout, and the lanes are combined in a fixed order (deterministic).

@group(0) @binding(1) var<storage, read_write> dwte: array<f32>; // [V, C]
@group(0) @binding(2) var<storage, read> wte_dout: array<f32>;   // [B*T, C]
@group(0) @binding(3) var<storage, read> wte_tokens: array<u32>; // [B*T]

var<workgroup> staged: array<u32, 256>;
var<workgroup> lanes: array<f32, 256>; // [4][64]

@compute @workgroup_size(64, 4)
fn wte_backward(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
                @builtin(local_invocation_index) li: u32) {
  let v = wg.y;
  let c = wg.x * 64u + lid.x;
  var sum = 0.0;
  for (var start = 0u; start < p.BT; start += 256u) {
    if (start + li < p.BT) { staged[li] = min(wte_tokens[start + li], p.V - 1u); }
    workgroupBarrier();
    let count = min(256u, p.BT - start);
    if (c < p.C) {
      for (var j = lid.y; j < count; j += 4u) {
        if (staged[j] == v) { sum += wte_dout[(start + j) * p.C + c]; }
      }
    }
    workgroupBarrier(); // every lane is done with this batch before the next overwrites it
  }
  lanes[lid.y * 64u + lid.x] = sum;
  workgroupBarrier();
  if (lid.y == 0u && c < p.C) {
    dwte[v * p.C + c] += (lanes[lid.x] + lanes[64u + lid.x]) + (lanes[128u + lid.x] + lanes[192u + lid.x]);
  }
}

// ---- wpe backward: one invocation owns dwpe[pos0 + t, c] and sums it over the batch.

@group(0) @binding(1) var<storage, read_write> dwpe: array<f32>; // [maxT, C]
@group(0) @binding(2) var<storage, read> wpe_dout: array<f32>;   // [B*T, C]

@compute @workgroup_size(256)
fn wpe_backward(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                @builtin(local_invocation_index) li: u32) {
  let i = (wg.y * groups.x + wg.x) * 256u + li; // over [T, C]
  if (i >= p.T * p.C) { return; }
  let t = i / p.C;
  let c = i % p.C;
  var sum = 0.0;
  for (var row = t; row < p.BT; row += p.T) { sum += wpe_dout[row * p.C + c]; }
  dwpe[(p.pos0 + t) * p.C + c] += sum;
}
