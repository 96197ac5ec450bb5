import { normalRng, uniformRng } from '../util/rng';
import type { ModelConfig } from './config';
import type { ParameterLayout } from './layout';

/**
 * GPT-2 initialisation, seeded: weights and embeddings N(0, 0.02); residual projections
 * (attn.proj.w, mlp.proj.w) N(0, 0.02/√(2L)), so the residual stream's variance does not grow with
 * depth; biases 0; LayerNorm weights 1 and biases 0. Padding between tensors stays 0.
 */
export function initParameters(config: ModelConfig, layout: ParameterLayout, seed: number): Float32Array<ArrayBuffer> {
  const params = new Float32Array(layout.total);
  const normal = normalRng(uniformRng(seed));
  const residualStd = 0.02 / Math.sqrt(2 * config.layers);
  for (const { name, offset, size } of layout.tensors) {
    const kind = name.split('.').slice(-2).join('.');
    if (name.endsWith('.b')) continue; // biases (LayerNorm's included) start at 0
    if (kind === 'ln1.w' || kind === 'ln2.w' || name === 'lnf.w') {
      params.fill(1, offset, offset + size);
      continue;
    }
    const std = kind === 'proj.w' ? residualStd : 0.02;
    for (let i = 0; i < size; i++) params[offset + i] = std * normal();
  }
  return params;
}
