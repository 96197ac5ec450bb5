import type { EncoderDims } from '../kernels/encoder';

type Floats = ArrayLike<number>;

/** out[b,t,:] = wte[tokens[b,t], :] + wpe[pos0 + t, :] (Encoder.forward); ids past V − 1 read row V − 1. */
export function encoderForward(out: Float64Array, tokens: Floats, wte: Floats, wpe: Floats, { B, T, C, V, pos0 = 0 }: EncoderDims): void {
  for (let row = 0; row < B * T; row++) {
    const v = Math.min(tokens[row]!, V - 1);
    const pos = pos0 + (row % T);
    for (let c = 0; c < C; c++) out[row * C + c] = wte[v * C + c]! + wpe[pos * C + c]!;
  }
}

/** dwte[v,:] += Σ_{tokens[b,t] = v} dout[b,t,:]; dwpe[pos0 + t,:] += Σ_b dout[b,t,:] (Encoder.backward). */
export function encoderBackward(dwte: Float64Array, dwpe: Float64Array, dout: Floats, tokens: Floats, { B, T, C, V, pos0 = 0 }: EncoderDims): void {
  for (let row = 0; row < B * T; row++) {
    const v = Math.min(tokens[row]!, V - 1);
    const pos = pos0 + (row % T);
    for (let c = 0; c < C; c++) {
      dwte[v * C + c] = dwte[v * C + c]! + dout[row * C + c]!;
      dwpe[pos * C + c] = dwpe[pos * C + c]! + dout[row * C + c]!;
    }
  }
}
