import type { AttentionDims } from '../kernels/attention';

type Floats = ArrayLike<number>;

/** Float64 reference of Attention.forward: out [B,T,C], att [B,NH,T,T] (probabilities, 0 where t' > t), qkv [B,T,3C]. */
export function attentionForward(out: Float64Array, att: Float64Array, qkv: Floats, { B, T, C, NH }: AttentionDims): void {
  const hs = C / NH;
  const scale = 1 / Math.sqrt(hs);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < NH; h++) {
      for (let t = 0; t < T; t++) {
        const q = (b * T + t) * 3 * C + h * hs;
        const row = ((b * NH + h) * T + t) * T;
        let max = -Infinity;
        for (let u = 0; u <= t; u++) {
          const k = (b * T + u) * 3 * C + C + h * hs;
          let s = 0;
          for (let d = 0; d < hs; d++) s += qkv[q + d]! * qkv[k + d]!;
          att[row + u] = s * scale;
          max = Math.max(max, s * scale);
        }
        let sum = 0;
        for (let u = 0; u <= t; u++) {
          att[row + u] = Math.exp(att[row + u]! - max);
          sum += att[row + u]!;
        }
        for (let u = 0; u < T; u++) att[row + u] = u <= t ? att[row + u]! / sum : 0;
        const o = (b * T + t) * C + h * hs;
        for (let d = 0; d < hs; d++) {
          let y = 0;
          for (let u = 0; u <= t; u++) y += att[row + u]! * qkv[(b * T + u) * 3 * C + 2 * C + h * hs + d]!;
          out[o + d] = y;
        }
      }
    }
  }
}

/**
 * Float64 reference of Attention.backward: dqkv [B,T,3C] accumulates; datt [B,NH,T,T] is scratch,
 * left holding ∂loss/∂att; dout [B,T,C]; att the forward's probabilities.
 */
export function attentionBackward(dqkv: Float64Array, datt: Float64Array, dout: Floats, qkv: Floats, att: Floats, { B, T, C, NH }: AttentionDims): void {
  const hs = C / NH;
  const scale = 1 / Math.sqrt(hs);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < NH; h++) {
      for (let t = 0; t < T; t++) {
        const row = ((b * NH + h) * T + t) * T;
        const q = (b * T + t) * 3 * C + h * hs;
        const o = (b * T + t) * C + h * hs;
        // datt[t, u] = dout[t]·v[u], and Σ_u att[t, u]·datt[t, u] for the softmax backward
        let attDotDatt = 0;
        for (let u = 0; u <= t; u++) {
          const v = (b * T + u) * 3 * C + 2 * C + h * hs;
          let g = 0;
          for (let d = 0; d < hs; d++) g += dout[o + d]! * qkv[v + d]!;
          datt[row + u] = g;
          attDotDatt += att[row + u]! * g;
        }
        for (let u = 0; u <= t; u++) {
          const k = (b * T + u) * 3 * C + C + h * hs;
          const a = att[row + u]!;
          const dpre = a * (datt[row + u]! - attDotDatt);
          for (let d = 0; d < hs; d++) {
            dqkv[q + d] = dqkv[q + d]! + scale * dpre * qkv[k + d]!;
            dqkv[k + d] = dqkv[k + d]! + scale * dpre * qkv[q + d]!;
            dqkv[k + C + d] = dqkv[k + C + d]! + a * dout[o + d]!;
          }
        }
      }
    }
  }
}
