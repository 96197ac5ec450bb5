import { MODEL_PRESET_NAMES } from '../model/config';
import { ADVANTAGE_MODES, AGGREGATIONS, CLIP_MODES, KL_ESTIMATORS, RATIO_LEVELS } from '../loss/config';
import { PRESET_NAMES, PRESETS } from '../loss/presets';
import { REWARD_KINDS, TASK_NAMES } from '../tasks';
import { OPTIMIZERS } from '../kernels/optimizer';

/** How a field is edited and checked: a number in a range (integer or not), or one of a few strings. */
export type FieldKind =
  | { type: 'int'; min: number; max: number }
  | { type: 'number'; min: number; max: number /** a log-scale slider */; log?: boolean }
  | { type: 'enum'; options: readonly string[] };

export interface FieldSpec {
  /** The name a user reads (the paper's symbol where there is one). */
  label: string;
  /** How an arm's label writes the field, `K=1`, `ε_high=0.28` (the key where there is no symbol). */
  symbol?: string;
  /** One sentence: what the knob does. */
  help: string;
  kind: FieldKind;
  default: number | string;
}

const grpo = PRESETS.grpo;

/**
 * Every field of a run, in display order: the single source of truth for defaults, ranges,
 * labels and the URL's parameter names (the keys). Fields set by an algorithm preset take the
 * GRPO preset's values as defaults. The other defaults were chosen by measurement (bench/RESULTS.md,
 * session 8): `reverse` with a dense reward, τ = 0.7, K = 4, lr 1e-3 and 20 iterations, where GRPO's
 * held-out accuracy gains 60.0 ± 12.4 points over 10 seeds and every seed gains.
 */
