// The row layout and row reduction that the softmax-row kernels share (included by crossentropy.wgsl,
// logprob.wgsl and sample.wgsl; no entry points). Each includer defines its own softmax statistics `Stats` and
// their `merge`; src/kernels/row-layout.ts picks the override constants per adapter.

override ROW_THREADS = 64u; // invocations per row: a power of two
override ROWS = 1u;         // rows per workgroup

var<workgroup> rowStats: array<Stats, ROW_THREADS * ROWS>; // [ROWS][ROW_THREADS]

// The statistics of row y's ROW_THREADS shares, by a fixed tree (deterministic). Every invocation
// of the workgroup calls it, whether or not its row exists.
fn rowTotal(x: u32, y: u32, share: Stats) -> Stats {
  if (ROW_THREADS == 1u) { return share; }
  let base = y * ROW_THREADS;
  rowStats[base + x] = share;
  workgroupBarrier();
  for (var stride = ROW_THREADS / 2u; stride > 0u; stride /= 2u) {
    if (x < stride) { rowStats[base + x] = merge(rowStats[base + x], rowStats[base + x + stride]); }
    workgroupBarrier();
  }
  let total = rowStats[base];
  workgroupBarrier(); // everyone has read the total before the next row overwrites it
  return total;
}
