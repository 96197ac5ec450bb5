import type { ElementwiseDims } from './gelu';

type Floats = ArrayLike<number>;

/** out = a + b (the residual connection). */
export function residualForward(out: Float64Array, a: Floats, b: Floats, { n }: ElementwiseDims): void {
  for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
}