export const RUN_FIELDS = {
  algo: {
    label: 'Algorithm',
    help: 'A preset for the fields below it; every field stays editable afterwards.',
    kind: { type: 'enum', options: PRESET_NAMES },
    default: 'grpo',
  },
  level: {
    label: 'Ratio level',
    help: "Where the importance ratio π_θ/π_old is taken: per token (GRPO), per trajectory (TIC-GRPO), per sequence as a geometric mean (GSPO), or nowhere with the gradient taken at π_old (the paper's No-IS ablation).",
    kind: { type: 'enum', options: RATIO_LEVELS },
    default: grpo.loss.level,
  },
  epsLow: {
    symbol: 'ε_low',
    label: 'ε low',
    help: 'Ratios below 1 − ε_low are clipped when the advantage is negative.',
    kind: { type: 'number', min: 0, max: 1 },
    default: grpo.loss.epsLow,
  },
  epsHigh: {
    symbol: 'ε_high',
    label: 'ε high',
    help: 'Ratios above 1 + ε_high are clipped (for a positive advantage; for either sign at trajectory level).',
    kind: { type: 'number', min: 0, max: 10 },
    default: grpo.loss.epsHigh,
  },
  clipMode: {
    label: 'TIC clip mode',
    help: 'A trajectory weight over 1 + ε_high is truncated to it, or its gradient is zeroed.',
    kind: { type: 'enum', options: CLIP_MODES },
    default: grpo.loss.clipMode,
  },
  aggregation: {
    label: 'Aggregation',
    help: 'How token terms are averaged into the loss: per sequence then per token (GRPO), over all tokens (DAPO), or summed.',
    kind: { type: 'enum', options: AGGREGATIONS },
    default: grpo.loss.aggregation,
  },
  advantage: {
    label: 'Advantage',
    help: 'The group baseline: reward minus group mean over group std (GRPO), minus the mean only (Dr.GRPO), or the raw reward.',
    kind: { type: 'enum', options: ADVANTAGE_MODES },
    default: grpo.advantage,
  },
  beta: {
    symbol: 'β',
    label: 'β',
    help: 'Weight of the KL penalty to the frozen base model.',
    kind: { type: 'number', min: 0, max: 1 },
    default: grpo.loss.beta,
  },
  kl: {
    label: 'KL estimator',
    help: 'Per-token estimate of KL(π_θ‖π_ref): k1 = log-ratio, k2 = half its square, k3 = the unbiased, always-positive one.',
    kind: { type: 'enum', options: KL_ESTIMATORS },
    default: grpo.loss.kl,
  },
  K: { label: 'K', help: 'Inner optimiser steps per refresh of the old policy π_old ← π_θ.', kind: { type: 'int', min: 1, max: 64 }, default: 4 },
  G: {
    label: 'Group size G',
    help: 'Completions sampled per prompt; advantages compare them within the group.',
    kind: { type: 'int', min: 2, max: 64 },
    default: 8,
  },
  B: { label: 'Prompts per batch B', help: 'Prompts sampled per iteration; N = B·G trajectories.', kind: { type: 'int', min: 1, max: 64 }, default: 8 },
  M: { label: 'Mini-batch M', help: 'Trajectories per inner step; must divide N = B·G.', kind: { type: 'int', min: 1, max: 4096 }, default: 16 },
  optimizer: {
    label: 'Optimiser',
    help: "AdamW, or plain gradient steps (the paper's SGA).",
    kind: { type: 'enum', options: OPTIMIZERS },
    default: 'adamw',
  },
  lr: { label: 'Learning rate', help: 'Step size of the optimiser.', kind: { type: 'number', min: 1e-6, max: 1, log: true }, default: 1e-3 },
  gradClip: {
    label: 'Grad-norm clip',
    help: 'Gradients are rescaled to at most this global norm; 0 turns clipping off.',
    kind: { type: 'number', min: 0, max: 100 },
    default: 1,
  },
  temperature: {
    symbol: 'τ',
    label: 'Temperature τ',
    help: 'Sampling temperature; training uses the same τ-scaled distribution.',
    kind: { type: 'number', min: 0.05, max: 3 },
    default: 0.7,
  },
  maxCompletion: {
    label: 'Max completion length',
    help: "Most tokens a completion may have, EOS included; 0 uses the task's own limit.",
    kind: { type: 'int', min: 0, max: 64 },
    default: 0,
  },
  task: {
    label: 'Task',
    help: 'What the model learns: addition, sorting or reversing digits, or digits summing to a target (many right answers).',
    kind: { type: 'enum', options: TASK_NAMES },
    default: 'reverse',
  },
  reward: {
    label: 'Reward',
    help: 'Sparse: 1 for an exactly right answer, else 0. Dense: partial credit.',
    kind: { type: 'enum', options: REWARD_KINDS },
    default: 'dense',
  },
  model: {
    label: 'Model',
    help: 'GPT size: tiny (D=64, L=2), small (D=128, L=4), medium (D=256, L=6).',
    kind: { type: 'enum', options: MODEL_PRESET_NAMES },
    default: 'tiny',
  },
  iterations: { label: 'Iterations', help: 'Sample-score-update rounds per run.', kind: { type: 'int', min: 1, max: 100000 }, default: 20 },
  evalEvery: {
    label: 'Eval every',
    help: 'Held-out greedy accuracy is measured every this many iterations.',
    kind: { type: 'int', min: 1, max: 10000 },
    default: 5,
  },
  seed: {
    label: 'Seed',
    help: 'Seeds prompts, sampling and mini-batch shuffles: a link with it reproduces the run.',
    kind: { type: 'int', min: 0, max: 2147483647 },
    default: 1,
  },
} as const satisfies Record<string, FieldSpec>;

export type RunField = keyof typeof RUN_FIELDS;
export const RUN_FIELD_NAMES = Object.keys(RUN_FIELDS) as RunField[];

/** The fields of an experiment that no single run has: how many seeds each arm trains (docs/design.md §10). */
export const EXPERIMENT_FIELDS = {
  seeds: {
    label: 'Seeds per arm',
    help: 'Runs per arm, with seeds seed, seed+1, …; curves show their mean and a 95% interval.',
    kind: { type: 'int', min: 1, max: 16 },
    default: 3,
  },
} as const satisfies Record<string, FieldSpec>;

export type ExperimentField = keyof typeof EXPERIMENT_FIELDS;

/** The value a field holds: one of an enum's options, else a number. */
type FieldValue<S extends FieldSpec> = S['kind'] extends { type: 'enum'; options: readonly (infer O)[] } ? O : number;

/** One run's configuration, derived from RUN_FIELDS: the same object the CLI, the engine, the worker and the URL use. */
export type RunConfig = { -readonly [F in RunField]: FieldValue<(typeof RUN_FIELDS)[F]> };
