import { type Binding, requireLength } from '../gpu/binding';
import { runsOnCpu } from '../gpu/device';
import type { Gpu } from '../gpu/gpu';
import { type Kernel, type KernelSpec, ParamWriter } from '../gpu/kernel';
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
/** The uniform flags (cheap enough to test at run time). */
const ADD_BIAS = 1;
const ACCUMULATE = 2;

/** Layouts, indexed by (transA ? 1 : 0) | (transB ? 2 : 0). */
const LAYOUTS = ['A·B', 'Aᵀ·B', 'A·Bᵀ', 'Aᵀ·Bᵀ'] as const;
/** The epilogues each layout is compiled with: a linear layer's forward (A·B), weight gradient (Aᵀ·B) and input gradient (A·Bᵀ). */
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

/** The block of C one workgroup computes (shaders/matmul.wgsl TM = TN). */
const TILE = 32;

/** The block of C one workgroup of shaders/matmul-direct.wgsl computes: 64 rows × 32 columns. */
const DIRECT_ROWS = 64;
const DIRECT_COLUMNS = 32;

export interface MatmulOptions {
  /**
   * Use matmul-direct.wgsl (no workgroup memory, 16×8 register blocks) for every product. Defaults to
   * whether the adapter runs shaders on a CPU, where loads, barriers and workgroup memory are dear;
   * GPUs keep the tiled kernel.
   */
  direct?: boolean;
}

/** The matmul family (shaders/matmul.wgsl, matmul-direct.wgsl): the generic batched product and the linear layer built on it. */
export class Matmul {
  private constructor(
    private readonly gpu: Gpu,
    /** Keyed by layout index and epilogue, `${variant} ${kind}`: matmul-direct.wgsl on a CPU adapter, else matmul.wgsl. */
    private readonly kernels: Map<string, Kernel>,
    /** The workgroup's block of C. */
    private readonly block: { rows: number; columns: number },
    /** Bound as aux when the epilogue has none (it is writable, so it cannot share gpu.dummy with the bias). */
    private readonly noAux: GPUBuffer,
  ) {}

  static async create(gpu: Gpu, { direct = runsOnCpu(gpu.adapter) }: MatmulOptions = {}): Promise<Matmul> {
    const shader = direct ? 'matmul-direct' : 'matmul';
    const kernels = new Map<string, Kernel>();
    await Promise.all(LAYOUT_EPILOGUES.flatMap((kinds, v) => kinds.map(async (kind) => {
      const spec: KernelSpec = { shader, entry: 'matmul', constants: { TRANS_A: (v & 1) === 1, TRANS_B: (v & 2) === 2, EPILOGUE: EPILOGUES[kind] } };
      kernels.set(`${v} ${kind}`, await gpu.kernel(spec));
    })));
    const block = direct ? { rows: DIRECT_ROWS, columns: DIRECT_COLUMNS } : { rows: TILE, columns: TILE };
    return new Matmul(gpu, kernels, block, gpu.zeros(16, 'matmul.no-aux'));
  }

  /** Records C = alpha·op(A)·op(B) (+ bias) (+ C), through the epilogue if one is given. `bias` has N elements, or is null. */
  matmul(rec: Recorder, c: Binding, a: Binding, b: Binding, bias: Binding | null, shape: MatmulShape): void {
    const { M, N, K, batch = 1, transA = false, transB = false, alpha = 1, accumulate = false, epilogue } = shape;
    const strideA = shape.strideA ?? M * K;
    const strideB = shape.strideB ?? K * N;
    const strideC = shape.strideC ?? M * N;
    if (![M, N, K, batch].every((d) => Number.isInteger(d) && d >= 1)) throw new Error(`matmul: dimensions must be positive integers, got M=${M} N=${N} K=${K} batch=${batch}`);
    const what = `matmul [batch ${batch}, M ${M}, N ${N}, K ${K}]`;
    requireLength(what, 'A', a, (batch - 1) * strideA + M * K);
    requireLength(what, 'B', b, (batch - 1) * strideB + K * N);
    requireLength(what, 'C', c, (batch - 1) * strideC + M * N);
    if (bias) requireLength(what, 'bias', bias, N);
    const variant = (transA ? 1 : 0) | (transB ? 2 : 0);
    const kind: EpilogueKind = epilogue?.kind ?? 'none';
    if (!LAYOUT_EPILOGUES[variant]!.includes(kind)) throw new Error(`${what}: the ${kind} epilogue is not compiled for ${LAYOUTS[variant]} (only ${LAYOUT_EPILOGUES[variant]!.join(', ')})`);
    if (epilogue?.kind === 'bias-gradient') {
      if (batch !== 1) throw new Error(`${what}: the bias-gradient epilogue needs Aᵀ·B over one batch`);
      requireLength(what, 'bias-gradient aux', epilogue.aux, N);
    } else if (epilogue) {
      requireLength(what, `${epilogue.kind} aux`, epilogue.aux, (batch - 1) * strideC + M * N);
    }
    const params = new ParamWriter()
      .u32(M).u32(N).u32(K).u32((bias ? ADD_BIAS : 0) | (accumulate ? ACCUMULATE : 0))
      .u32(strideA).u32(strideB).u32(strideC).f32(alpha)
      .finish();
    const bindings = [a, b, bias ?? this.gpu.dummy, c, epilogue?.aux ?? this.noAux];
    const grid = [Math.ceil(N / this.block.columns), Math.ceil(M / this.block.rows), batch] as const;
    this.kernels.get(`${variant} ${kind}`)!.dispatch(rec, params, bindings, grid);
  }

  /** out = inp·weight + bias, or what `fused` makes of it. */
  forward(rec: Recorder, out: Binding, inp: Binding, weight: Binding, bias: Binding | null, { N, C, OC }: LinearDims, fused: LinearFusion = {}): void {
    if (fused.preGelu && fused.residual) throw new Error('Matmul.forward: fuse GELU or a residual, not both');
    const epilogue = fused.preGelu ? { kind: 'gelu' as const, aux: fused.preGelu } : fused.residual ? { kind: 'residual' as const, aux: fused.residual } : undefined;
    this.matmul(rec, out, inp, weight, bias, { M: N, N: OC, K: C, epilogue });
  }

  /**
   * Accumulates dinp += dout·weightᵀ (times gelu'(preGelu) when `fused.preGelu`: the gradient through
   * the GELU that made inp), dweight += inpᵀ·dout and dbias += Σ_rows dout (in dweight's epilogue).
   */
  backward(rec: Recorder, dinp: Binding, dweight: Binding, dbias: Binding | null, dout: Binding, inp: Binding, weight: Binding, { N, C, OC }: LinearDims, fused: LinearFusion = {}): void {
    if (fused.residual) throw new Error('Matmul.backward: a fused residual needs nothing in the backward (d.residual passes through)');
    const epilogue = fused.preGelu ? { kind: 'gelu-backward' as const, aux: fused.preGelu } : undefined;
    this.matmul(rec, dinp, dout, weight, null, { M: N, N: C, K: OC, transB: true, accumulate: true, epilogue });
    this.matmul(rec, dweight, inp, dout, null, { M: C, N: OC, K: N, transA: true, accumulate: true, epilogue: dbias ? { kind: 'bias-gradient', aux: dbias } : undefined });
  }
}
