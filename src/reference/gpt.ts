import type { ModelConfig } from '../model/config';
import { type ParameterLayout, parameterLayout, tensor } from '../model/layout';
import { attentionBackward, attentionForward } from './attention';
import { crossEntropyBackward, crossEntropyForward } from './crossentropy';
import { encoderBackward, encoderForward } from './encoder';
import { geluBackward, geluForward } from './gelu';
import { layernormBackward, layernormForward } from './layernorm';
import { linearBackward, linearForward } from './matmul';
import { residualForward } from './residual';

/**
 * The GPT in float64 on the CPU, built from the same layer functions the kernels are checked
 * against: the oracle for whole-model gradient tests. Parameters and gradients are flat arrays in
 * the model's layout; the activation names follow src/model/activations.ts.
 */
export interface ReferenceBlock {
  ln1: Float64Array;
  ln1Mean: Float64Array;
  ln1Rstd: Float64Array;
  qkv: Float64Array;
  atty: Float64Array;
  att: Float64Array;
  attproj: Float64Array;
  residual2: Float64Array;
  ln2: Float64Array;
  ln2Mean: Float64Array;
  ln2Rstd: Float64Array;
  fch: Float64Array;
  fchGelu: Float64Array;
  fcproj: Float64Array;
  residual3: Float64Array;
}

export interface ReferenceForward {
  B: number;
  T: number;
  encoded: Float64Array;
  blocks: ReferenceBlock[];
  lnf: Float64Array;
  lnfMean: Float64Array;
  lnfRstd: Float64Array;
  logits: Float64Array; // [BT, V]
  probs: Float64Array; // [BT, V]
  losses: Float64Array; // [BT]
  /** Mean cross-entropy over the counted targets (NaN without targets). */
  loss: number;
  counted: number;
}

const IGNORE = 0xffffffff;

function views(params: Float64Array, layout: ParameterLayout) {
  return (name: string) => {
    const t = tensor(layout, name);
    return params.subarray(t.offset, t.offset + t.size);
  };
}

export function gptForward(
  config: ModelConfig,
  params: Float64Array,
  tokens: ArrayLike<number>,
  targets: ArrayLike<number> | null,
  B: number,
  T: number,
): ReferenceForward {
  const { dim: C, heads: NH, vocabSize: V, layers: L } = config;
  const N = B * T;
  const p = views(params, parameterLayout(config));
  const f = (n: number) => new Float64Array(n);
  const encoded = f(N * C);
  encoderForward(encoded, tokens, p('wte'), p('wpe'), { B, T, C, V });
  const blocks: ReferenceBlock[] = [];
  let residual: Float64Array = encoded;
  for (let l = 0; l < L; l++) {
    const w = (name: string) => p(`h.${l}.${name}`);
    const a: ReferenceBlock = {
      ln1: f(N * C),
      ln1Mean: f(N),
      ln1Rstd: f(N),
      qkv: f(N * 3 * C),
      atty: f(N * C),
      att: f(B * NH * T * T),
      attproj: f(N * C),
      residual2: f(N * C),
      ln2: f(N * C),
      ln2Mean: f(N),
      ln2Rstd: f(N),
      fch: f(N * 4 * C),
      fchGelu: f(N * 4 * C),
      fcproj: f(N * C),
      residual3: f(N * C),
    };
    layernormForward(a.ln1, a.ln1Mean, a.ln1Rstd, residual, w('ln1.w'), w('ln1.b'), { N, C });
    linearForward(a.qkv, a.ln1, w('attn.qkv.w'), w('attn.qkv.b'), { N, C, OC: 3 * C });
    attentionForward(a.atty, a.att, a.qkv, { B, T, C, NH });
    linearForward(a.attproj, a.atty, w('attn.proj.w'), w('attn.proj.b'), { N, C, OC: C });
    residualForward(a.residual2, residual, a.attproj, { n: N * C });
    layernormForward(a.ln2, a.ln2Mean, a.ln2Rstd, a.residual2, w('ln2.w'), w('ln2.b'), { N, C });
    linearForward(a.fch, a.ln2, w('mlp.fc.w'), w('mlp.fc.b'), { N, C, OC: 4 * C });
    geluForward(a.fchGelu, a.fch, { n: N * 4 * C });
    linearForward(a.fcproj, a.fchGelu, w('mlp.proj.w'), w('mlp.proj.b'), { N, C: 4 * C, OC: C });
    residualForward(a.residual3, a.residual2, a.fcproj, { n: N * C });
    blocks.push(a);
    residual = a.residual3;
  }
  const lnf = f(N * C);
  const lnfMean = f(N);
  const lnfRstd = f(N);
  layernormForward(lnf, lnfMean, lnfRstd, residual, p('lnf.w'), p('lnf.b'), { N, C });
  const logits = f(N * V);
  linearForward(logits, lnf, p('lm_head.w'), null, { N, C, OC: V });
  const probs = f(N * V);
  const losses = f(N);
  let loss = Number.NaN;
  let counted = 0;
  if (targets) {
    crossEntropyForward(losses, probs, logits, targets, { N, V });
    loss = 0;
    for (let i = 0; i < N; i++) {
      if (targets[i] === IGNORE) continue;
      loss += losses[i]!;
      counted++;
    }
    loss /= Math.max(1, counted);
  }
  return { B, T, encoded, blocks, lnf, lnfMean, lnfRstd, logits, probs, losses, loss, counted };
}

