import type { AdvantageMode, PolicyLossConfig } from '../loss/config';

export type PresetName = 'grpo' | 'tic-grpo' | 'no-is' | 'gspo' | 'dr-grpo' | 'dapo';

export interface AlgorithmPreset {
  label: string;
  loss: PolicyLossConfig;
  advantage: AdvantageMode;
}

/**
 * GRPO as DeepSeekMath defined it: β = 0.04 with the k3 estimator. The paper's own variants
 * (TIC-GRPO, No-IS) keep this β, so that against GRPO they differ only in what their names say.
 */
const GRPO_KL = { beta: 0.04, kl: 'k3' } as const;

/** DAPO, Dr.GRPO and GSPO publish objectives without a KL term; k3 stays selected for when β is raised. */
const NO_KL = { beta: 0, kl: 'k3' } as const;

/**
 * docs/design.md §3 presets. Frozen: copy one before editing it (`{ ...preset.loss, epsHigh: 0.3 }`), so
 * that editing a run's config can never change the preset another run starts from.
 */
export const PRESETS: Record<PresetName, AlgorithmPreset> = deepFreeze({
  grpo: {
    label: 'GRPO',
    loss: { level: 'token', epsLow: 0.2, epsHigh: 0.2, clipMode: 'truncate', aggregation: 'seq-mean-token-mean', ...GRPO_KL },
    advantage: 'group-std',
  },
  'tic-grpo': {
    label: 'TIC-GRPO',
    // ε_low is unused: the trajectory weight is clipped from above only. The aggregation weighs the KL tokens.
    loss: { level: 'trajectory', epsLow: 0.2, epsHigh: 0.28, clipMode: 'truncate', aggregation: 'seq-mean-token-mean', ...GRPO_KL },
    advantage: 'group-std',
  },
  'no-is': {
    label: 'No-IS (gradient at π_old)',
    loss: { level: 'none-at-old', epsLow: 0.2, epsHigh: 0.2, clipMode: 'truncate', aggregation: 'seq-mean-token-mean', ...GRPO_KL },
    advantage: 'group-std',
  },
  gspo: {
    label: 'GSPO',
    // GSPO's paper values. The sequence ratio is a geometric mean of token ratios, so it strays from 1 far
    // less than they do and its clip range is hundreds of times narrower than GRPO's; with this project's short
    // completions it clips more often than in the paper, which the clip-fraction plot shows.
    loss: { level: 'sequence', epsLow: 3e-4, epsHigh: 4e-4, clipMode: 'truncate', aggregation: 'seq-mean-token-mean', ...NO_KL },
    advantage: 'group-std',
  },
  'dr-grpo': {
    label: 'Dr.GRPO',
    loss: { level: 'token', epsLow: 0.2, epsHigh: 0.2, clipMode: 'truncate', aggregation: 'seq-mean-token-sum-norm', ...NO_KL },
    advantage: 'group-mean',
  },
  dapo: {
    label: 'DAPO',
    // The loss only: DAPO's dynamic sampling and overlong shaping belong to the loop and the reward.
    loss: { level: 'token', epsLow: 0.2, epsHigh: 0.28, clipMode: 'truncate', aggregation: 'token-mean', ...NO_KL },
    advantage: 'group-std',
  },
});

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) deepFreeze(child as object);
  return Object.freeze(value);
}
