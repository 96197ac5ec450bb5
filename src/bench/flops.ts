import type { ModelConfig } from '../model/config';

/**
 * Floating-point operations of one forward pass over B sequences of T tokens, counting the
 * matrix products only (2 per multiply-add; LayerNorm, GELU, softmax and the embedding gather are
 * a few per element and left out):
 *   per token, per layer: QKV 2·D·3D + output projection 2·D·D + MLP 2·D·4D + 2·4D·D = 24·D²;
 *   per token: LM head 2·D·V;
 *   per sequence, per layer: causal attention — a query at position t meets t+1 keys, in QKᵀ and
 *   in A·V, 2·2·D·(t+1) — summed over t: 2·D·T·(T+1).
 *   forward = B·T·(24·L·D² + 2·D·V) + 2·B·L·D·T·(T+1).
 */
export function forwardFlops(c: ModelConfig, B: number, T: number): number {
  const { dim: D, layers: L, vocabSize: V } = c;
  return B * T * (24 * L * D * D + 2 * D * V) + 2 * B * L * D * T * (T + 1);
}

/** A training step: the forward, and a backward that costs two forwards (each product's gradient for its input and for its weight). */
export function trainStepFlops(c: ModelConfig, B: number, T: number): number {
  return 3 * forwardFlops(c, B, T);
}
