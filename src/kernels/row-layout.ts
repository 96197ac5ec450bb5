import { runsOnCpu } from '../gpu/device';
import type { Gpu } from '../gpu/gpu';

/** How a softmax-row kernel (crossentropy.wgsl, logprob.wgsl, through softmax-rows.wgsl) lays a workgroup over rows: its override constants (a type alias, not an interface, so that it passes as OverrideConstants). */
export type RowLayout = {
  /** Invocations sharing one row: a power of two. */
  ROW_THREADS: number;
  /** Rows per workgroup. */
  ROWS: number;
};

/**
 * 64 invocations sharing a row on a GPU; on a CPU adapter, where barriers are dear, one invocation per
 * row, 16 rows: a workgroup runs on one core there, so a decode step's 64 rows make four.
 */
export function rowLayout(gpu: Gpu): RowLayout {
  return runsOnCpu(gpu.adapter) ? { ROW_THREADS: 1, ROWS: 16 } : { ROW_THREADS: 64, ROWS: 1 };
}
