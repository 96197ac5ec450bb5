import type { Gpu } from '../gpu/gpu';
import { type Kernel, ParamWriter } from '../gpu/kernel';
import type { Recorder } from '../gpu/recorder';

/** Shape of a batched product C[b] = alpha·op(A[b])·op(B[b]) (+bias) (+C): op(A) is M×K, op(B) is K×N. */
export interface MatmulShape {
  M: number;
  N: number;
  K: number;
  batch?: number;
  /** A is stored [K,M] instead of [M,K]. */
  transA?: boolean;
  /** B is stored [N,K] instead of [K,N]. */
  transB?: boolean;
  /** Elements between consecutive batches; 0 shares one matrix across the batch. Defaults: dense. */
  strideA?: number;
  strideB?: number;
  strideC?: number;
  alpha?: number;
  /** Add into C instead of overwriting it (gradients accumulate, as in llm.c). */
  accumulate?: boolean;
}

const TILE = 64;

/** The batched matmul kernels (shaders/matmul.wgsl), one pipeline per transpose combination. */
export class Matmul {
  private constructor(private readonly gpu: Gpu, private readonly variants: Kernel[]) {}

  static async create(gpu: Gpu): Promise<Matmul> {
    const variants = await Promise.all(
      [0, 1, 2, 3].map((v) => gpu.kernel({ shader: 'matmul', entry: 'matmul', constants: { TRANS_A: (v & 1) === 1, TRANS_B: (v & 2) === 2 } })),
    );
    return new Matmul(gpu, variants);
  }

  /** Records C = alpha·op(A)·op(B) (+ bias) (+ C). `bias` has N elements, or is null. */
  matmul(rec: Recorder, c: GPUBuffer, a: GPUBuffer, b: GPUBuffer, bias: GPUBuffer | null, shape: MatmulShape): void {
    const { M, N, K, batch = 1, transA = false, transB = false, alpha = 1, accumulate = false } = shape;
    const strideA = shape.strideA ?? M * K;
    const strideB = shape.strideB ?? K * N;
    const strideC = shape.strideC ?? M * N;
    const need = (what: string, buffer: GPUBuffer, elements: number) => {
      if (buffer.size < elements * 4) throw new Error(`matmul: ${what} holds ${buffer.size / 4} floats, shape [batch ${batch}, M ${M}, N ${N}, K ${K}] needs ${elements}`);
    };
    if (![M, N, K, batch].every((d) => Number.isInteger(d) && d >= 1)) throw new Error(`matmul: dimensions must be positive integers, got M=${M} N=${N} K=${K} batch=${batch}`);
    need('A', a, (batch - 1) * strideA + M * K);
    need('B', b, (batch - 1) * strideB + K * N);
    need('C', c, (batch - 1) * strideC + M * N);
    if (bias) need('bias', bias, N);
    const params = new ParamWriter()
      .u32(M).u32(N).u32(K).u32((bias ? 1 : 0) | (accumulate ? 2 : 0))
      .u32(strideA).u32(strideB).u32(strideC).f32(alpha)
      .finish();
    const kernel = this.variants[(transA ? 1 : 0) | (transB ? 2 : 0)]!;
    kernel.dispatch(rec, params, [a, b, bias ?? this.gpu.dummy, c], [Math.ceil(N / TILE), Math.ceil(M / TILE), batch]);
  }
}
