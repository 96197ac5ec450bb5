import { type Binding, requireLength } from '../gpu/binding';
import { runsOnCpu } from '../gpu/device';
import type { Gpu } from '../gpu/gpu';
import { type KernelSpec, ParamWriter } from '../gpu/kernel';
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
  /** A layer fused into the epilogue (shaders/matmul-common.wgsl). */
  epilogue?: MatmulEpilogue;
}

/**
 * What the epilogue does besides alpha, bias and accumulation. aux is shaped like C for `residual`
 * C = aux + product; `gelu` aux = product, C = gelu(aux); `gelu-backward` C = gelu'(aux)·product. For
 * `bias-gradient` (Aᵀ·B, one batch) aux has N values and gets aux[n] += Σ_k B[k, n] from the loads
 * the product makes anyway: a linear layer's bias gradient next to its weight gradient.
 */
export interface MatmulEpilogue {
  kind: 'residual' | 'gelu' | 'gelu-backward' | 'bias-gradient';
  aux: Binding;
}

type EpilogueKind = MatmulEpilogue['kind'] | 'none';

/** The EPILOGUE override constant of shaders/matmul-common.wgsl: fixed per pipeline, so an epilogue not used costs nothing. */
const EPILOGUES: Record<EpilogueKind, number> = { none: 0, residual: 1, gelu: 2, 'gelu-backward': 3, 'bias-gradient': 4 };
/** The uniform flag (cheap enough to test at run time; accumulation is fixed per pipeline, as the epilogue is). */
const ADD_BIAS = 1;

/** Layouts, indexed by (transA ? 1 : 0) | (transB ? 2 : 0). */
const LAYOUTS = ['A·B', 'Aᵀ·B', 'A·Bᵀ', 'Aᵀ·Bᵀ'] as const;
/** The epilogues each layout supports (and is tested with): a linear layer's forward (A·B), weight gradient (Aᵀ·B) and input gradient (A·Bᵀ). */
const LAYOUT_EPILOGUES: readonly (readonly EpilogueKind[])[] = [['none', 'residual', 'gelu'], ['none', 'bias-gradient'], ['none', 'gelu-backward'], ['none']];

/** The layers a linear layer can take into its matmul's epilogue. */
export interface LinearFusion {
  /**
   * forward: out = gelu(pre) with pre = inp·weight + bias, stored in preGelu (kept for the backward).
   * backward: this layer's input was gelu(preGelu), and dinp gets the gradient with respect to preGelu.
   */
  preGelu?: Binding;
  /** forward: out = residual + inp·weight + bias (the residual connection after a projection). */
  residual?: Binding;
}

/** A linear layer y = x·W + b over N rows: x [N, C], W [C, OC] (stored [in, out]), b [OC], y [N, OC]. */
export interface LinearDims {
  N: number;
  C: number;
  OC: number;
}

/** One kernel file of the family and the block of C one of its workgroups computes. */
interface MatmulShader {
  shader: 'matmul' | 'matmul-direct' | 'matmul-direct-vec4';
  rows: number;
  columns: number;
}

/** shaders/matmul.wgsl: 32×32 tiles (TM = TN). */
const TILED: MatmulShader = { shader: 'matmul', rows: 32, columns: 32 };
/** shaders/matmul-direct.wgsl: any shape, 64 rows × 32 columns per workgroup. */
const DIRECT: MatmulShader = { shader: 'matmul-direct', rows: 64, columns: 32 };
/** shaders/matmul-direct-vec4.wgsl: 16 rows × 64 columns per workgroup, for shapes that `fitsVec4`. */
const DIRECT_VEC4: MatmulShader = { shader: 'matmul-direct-vec4', rows: 16, columns: 64 };

/**
 * Whether matmul-direct-vec4.wgsl can read and write a shape four floats at a time: N (the length of C's rows), the
 * dimension each operand is contiguous along (K for A [M,K] and B [N,K], M for A [K,M], N for B
 * [K,N]) and the batch strides are multiples of 4.
 */
export function fitsVec4({
  M,
  N,
  K,
  transA,
  transB,
  strideA,
  strideB,
  strideC,
}: Required<Pick<MatmulShape, 'M' | 'N' | 'K' | 'transA' | 'transB' | 'strideA' | 'strideB' | 'strideC'>>): boolean {
  return [N, transA ? M : K, transB ? K : N, strideA, strideB, strideC].every((d) => d % 4 === 0);
}

