import type { Gpu } from '../gpu/gpu';
import type { ModelConfig } from './config';

/** What block l's forward saves for its backward. Rows are B·T tokens. */
export interface BlockActivations {
  ln1: GPUBuffer; // [BT, C]
  ln1Mean: GPUBuffer; // [BT]
  ln1Rstd: GPUBuffer; // [BT]
  qkv: GPUBuffer; // [BT, 3C]
  atty: GPUBuffer; // [BT, C]
  att: GPUBuffer; // [B, NH, T, T] softmax probabilities (training only)
  residual2: GPUBuffer; // [BT, C]
  ln2: GPUBuffer; // [BT, C]
  ln2Mean: GPUBuffer; // [BT]
  ln2Rstd: GPUBuffer; // [BT]
  fch: GPUBuffer; // [BT, 4C]
  fchGelu: GPUBuffer; // [BT, 4C]
  residual3: GPUBuffer; // [BT, C]
}

/** One arena per (batch, length): every forward activation, plus the gradient scratch backward reuses across blocks. */
export interface Activations {
  B: number;
  T: number;
  tokens: GPUBuffer; // u32 [BT]
  targets: GPUBuffer; // u32 [BT]
  encoded: GPUBuffer; // [BT, C]
  blocks: BlockActivations[];
  lnf: GPUBuffer; // [BT, C]
  lnfMean: GPUBuffer; // [BT]
  lnfRstd: GPUBuffer; // [BT]
  logits: GPUBuffer; // [BT, V]
  probs: GPUBuffer; // [BT, V]
  losses: GPUBuffer; // [BT]
  grads: {
    residual: GPUBuffer; // [BT, C] the residual stream's gradient, shared by every block
    ln: GPUBuffer; // [BT, C]
    qkv: GPUBuffer; // [BT, 3C]
    atty: GPUBuffer; // [BT, C]
    att: GPUBuffer; // [B, NH, T, T] scratch
    fch: GPUBuffer; // [BT, 4C]
    logits: GPUBuffer; // [BT, V]
  };
}

export function allocateActivations(gpu: Gpu, config: ModelConfig, B: number, T: number, withAttentionProbs = true): Activations {
  const { dim: C, heads: NH, vocabSize: V, layers: L } = config;
  const BT = B * T;
  const f = (n: number, label: string) => gpu.zeros(n * 4, label);
  const attSize = withAttentionProbs ? B * NH * T * T : 1;
  const blocks = Array.from({ length: L }, (_, l) => ({
    ln1: f(BT * C, `h.${l}.ln1`),
    ln1Mean: f(BT, `h.${l}.ln1.mean`),
    ln1Rstd: f(BT, `h.${l}.ln1.rstd`),
    qkv: f(BT * 3 * C, `h.${l}.qkv`),
    atty: f(BT * C, `h.${l}.atty`),
    att: f(attSize, `h.${l}.att`),
    residual2: f(BT * C, `h.${l}.residual2`),
    ln2: f(BT * C, `h.${l}.ln2`),
    ln2Mean: f(BT, `h.${l}.ln2.mean`),
    ln2Rstd: f(BT, `h.${l}.ln2.rstd`),
    fch: f(BT * 4 * C, `h.${l}.fch`),
    fchGelu: f(BT * 4 * C, `h.${l}.fch.gelu`),
    residual3: f(BT * C, `h.${l}.residual3`),
  }));
  return {
    B,
    T,
    tokens: f(BT, 'tokens'),
    targets: f(BT, 'targets'),
    encoded: f(BT * C, 'encoded'),
    blocks,
    lnf: f(BT * C, 'lnf'),
    lnfMean: f(BT, 'lnf.mean'),
    lnfRstd: f(BT, 'lnf.rstd'),
    logits: f(BT * V, 'logits'),
    probs: f(BT * V, 'probs'),
    losses: f(BT, 'losses'),
    grads: {
      residual: f(BT * C, 'd.residual'),
      ln: f(BT * C, 'd.ln'),
      qkv: f(BT * 3 * C, 'd.qkv'),
      atty: f(BT * C, 'd.atty'),
      att: f(attSize, 'd.att'),
      fch: f(BT * 4 * C, 'd.fch'),
      logits: f(BT * V, 'd.logits'),
    },
  };
}

export function destroyActivations(acts: Activations): void {
  const all: GPUBuffer[] = [
    acts.tokens,
    acts.targets,
    acts.encoded,
    acts.lnf,
    acts.lnfMean,
    acts.lnfRstd,
    acts.logits,
    acts.probs,
    acts.losses,
    ...Object.values(acts.grads),
  ];
  for (const block of acts.blocks) all.push(...Object.values(block));
  for (const buffer of all) buffer.destroy();
}
