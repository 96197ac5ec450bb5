import { type Binding, requireLength } from '../gpu/binding';
import { runsOnCpu } from '../gpu/device';
import type { Gpu } from '../gpu/gpu';
import { type Kernel, ParamWriter } from '../gpu/kernel';
import type { Recorder } from '../gpu/recorder';
import { grid2d } from './grid';

/** LayerNorm over the last dimension of N rows of C channels. */
export interface LayerNormDims {
  N: number;
  C: number;
}

export const LAYERNORM_EPS = 1e-5;

export interface LayerNormOptions {
  /**
   * Invocations sharing one row in the row kernels (a power of two ≤ 64): 16 on a GPU; 1 on a CPU
   * adapter, where one invocation per row needs no barrier. Defaults by the adapter.
   */
  rowLanes?: number;
}

/** Invocations per workgroup of the row kernels with more than one lane per row: ROW_LANES × ROWS in shaders/layernorm.wgsl. */
const ROW_KERNEL_INVOCATIONS = 64;
/** Rows per workgroup with one invocation per row (CPU adapters): a workgroup runs on one core, so 64 rows make 4. */
const CPU_ROWS = 16;
/** Columns per workgroup of the weight/bias gradient kernel (shaders/layernorm.wgsl LANES). */
const COLUMNS = 64;

/** The LayerNorm family (shaders/layernorm.wgsl); forward saves mean and rstd for backward. */
export class LayerNorm {
  private constructor(
    private readonly forwardKernel: Kernel,
    private readonly inputBackward: Kernel,
    private readonly paramsBackward: Kernel,
    /** Rows per workgroup of the row kernels. */
    private readonly rows: number,
  ) {}

  static async create(gpu: Gpu, { rowLanes = runsOnCpu(gpu.adapter) ? 1 : 16 }: LayerNormOptions = {}): Promise<LayerNorm> {
    if (!(rowLanes >= 1 && rowLanes <= ROW_KERNEL_INVOCATIONS && Number.isInteger(Math.log2(rowLanes))))
      throw new Error(`layernorm: rowLanes must be a power of two ≤ ${ROW_KERNEL_INVOCATIONS}, got ${rowLanes}`);
    const rows = rowLanes === 1 ? CPU_ROWS : ROW_KERNEL_INVOCATIONS / rowLanes;
    const constants = { ROW_LANES: rowLanes, ROWS: rows };
    const [forward, input, params] = await Promise.all([
      gpu.kernel({ shader: 'layernorm', entry: 'layernorm_forward', constants }),
      gpu.kernel({ shader: 'layernorm', entry: 'layernorm_backward_input', constants }),
      gpu.kernel({ shader: 'layernorm', entry: 'layernorm_backward_params' }),
    ]);
    return new LayerNorm(forward, input, params, rows);
  }

  /** out = (inp − mean)·rstd·weight + bias per row. out [N*C], mean [N], rstd [N], inp [N*C], weight [C], bias [C]. */
  forward(rec: Recorder, out: Binding, mean: Binding, rstd: Binding, inp: Binding, weight: Binding, bias: Binding, dims: LayerNormDims): void {
    const { N, C } = checkDims(dims);
    const what = `layernorm_forward [N ${N}, C ${C}]`;
    requireLength(what, 'out', out, N * C);
    requireLength(what, 'mean', mean, N);
    requireLength(what, 'rstd', rstd, N);
    requireLength(what, 'inp', inp, N * C);
    requireLength(what, 'weight', weight, C);
    requireLength(what, 'bias', bias, C);
    this.forwardKernel.dispatch(rec, params(dims), [out, mean, rstd, inp, weight, bias], grid2d(Math.ceil(N / this.rows)));
  }

  /** Accumulates dinp, dweight and dbias from dout, the forward's input and its saved mean and rstd. */
  backward(
    rec: Recorder,
    dinp: Binding,
    dweight: Binding,
    dbias: Binding,
    dout: Binding,
    inp: Binding,
    weight: Binding,
    mean: Binding,
    rstd: Binding,
    dims: LayerNormDims,
  ): void {
    const { N, C } = checkDims(dims);
    const what = `layernorm_backward [N ${N}, C ${C}]`;
    requireLength(what, 'dinp', dinp, N * C);
    requireLength(what, 'dweight', dweight, C);
    requireLength(what, 'dbias', dbias, C);
    requireLength(what, 'dout', dout, N * C);
    requireLength(what, 'inp', inp, N * C);
    requireLength(what, 'weight', weight, C);
    requireLength(what, 'mean', mean, N);
    requireLength(what, 'rstd', rstd, N);
    const words = params(dims);
    this.inputBackward.dispatch(rec, words, [dinp, dout, inp, weight, mean, rstd], grid2d(Math.ceil(N / this.rows)));
    this.paramsBackward.dispatch(rec, words, [dweight, dbias, dout, inp, mean, rstd], [Math.ceil(C / COLUMNS)]);
  }
}

function checkDims(dims: LayerNormDims): LayerNormDims {
  const { N, C } = dims;
  if (![N, C].every((d) => Number.isInteger(d) && d >= 1)) throw new Error(`layernorm: N and C must be positive integers, got N=${N} C=${C}`);
  return dims;
}

function params({ N, C }: LayerNormDims): Uint32Array<ArrayBuffer> {
  return new ParamWriter().u32(N).u32(C).finish();
}
