import { type Binding, requireLength } from '../gpu/binding';
import { runsOnCpu } from '../gpu/device';
import type { Gpu } from '../gpu/gpu';
import { type Kernel, type KernelSpec, ParamWriter } from '../gpu/kernel';
import type { Recorder } from '../gpu/recorder';
import { grid2d } from './grid';

/** Causal self-attention over B sequences of T positions, C channels split into NH heads. */
export interface AttentionDims {
  B: number;
  T: number;
  C: number;
  NH: number;
}

/** One KV-cache decoding step for R rows (sequences). */
export interface DecodeDims {
  R: number;
  C: number;
  NH: number;
  /** position of the new token, 0-based */
  pos: number;
  /** cache capacity in positions */
  maxT: number;
}

/** forward, backward query pass, backward key pass. */
type TrainingKernels = [Kernel, Kernel, Kernel];

/** Query (and key) rows per workgroup in shaders/attention.wgsl. */
const ROWS = 16;
/** Invocations per workgroup of attention-rows.wgsl (one per row of any sequence and head) and of attention_decode_heads (one per head of any row). */
const ROWS_PER_WORKGROUP = 64;

export interface AttentionOptions {
  /**
   * Train with attention-rows.wgsl (one invocation per row) and decode with one invocation per
   * head of a row, neither with workgroup memory. Defaults to whether the adapter runs shaders on a CPU,
   * where barriers are dear; GPUs keep the tiled kernels.
   */
  rows?: boolean;
}
/** The kernels stage up to 64 head columns per row in workgroup memory (and attention_decode_heads holds as many in registers). */
const MAX_HEAD_SIZE = 64;