export interface MatmulOptions {
  /**
   * Use the CPU kernels (no workgroup memory; matmul-direct-vec4.wgsl where a shape `fitsVec4`, else
   * matmul-direct.wgsl) for every product. Defaults to whether the adapter runs shaders on a CPU,
   * where loads, barriers and workgroup memory are dear; GPUs keep the tiled kernel.
   */
  direct?: boolean;
  /** With `direct`: whether matmul-direct-vec4.wgsl takes the shapes it can (default true; false for tests of matmul-direct.wgsl). */
  vec4?: boolean;
}

/**
 * The matmul family (shaders/matmul.wgsl, matmul-direct.wgsl, matmul-direct-vec4.wgsl): the generic
 * batched product and the linear layer built on it. Each product's pipeline is specialised on its
 * layout, epilogue and accumulation and built on first use (Gpu.kernelNow), so that a model compiles
 * only the handful it runs.
 */
export class Matmul {
  private constructor(
    private readonly gpu: Gpu,
    /** The general kernel, and the one for shapes that `fitsVec4` (null: the general one takes them too). */
    private readonly general: MatmulShader,
    private readonly vec4: MatmulShader | null,
    /** Bound as aux when the epilogue has none (it is writable, so it cannot share gpu.dummy with the bias). */
    private readonly noAux: GPUBuffer,
  ) {}

  static async create(gpu: Gpu, { direct = runsOnCpu(gpu.adapter), vec4 = true }: MatmulOptions = {}): Promise<Matmul> {
    const general = direct ? DIRECT : TILED;
    const fast = direct && vec4 ? DIRECT_VEC4 : null;
    await Promise.all([general, ...(fast ? [fast] : [])].map(({ shader }) => gpu.loadShader(shader)));
    return new Matmul(gpu, general, fast, gpu.zeros(16, 'matmul.no-aux'));
  }

  /** Records C = alpha·op(A)·op(B) (+ bias) (+ C), through the epilogue if one is given. `bias` has N elements, or is null. */
  matmul(rec: Recorder, c: Binding, a: Binding, b: Binding, bias: Binding | null, shape: MatmulShape): void {
    const { M, N, K, batch = 1, transA = false, transB = false, alpha = 1, epilogue } = shape;
    const { strideA, strideB, strideC } = strides(shape);
    if (![M, N, K, batch].every((d) => Number.isInteger(d) && d >= 1))
      throw new Error(`matmul: dimensions must be positive integers, got M=${M} N=${N} K=${K} batch=${batch}`);
    const what = `matmul [batch ${batch}, M ${M}, N ${N}, K ${K}]`;
    requireLength(what, 'A', a, (batch - 1) * strideA + M * K);
    requireLength(what, 'B', b, (batch - 1) * strideB + K * N);
    requireLength(what, 'C', c, (batch - 1) * strideC + M * N);
    if (bias) requireLength(what, 'bias', bias, N);
    const variant = (transA ? 1 : 0) | (transB ? 2 : 0);
    const kind: EpilogueKind = epilogue?.kind ?? 'none';
    if (!LAYOUT_EPILOGUES[variant]!.includes(kind))
      throw new Error(`${what}: the ${kind} epilogue is not supported for ${LAYOUTS[variant]} (only ${LAYOUT_EPILOGUES[variant]!.join(', ')})`);
    if (epilogue?.kind === 'bias-gradient') {
      if (batch !== 1) throw new Error(`${what}: the bias-gradient epilogue needs Aᵀ·B over one batch`);
      requireLength(what, 'bias-gradient aux', epilogue.aux, N);
    } else if (epilogue) {
      requireLength(what, `${epilogue.kind} aux`, epilogue.aux, (batch - 1) * strideC + M * N);
    }
    const params = new ParamWriter()
      .u32(M)
      .u32(N)
      .u32(K)
      .u32(bias ? ADD_BIAS : 0)
      .u32(strideA)
      .u32(strideB)
      .u32(strideC)
      .f32(alpha)
      .finish();
    const bindings = [a, b, bias ?? this.gpu.dummy, c, epilogue?.aux ?? this.noAux];
    const { family, spec } = this.pipeline(shape);
    const grid = [Math.ceil(N / family.columns), Math.ceil(M / family.rows), batch] as const;
    this.gpu.kernelNow(spec).dispatch(rec, params, bindings, grid);
  }

