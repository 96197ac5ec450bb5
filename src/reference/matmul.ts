import type { LinearDims, MatmulShape } from '../kernels/matmul';
import { gelu, geluDerivative } from './gelu';

type Floats = ArrayLike<number>;

/** The epilogue's operand: shaped like C, read for `residual` and `gelu-backward`, written by `gelu`; N sums for `bias-gradient`. */
export interface ReferenceEpilogue {
  kind: NonNullable<MatmulShape['epilogue']>['kind'];
  aux: Float64Array;
}

/** Float64 reference of Matmul.matmul: the same shape conventions, computed naively. */
export function matmul(c: Float64Array, a: Floats, b: Floats, bias: Floats | null, shape: Omit<MatmulShape, 'epilogue'>, epilogue?: ReferenceEpilogue): void {
  const { M, N, K, batch = 1, transA = false, transB = false, alpha = 1, accumulate = false } = shape;
  const strideA = shape.strideA ?? M * K;
  const strideB = shape.strideB ?? K * N;
  const strideC = shape.strideC ?? M * N;
  for (let z = 0; z < batch; z++) {
    const aBase = z * strideA;
    const bBase = z * strideB;
    const cBase = z * strideC;
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        let sum = 0;
        for (let k = 0; k < K; k++) {
          const av = a[aBase + (transA ? k * M + m : m * K + k)]!;
          const bv = b[bBase + (transB ? n * K + k : k * N + n)]!;
          sum += av * bv;
          if (epilogue?.kind === 'bias-gradient' && m === 0) epilogue.aux[n] = epilogue.aux[n]! + bv;
        }
        const idx = cBase + m * N + n;
        const product = alpha * sum * (epilogue?.kind === 'gelu-backward' ? geluDerivative(epilogue.aux[idx]!) : 1);
        const v = product + (bias ? bias[n]! : 0) + (epilogue?.kind === 'residual' ? epilogue.aux[idx]! : 0) + (accumulate ? c[idx]! : 0);
        if (epilogue?.kind === 'gelu') epilogue.aux[idx] = v;
        c[idx] = epilogue?.kind === 'gelu' ? gelu(v) : v;
      }
    }
  }
}

/** out = inp·weight + bias (Matmul.forward). */
export function linearForward(out: Float64Array, inp: Floats, weight: Floats, bias: Floats | null, { N, C, OC }: LinearDims): void {
  matmul(out, inp, weight, bias, { M: N, N: OC, K: C });
}

/** dinp += dout·weightᵀ, dweight += inpᵀ·dout, dbias += Σ_rows dout (Matmul.backward). */
export function linearBackward(
  dinp: Float64Array,
  dweight: Float64Array,
  dbias: Float64Array | null,
  dout: Floats,
  inp: Floats,
  weight: Floats,
  { N, C, OC }: LinearDims,
): void {
  matmul(dinp, dout, weight, null, { M: N, N: C, K: OC, transB: true, accumulate: true });
  matmul(dweight, inp, dout, null, { M: C, N: OC, K: N, transA: true, accumulate: true });
  if (dbias) for (let m = 0; m < N; m++) for (let n = 0; n < OC; n++) dbias[n] = dbias[n]! + dout[m * OC + n]!;
}
