import type { BenchProblem } from '../problem';

export interface NamedWeight {
  /** The docs/design.md §2 name, e.g. `h.0.attn.qkv.w`. */
  name: string;
  shape: number[];
  values: Float32Array<ArrayBuffer>;
}

/** Each tensor of the problem's flat initial parameter vector, cut out at its layout offset (the padding between tensors skipped). */
export function namedWeights(problem: BenchProblem): NamedWeight[] {
  return problem.layout.tensors.map(({ name, shape, offset, size }) => ({ name, shape, values: problem.initial.slice(offset, offset + size) }));
}
