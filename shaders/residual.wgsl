// Residual connection: forward out = a + b; backward da += dout, db += dout.
// One invocation per element; the workgroup grid may be 2-D when n needs more than 65535 groups.

struct Params {
  n: u32,
}

@group(0) @binding(0) var<uniform> p: Params;

fn elementIndex(wg: vec3u, groups: vec3u, li: u32) -> u32 {
  return (wg.y * groups.x + wg.x) * 256u + li;
}

@group(0) @binding(1) var<storage, read_write> out: array<f32>; // [n]
@group(0) @binding(2) var<storage, read> a: array<f32>;         // [n]
@group(0) @binding(3) var<storage, read> b: array<f32>;         // [n]

@compute @workgroup_size(256)
fn residual_forward(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                    @builtin(local_invocation_index) li: u32) {
  let i = elementIndex(wg, groups, li);
  if (i >= p.n) { return; }
  out[i] = a[i] + b[i];
}

@group(0) @binding(1) var<storage, read_write> da: array<f32>; // [n]
@group(0) @binding(2) var<storage, read_write> db: array<f32>; // [n]
@group(0) @binding(3) var<storage, read> dout: array<f32>;     // [n]

@compute @workgroup_size(256)
fn residual_backward(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                     @builtin(local_invocation_index) li: u32) {
  let i = elementIndex(wg, groups, li);
  if (i >= p.n) { return; }
  let g = dout[i];
  da[i] += g;
  db[i] += g;
}
