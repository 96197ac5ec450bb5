import { LAYERNORM_EPS, type LayerNormDims } from '../kernels/layernorm';

type Floats = ArrayLike<number>;

/** out = (inp − mean)·rstd·weight + bias per row, saving mean and rstd (LayerNorm.forward). */
export function layernormForward(
  out: Float64Array,
  mean: Float64Array,
  rstd: Float64Array,
  inp: Floats,
  weight: Floats,
  bias: Floats,
  { N, C }: LayerNormDims,
): void {
  for (let r = 0; r < N; r++) {
    const base = r * C;
    let sum = 0;
    for (let c = 0; c < C; c++) sum += inp[base + c]!;
    const m = sum / C;
    let squares = 0;
    for (let c = 0; c < C; c++) squares += (inp[base + c]! - m) ** 2;
    const s = 1 / Math.sqrt(squares / C + LAYERNORM_EPS);
    for (let c = 0; c < C; c++) out[base + c] = (inp[base + c]! - m) * s * weight[c]! + bias[c]!;
    mean[r] = m;
    rstd[r] = s;
  }
}

/** Accumulates dinp, dweight and dbias (LayerNorm.backward), as in llm.c's layernorm_backward. */
export function layernormBackward(
  dinp: Float64Array,
  dweight: Float64Array,
  dbias: Float64Array,
  dout: Floats,
  inp: Floats,
  weight: Floats,
  mean: Floats,
  rstd: Floats,
  { N, C }: LayerNormDims,
): void {
  for (let r = 0; r < N; r++) {
    const base = r * C;
    const m = mean[r]!;
    const s = rstd[r]!;
    let dnormMean = 0;
    let dnormNormMean = 0;
    for (let c = 0; c < C; c++) {
      const dnorm = weight[c]! * dout[base + c]!;
      dnormMean += dnorm;
      dnormNormMean += dnorm * (inp[base + c]! - m) * s;
    }
    dnormMean /= C;
    dnormNormMean /= C;
    for (let c = 0; c < C; c++) {
      const norm = (inp[base + c]! - m) * s;
      const d = dout[base + c]!;
      dbias[c] = dbias[c]! + d;
      dweight[c] = dweight[c]! + norm * d;
      dinp[base + c] = dinp[base + c]! + s * (weight[c]! * d - dnormMean - norm * dnormNormMean);
    }
  }
}