function positiveIntegers(what: string, dims: object): void {
  for (const [name, value] of Object.entries(dims)) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${what}: ${name} must be a positive integer, got ${value}`);
  }
}

/** Columns per head; throws unless C splits evenly into NH heads of at most MAX_HEAD_SIZE. */
function headSize(what: string, C: number, NH: number): number {
  const hs = C / NH;
  if (!Number.isInteger(hs) || hs > MAX_HEAD_SIZE) throw new Error(`${what}: C=${C} must split into NH=${NH} heads of at most ${MAX_HEAD_SIZE} columns`);
  return hs;
}

/** attention_decode_heads for heads of hs columns (hs % 4 = 0): the head's quads are an override constant. */
function decodeByHeadsSpec(hs: number): KernelSpec {
  return { shader: 'attention-decode', entry: 'attention_decode_heads', constants: { HEAD_QUADS: hs / 4 } };
}

/** The attention family (shaders/attention.wgsl, shaders/attention-decode.wgsl). */
export class Attention {
  private constructor(
    private readonly tiled: TrainingKernels,
    /** attention-rows.wgsl's (one invocation per row, head columns in quads), where chosen; heads of hs % 4 ≠ 0 take the tiled ones. */
    private readonly byRows: TrainingKernels | null,
    /** One workgroup per (row, head): attention_decode. */
    private readonly decodeKernel: Kernel,
    /**
     * Whether to decode with attention_decode_heads (one invocation per (row, head), the head's quads
     * in registers; one pipeline per head size, built on first use); heads of hs % 4 ≠ 0 take decodeKernel.
     */
    private readonly decodeByHeads: boolean,
    private readonly fillKernel: Kernel,
    private readonly gpu: Gpu,
  ) {}

  static async create(gpu: Gpu, { rows = runsOnCpu(gpu.adapter) }: AttentionOptions = {}): Promise<Attention> {
    const training = async (shader: 'attention' | 'attention-rows'): Promise<TrainingKernels> => {
      const suffix = shader === 'attention-rows' ? '_rows' : '';
      const [forward, query, key] = await Promise.all(
        ['forward', 'backward_query', 'backward_key'].map((pass) => gpu.kernel({ shader, entry: `attention_${pass}${suffix}` })),
      );
      return [forward!, query!, key!];
    };
    const [tiled, byRows, decode, fill] = await Promise.all([
      training('attention'),
      rows ? training('attention-rows') : null,
      gpu.kernel({ shader: 'attention-decode', entry: 'attention_decode' }),
      gpu.kernel({ shader: 'attention-decode', entry: 'kv_fill' }),
      gpu.loadShader('attention-decode'),
    ]);
    return new Attention(tiled, byRows, decode, rows, fill, gpu);
  }

  /** Compiles in the background the decode pipeline for heads of C / NH columns, so that the first decode step need not build it on the spot. */
  async prepareDecode(C: number, NH: number): Promise<void> {
    const hs = headSize(`attention decode [C ${C}, NH ${NH}]`, C, NH);
    if (this.decodeByHeads && hs % 4 === 0) await this.gpu.kernel(decodeByHeadsSpec(hs));
  }

  /** out [B*T*C] = softmax(q·kᵀ/√hs, causal)·v per head; att [B*NH*T*T] saves the probabilities. qkv [B*T*3C]. */
  forward(rec: Recorder, out: Binding, att: Binding, qkv: Binding, dims: AttentionDims): void {
    const { params, workgroups, what, kernels } = this.training('attention forward', dims);
    const { B, T, C, NH } = dims;
    requireLength(what, 'out', out, B * T * C);
    requireLength(what, 'att', att, B * NH * T * T);
    requireLength(what, 'qkv', qkv, B * T * 3 * C);
    kernels[0].dispatch(rec, params, [qkv, out, att], workgroups);
  }

  /** Accumulates dqkv [B*T*3C] from dout [B*T*C]; datt [B*NH*T*T] is scratch (overwritten). */
  backward(rec: Recorder, dqkv: Binding, datt: Binding, dout: Binding, qkv: Binding, att: Binding, dims: AttentionDims): void {
    const { params, workgroups, what, kernels } = this.training('attention backward', dims);
    const { B, T, C, NH } = dims;
    requireLength(what, 'dqkv', dqkv, B * T * 3 * C);
    requireLength(what, 'datt', datt, B * NH * T * T);
    requireLength(what, 'dout', dout, B * T * C);
    requireLength(what, 'qkv', qkv, B * T * 3 * C);
    requireLength(what, 'att', att, B * NH * T * T);
    const buffers = [qkv, dout, att, dqkv, datt];
    // The key pass reads the dpre that the query pass leaves in datt: two dispatches, in order.
    kernels[1].dispatch(rec, params, buffers, workgroups);
    kernels[2].dispatch(rec, params, buffers, workgroups);
  }

  /**
   * One decoding step for R rows at position `pos`: qkv [R*3C] is the new token's fused projection;
   * kcache and vcache [R, maxT, C] are this layer's cache. Stores the new k and v at `pos`, then
   * out [R*C] = attention of the new q over cache positions 0..pos.
   */
  decode(rec: Recorder, out: Binding, kcache: Binding, vcache: Binding, qkv: Binding, dims: DecodeDims): void {
    const { R, C, NH, pos, maxT } = dims;
    const what = `attention decode [R ${R}, C ${C}, NH ${NH}, pos ${pos}, maxT ${maxT}]`;
    positiveIntegers(what, { R, C, NH, maxT });
    if (!Number.isInteger(pos) || pos < 0 || pos >= maxT) throw new Error(`${what}: pos must be an integer in 0..${maxT - 1}`);
    const hs = headSize(what, C, NH);
    requireLength(what, 'out', out, R * C);
    requireLength(what, 'kcache', kcache, R * maxT * C);
    requireLength(what, 'vcache', vcache, R * maxT * C);
    requireLength(what, 'qkv', qkv, R * 3 * C);
    const params = new ParamWriter()
      .u32(C)
      .u32(NH)
      .u32(hs)
      .u32(pos)
      .u32(maxT)
      .f32(1 / Math.sqrt(hs))
      .u32(R)
      .finish();
    const buffers = [qkv, kcache, vcache, out];
    if (this.decodeByHeads && hs % 4 === 0) {
      this.gpu.kernelNow(decodeByHeadsSpec(hs)).dispatch(rec, params, buffers, grid2d(Math.ceil((R * NH) / ROWS_PER_WORKGROUP)));
    } else {
      this.decodeKernel.dispatch(rec, params, buffers, [NH, R]);
    }
  }

  /**
   * Stores k and v of positions 0..T−1 of R rows from a full forward pass's qkv [R*T*3C] into this
   * layer's kcache and vcache [R, maxT, C]: what T decode steps would have stored.
   */
  fillCache(rec: Recorder, kcache: Binding, vcache: Binding, qkv: Binding, { R, T, C, maxT }: { R: number; T: number; C: number; maxT: number }): void {
    const what = `attention kv_fill [R ${R}, T ${T}, C ${C}, maxT ${maxT}]`;
    positiveIntegers(what, { R, T, C, maxT });
    if (T > maxT) throw new Error(`${what}: T must be at most maxT`);
    requireLength(what, 'qkv', qkv, R * T * 3 * C);
    requireLength(what, 'kcache', kcache, R * maxT * C);
    requireLength(what, 'vcache', vcache, R * maxT * C);
    const params = new ParamWriter().u32(R).u32(T).u32(C).u32(maxT).finish();
    this.fillKernel.dispatch(rec, params, [qkv, kcache, vcache], grid2d(Math.ceil((R * T * C) / 256)));
  }

  /** Checks training dims and packs what forward and backward share. */
  private training(kernel: string, dims: AttentionDims) {
    const { B, T, C, NH } = dims;
    const what = `${kernel} [B ${B}, T ${T}, C ${C}, NH ${NH}]`;
    positiveIntegers(what, { B, T, C, NH });
    const hs = headSize(what, C, NH);
    const params = new ParamWriter()
      .u32(T)
      .u32(C)
      .u32(NH)
      .u32(hs)
      .f32(1 / Math.sqrt(hs))
      .u32(B)
      .finish();
    const byRows = hs % 4 === 0 ? this.byRows : null;
    const workgroups = byRows ? grid2d(Math.ceil((B * NH * T) / ROWS_PER_WORKGROUP)) : ([Math.ceil(T / ROWS), NH, B] as const);
    return { params, workgroups, what, kernels: byRows ?? this.tiled };
  }
}
