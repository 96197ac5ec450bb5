import { type ModelConfig, type ModelPreset, modelConfig } from '../model/config';
import { initParameters } from '../model/init';
import { type ParameterLayout, parameterLayout } from '../model/layout';
import { uniformRng } from '../util/rng';

/** The batch (sequences × length) each preset is timed at: the same token count per step for every implementation. */
export const BENCH_SHAPES: Record<ModelPreset, { B: number; T: number }> = {
  tiny: { B: 64, T: 16 },
  small: { B: 32, T: 32 },
  medium: { B: 16, T: 64 },
};

/** Adam as every implementation runs it: no weight decay, no gradient clipping, ε added to √v̂. */
export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** Large enough that a dozen steps move the loss visibly, so the last losses also check that the updates agree. */
export const BENCH_ADAM: AdamHyper = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** What sampling is timed on: every row decodes `newTokens` tokens after a `promptLength`-token prompt. */
export interface SamplingProblem {
  rows: number;
  promptLength: number;
  newTokens: number;
  temperature: number;
  /** [rows · promptLength] token ids. */
  prompts: Uint32Array<ArrayBuffer>;
}

/** The one computation every implementation is timed on: the same model, initial weights, batch and optimiser. */
export interface BenchProblem {
  preset: ModelPreset;
  config: ModelConfig;
  layout: ParameterLayout;
  /** The flat parameter vector of docs/design.md §2 (layout offsets, zero padding between tensors). */
  initial: Float32Array<ArrayBuffer>;
  B: number;
  T: number;
  /** [B·T] inputs and targets (the target is the input token: a copy task the model learns within a few steps). */
  tokens: Uint32Array<ArrayBuffer>;
  targets: Uint32Array<ArrayBuffer>;
  adam: AdamHyper;
  sampling: SamplingProblem;
}

const randomTokens = (n: number, vocab: number, rng: () => number) => Uint32Array.from({ length: n }, () => Math.floor(rng() * vocab));

/** The seeded problem for `preset` over a vocabulary of `vocab` tokens (at the preset's bench shape unless told otherwise). */
export function benchProblem(preset: ModelPreset, vocab: number, { B, T } = BENCH_SHAPES[preset]): BenchProblem {
  const config = modelConfig(preset, vocab, T);
  const layout = parameterLayout(config);
  const rng = uniformRng(2);
  const tokens = randomTokens(B * T, vocab, rng);
  const promptLength = T / 2;
  return {
    preset,
    config,
    layout,
    initial: initParameters(config, layout, 1),
    B,
    T,
    tokens,
    targets: tokens.slice(),
    adam: BENCH_ADAM,
    sampling: { rows: B, promptLength, newTokens: T - promptLength, temperature: 1, prompts: randomTokens(B * promptLength, vocab, rng) },
  };
}
