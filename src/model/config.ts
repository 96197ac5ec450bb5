/** A GPT's shape (docs/design.md §2). V and T come from the task; D, L and H from a preset. */
export interface ModelConfig {
  /** Vocabulary size V. */
  vocabSize: number;
  /** Longest sequence T the position embedding covers. */
  maxSeqLen: number;
  /** Channels D. */
  dim: number;
  /** Transformer blocks L. */
  layers: number;
  /** Attention heads H; D must be a multiple of H. */
  heads: number;
}

export const MODEL_PRESETS = {
  tiny: { dim: 64, layers: 2, heads: 4 },
  small: { dim: 128, layers: 4, heads: 4 },
  medium: { dim: 256, layers: 6, heads: 8 },
} as const;

export type ModelPreset = keyof typeof MODEL_PRESETS;

export const MODEL_PRESET_NAMES = Object.keys(MODEL_PRESETS) as ModelPreset[];

export function isModelPreset(name: string): name is ModelPreset {
  return Object.hasOwn(MODEL_PRESETS, name);
}

export function modelConfig(preset: ModelPreset, vocabSize: number, maxSeqLen: number): ModelConfig {
  return validateConfig({ vocabSize, maxSeqLen, ...MODEL_PRESETS[preset] });
}

/** Returns `config` if every field is a positive integer and D divides into H heads; throws naming the field otherwise. */
export function validateConfig(config: ModelConfig): ModelConfig {
  for (const key of ['vocabSize', 'maxSeqLen', 'dim', 'layers', 'heads'] as const) {
    const value = config[key];
    if (!Number.isInteger(value) || value < 1) throw new Error(`model config: ${key} must be a positive integer, got ${value}`);
  }
  if (config.dim % config.heads !== 0) throw new Error(`model config: dim ${config.dim} is not a multiple of heads ${config.heads}`);
  return config;
}

export function describeConfig(c: ModelConfig): string {
  return `V=${c.vocabSize} T=${c.maxSeqLen} D=${c.dim} L=${c.layers} H=${c.heads}`;
}
