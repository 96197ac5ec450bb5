// Copies chosen rows of a [N, rowLength] matrix into a dense [M, rowLength] one: how an RL inner
// step takes its mini-batch of trajectories. Words are copied as bits, so it serves u32 tokens and
// f32 log-probs alike.

struct Params {
  M: u32,
  rowLength: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<u32>;      // [N, rowLength]
@group(0) @binding(2) var<storage, read> rows: array<u32>;     // [M] which source row goes to each destination row
@group(0) @binding(3) var<storage, read_write> dst: array<u32>; // [M, rowLength]

@compute @workgroup_size(256)
fn gather_rows(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  // A grid-stride loop, so any M·rowLength fits in one dispatch.
  let total = p.M * p.rowLength;
  for (var i = gid.x; i < total; i += groups.x * 256u) {
    let m = i / p.rowLength;
    dst[i] = src[rows[m] * p.rowLength + i % p.rowLength];
  }
}
