import { type Binding, requireLength } from '../gpu/binding';
import type { Gpu } from '../gpu/gpu';
import { type Kernel, ParamWriter } from '../gpu/kernel';
import type { Recorder } from '../gpu/recorder';
import { grid2d } from './grid';

/** Token + position embedding of B sequences of T tokens into C channels, from a vocabulary of V. */
export interface EncoderDims {
  B: number;
  T: number;
  C: number;
  V: number;
  /** position of the first token (KV-cache decoding embeds one token at position pos0); default 0 */
  pos0?: number;
}

/** The encoder family (shaders/encoder.wgsl): out = wte[tokens] + wpe[pos0 + t]. */
export class Encoder {
  private constructor(
    private readonly forwardKernel: Kernel,
    private readonly wteBackward: Kernel,
    private readonly wpeBackward: Kernel,
  ) {}

  static async create(gpu: Gpu): Promise<Encoder> {
    const [forward, wte, wpe] = await Promise.all(['encoder_forward', 'wte_backward', 'wpe_backward'].map((entry) => gpu.kernel({ shader: 'encoder', entry })));
    return new Encoder(forward!, wte!, wpe!);
  }

  /** out[b,t,:] = wte[tokens[b,t], :] + wpe[pos0 + t, :]. tokens: u32 [B*T]; wte [V*C]; wpe [maxT*C]; out [B*T*C]. */
  forward(rec: Recorder, out: Binding, tokens: Binding, wte: Binding, wpe: Binding, dims: EncoderDims): void {
    const d = checkDims(dims);
    const { B, T, C, V, pos0 } = d;
    const what = encoderName('encoder_forward', d);
    requireLength(what, 'out', out, B * T * C);
    requireLength(what, 'tokens', tokens, B * T);
    requireLength(what, 'wte', wte, V * C);
    requireLength(what, 'wpe', wpe, (pos0 + T) * C);
    this.forwardKernel.dispatch(rec, params(d), [out, tokens, wte, wpe], grid2d(Math.ceil((B * T * C) / 256)));
  }

  /** Accumulates dwte[v,:] += Σ_{tokens[b,t] = v} dout[b,t,:] and dwpe[pos0 + t,:] += Σ_b dout[b,t,:]. */
  backward(rec: Recorder, dwte: Binding, dwpe: Binding, dout: Binding, tokens: Binding, dims: EncoderDims): void {
    const d = checkDims(dims);
    const { B, T, C, V, pos0 } = d;
    const what = encoderName('encoder_backward', d);
    requireLength(what, 'dwte', dwte, V * C);
    requireLength(what, 'dwpe', dwpe, (pos0 + T) * C);
    requireLength(what, 'dout', dout, B * T * C);
    requireLength(what, 'tokens', tokens, B * T);
    const words = params(d);
    this.wteBackward.dispatch(rec, words, [dwte, dout, tokens], [Math.ceil(C / 64), V]);
    this.wpeBackward.dispatch(rec, words, [dwpe, dout], grid2d(Math.ceil((T * C) / 256)));
  }
}

function checkDims(dims: EncoderDims): Required<EncoderDims> {
  const { B, T, C, V, pos0 = 0 } = dims;
  if (![B, T, C, V].every((d) => Number.isInteger(d) && d >= 1) || !(Number.isInteger(pos0) && pos0 >= 0)) {
    throw new Error(`${encoderName('encoder', dims)}: B, T, C, V must be positive integers and pos0 a non-negative integer`);
  }
  return { B, T, C, V, pos0 };
}

function encoderName(kernel: string, { B, T, C, V, pos0 = 0 }: EncoderDims): string {
  return `${kernel} [B ${B}, T ${T}, C ${C}, V ${V}, pos0 ${pos0}]`;
}

function params({ B, T, C, V, pos0 }: Required<EncoderDims>): Uint32Array<ArrayBuffer> {
  return new ParamWriter()
    .u32(B * T)
    .u32(T)
    .u32(C)
    .u32(V)
    .u32(pos0)
    .finish();
}