  /** The kernel file and pipeline that run a product of `shape`. */
  private pipeline(shape: MatmulShape): { family: MatmulShader; spec: KernelSpec } {
    const { M, N, K, transA = false, transB = false, accumulate = false, epilogue } = shape;
    const family = this.vec4 && fitsVec4({ M, N, K, transA, transB, ...strides(shape) }) ? this.vec4 : this.general;
    const constants = { TRANS_A: transA, TRANS_B: transB, EPILOGUE: EPILOGUES[epilogue?.kind ?? 'none'], ACCUMULATE: accumulate };
    return { family, spec: { shader: family.shader, entry: 'matmul', constants } };
  }

  /**
   * Compiles in the background (in parallel where the runtime can) the pipelines that `forward` and
   * `backward` of a linear layer of these dims and fusion will run, so that its first step need not
   * build them on the spot. The pipelines depend on neither the number of rows nor the buffers.
   */
  async prepareLinear({ C, OC }: Pick<LinearDims, 'C' | 'OC'>, fusion: 'gelu' | 'residual' | null, withBias: boolean): Promise<void> {
    const fused = fusion === 'gelu' ? { preGelu: this.noAux } : fusion === 'residual' ? { residual: this.noAux } : {};
    const dims = { N: 1, C, OC };
    const shapes = [forwardShape(dims, fused), ...backwardShapes(dims, fused, withBias ? this.noAux : null)];
    await Promise.all(shapes.map((shape) => this.gpu.kernel(this.pipeline(shape).spec)));
  }

  /** out = inp·weight + bias, or what `fused` makes of it. */
  forward(rec: Recorder, out: Binding, inp: Binding, weight: Binding, bias: Binding | null, dims: LinearDims, fused: LinearFusion = {}): void {
    this.matmul(rec, out, inp, weight, bias, forwardShape(dims, fused));
  }

  /**
   * Accumulates dinp += dout·weightᵀ (times gelu'(preGelu) when `fused.preGelu`: the gradient through
   * the GELU that made inp), dweight += inpᵀ·dout and dbias += Σ_rows dout (in dweight's epilogue).
   */
  backward(
    rec: Recorder,
    dinp: Binding,
    dweight: Binding,
    dbias: Binding | null,
    dout: Binding,
    inp: Binding,
    weight: Binding,
    dims: LinearDims,
    fused: LinearFusion = {},
  ): void {
    if (fused.residual) throw new Error('Matmul.backward: a fused residual needs nothing in the backward (d.residual passes through)');
    const [input, weights] = backwardShapes(dims, fused, dbias);
    this.matmul(rec, dinp, dout, weight, null, input);
    this.matmul(rec, dweight, inp, dout, null, weights);
  }
}

/** The batch strides of a product: as given, else those of dense batches. */
function strides({ M, N, K, strideA = M * K, strideB = K * N, strideC = M * N }: MatmulShape): { strideA: number; strideB: number; strideC: number } {
  return { strideA, strideB, strideC };
}

/** The product of a linear layer's forward. */
function forwardShape({ N, C, OC }: LinearDims, fused: LinearFusion): MatmulShape {
  if (fused.preGelu && fused.residual) throw new Error('Matmul.forward: fuse GELU or a residual, not both');
  const epilogue = fused.preGelu
    ? { kind: 'gelu' as const, aux: fused.preGelu }
    : fused.residual
      ? { kind: 'residual' as const, aux: fused.residual }
      : undefined;
  return { M: N, N: OC, K: C, epilogue };
}

/** The products of a linear layer's backward: the input gradient's, then the weight gradient's (with the bias gradient when `dbias`). */
function backwardShapes({ N, C, OC }: LinearDims, fused: LinearFusion, dbias: Binding | null): [MatmulShape, MatmulShape] {
  const epilogue = fused.preGelu ? { kind: 'gelu-backward' as const, aux: fused.preGelu } : undefined;
  return [
    { M: N, N: C, K: OC, transB: true, accumulate: true, epilogue },
    { M: C, N: OC, K: N, transA: true, accumulate: true, epilogue: dbias ? { kind: 'bias-gradient', aux: dbias } : undefined },
  ];
}
