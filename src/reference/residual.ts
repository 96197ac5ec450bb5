import type { ElementwiseDims } from '../kernels/gelu';

type Floats = ArrayLike<number>;

/** out = a + b (Residual.forward). */
export function residualForward(out: Float64Array, a: Floats, b: Floats, { n }: ElementwiseDims): void {
  for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
}

/** da += dout; db += dout (Residual.backward). */
export function residualBackward(da: Float64Array, db: Float64Array, dout: Floats, { n }: ElementwiseDims): void {
  for (let i = 0; i < n; i++) {
    da[i] = da[i]! + dout[i]!;
    db[i] = db[i]! + dout[i]!;
  }
}