/**
 * The gradient of a loss, given its gradient with respect to the logits, for every parameter
 * (a flat array in the layout). Mirrors Gpt.backward step for step.
 */
export function gptBackward(config: ModelConfig, params: Float64Array, fwd: ReferenceForward, tokens: ArrayLike<number>, dlogits: Float64Array): Float64Array {
  const { dim: C, heads: NH, vocabSize: V, layers: L } = config;
  const { B, T } = fwd;
  const N = B * T;
  const layout = parameterLayout(config);
  const p = views(params, layout);
  const grads = new Float64Array(layout.total);
  const g = views(grads, layout);
  const f = (n: number) => new Float64Array(n);

  const dlnf = f(N * C);
  linearBackward(dlnf, g('lm_head.w'), null, dlogits, fwd.lnf, p('lm_head.w'), { N, C, OC: V });
  const dresidual = f(N * C);
  layernormBackward(dresidual, g('lnf.w'), g('lnf.b'), dlnf, fwd.blocks[L - 1]!.residual3, p('lnf.w'), fwd.lnfMean, fwd.lnfRstd, { N, C });
  for (let l = L - 1; l >= 0; l--) {
    const a = fwd.blocks[l]!;
    const w = (name: string) => p(`h.${l}.${name}`);
    const dw = (name: string) => g(`h.${l}.${name}`);
    const residualIn = l === 0 ? fwd.encoded : fwd.blocks[l - 1]!.residual3;
    const dfchGelu = f(N * 4 * C);
    linearBackward(dfchGelu, dw('mlp.proj.w'), dw('mlp.proj.b'), dresidual, a.fchGelu, w('mlp.proj.w'), { N, C: 4 * C, OC: C });
    const dfch = f(N * 4 * C);
    geluBackward(dfch, a.fch, dfchGelu, { n: N * 4 * C });
    const dln2 = f(N * C);
    linearBackward(dln2, dw('mlp.fc.w'), dw('mlp.fc.b'), dfch, a.ln2, w('mlp.fc.w'), { N, C, OC: 4 * C });
    layernormBackward(dresidual, dw('ln2.w'), dw('ln2.b'), dln2, a.residual2, w('ln2.w'), a.ln2Mean, a.ln2Rstd, { N, C });
    const datty = f(N * C);
    linearBackward(datty, dw('attn.proj.w'), dw('attn.proj.b'), dresidual, a.atty, w('attn.proj.w'), { N, C, OC: C });
    const dqkv = f(N * 3 * C);
    attentionBackward(dqkv, f(B * NH * T * T), datty, a.qkv, a.att, { B, T, C, NH });
    const dln1 = f(N * C);
    linearBackward(dln1, dw('attn.qkv.w'), dw('attn.qkv.b'), dqkv, a.ln1, w('attn.qkv.w'), { N, C, OC: 3 * C });
    layernormBackward(dresidual, dw('ln1.w'), dw('ln1.b'), dln1, residualIn, w('ln1.w'), a.ln1Mean, a.ln1Rstd, { N, C });
  }
  encoderBackward(g('wte'), g('wpe'), dresidual, tokens, { B, T, C, V });
  return grads;
}

/** dlogits of the mean cross-entropy of a forward pass with targets. */
export function crossEntropyLogitGrad(config: ModelConfig, fwd: ReferenceForward, targets: ArrayLike<number>): Float64Array {
  const N = fwd.B * fwd.T;
  const dlogits = new Float64Array(N * config.vocabSize);
  crossEntropyBackward(dlogits, fwd.probs, targets, { N, V: config.vocabSize, scale: 1 / Math.max(1, fwd.counted) });
  return dlogits;
}
