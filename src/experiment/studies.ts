// Named studies (docs/design.md §10): the experiments behind the paper's claims, each a list of arms
// run over seeds on one or more tasks. `npm run cli -- study NAME` runs one.
import type { RunConfig, RunField } from '../config/fields';
import type { PresetName } from '../loss/presets';
import type { TaskName } from '../tasks';
import { type Arm, type ArmOverrides, armConfig, armProblem, armsOfGrid } from './arms';
import { makeRunConfig } from './config';

/** A task with the base settings under which it learns. */
export interface TaskSetting {
  task: TaskName;
  settings: ArmOverrides;
}

/** The paper's claims (arXiv 2508.02833) a study bears on: (a) π_old's role, (b) importance sampling barely matters, (c) TIC-GRPO. */
export type Claim = 'a' | 'b' | 'c';

export interface Study {
  title: string;
  /** One sentence: what the study asks. */
  question: string;
  claim?: Claim;
  tasks: TaskSetting[];
  arms: Arm[];
  /** The arm every other arm is paired with, by index into `arms`. */
  reference: number;
  /** Tuning seeds are for choosing settings; verdicts are drawn on the verdict seeds only. */
  seeds: { tune: number[]; verdict: number[] };
}

/** The measured defaults (src/config/fields.ts): dense reward, GRPO gains on every seed in 20 iterations. */
const REVERSE: TaskSetting = {
  task: 'reverse',
  settings: { reward: 'dense', temperature: 0.7, B: 8, G: 8, M: 16, K: 4, lr: 1e-3, iterations: 20, evalEvery: 5 },
};

/** A sparse reward, as tests/rl/learning.test.ts used it (bench/RESULTS.md, session 8). */
const ADD: TaskSetting = {
  task: 'add',
  settings: { reward: 'sparse', temperature: 0.7, B: 8, G: 16, M: 32, K: 4, lr: 1e-4, iterations: 16, evalEvery: 5 },
};

const TASKS = [REVERSE, ADD];
const SEEDS = { tune: [101, 102, 103], verdict: [1, 2, 3, 4, 5] };

const arm = (algo: PresetName, overrides: ArmOverrides = {}): Arm => ({ algo, overrides });
const GRPO_AND_TIC = (overrides: ArmOverrides): Arm[] => [arm('grpo', overrides), arm('tic-grpo', overrides)];

/**
 * The paper's optimiser and reuse: SGD on N = B·G = 128 trajectories in mini-batches of M = 32, each used
 * K·M/N = 4 times (K = 16). lr 0.1 is untuned: SGD needs a far larger step than AdamW's 1e-3.
 */
const PAPER_SETUP: ArmOverrides = { optimizer: 'sgd', lr: 0.1, B: 16, G: 8, M: 32, K: 16 };

export const STUDIES = {
  'k-ablation': {
    title: 'GRPO at K = 1, 2, 4, 8, 16',
    question: 'How does reusing each batch for more inner steps per refresh of π_old change what GRPO learns?',
    claim: 'a',
    tasks: TASKS,
    arms: [1, 2, 4, 8, 16].map((K) => arm('grpo', { K })),
    reference: 0,
    seeds: SEEDS,
  },
  'no-is-vs-grpo': {
    title: 'No importance sampling against GRPO',
    question: "Does GRPO's token ratio help against taking the gradient at π_old with no importance sampling at all?",
    claim: 'b',
    tasks: TASKS,
    arms: [arm('grpo'), arm('no-is')],
    reference: 0,
    seeds: SEEDS,
  },
  'tic-vs-grpo': {
    title: 'TIC-GRPO against GRPO',
    question: "Does TIC-GRPO's trajectory-level ratio, truncated or with its gradient zeroed where clipped, learn as well as GRPO's token ratio?",
    claim: 'c',
    tasks: TASKS,
    arms: [arm('grpo'), arm('tic-grpo'), arm('tic-grpo', { clipMode: 'zero-grad' })],
    reference: 0,
    seeds: SEEDS,
  },
  'eps-high': {
    title: 'ε_high for GRPO and TIC-GRPO',
    question: 'How does the upper clip bound ε_high (0.2, 0.28, 0.5) change GRPO and TIC-GRPO?',
    tasks: TASKS,
    arms: [0.2, 0.28, 0.5].flatMap((epsHigh) => GRPO_AND_TIC({ epsHigh })),
    reference: 0,
    seeds: SEEDS,
  },
  'paper-setup': {
    title: "GRPO and TIC-GRPO in the paper's setup",
    question: "Does TIC-GRPO against GRPO come out the same with the paper's SGD (lr 0.1, untuned) and 4 reuses of N = 128 trajectories?",
    claim: 'c',
    tasks: TASKS,
    arms: GRPO_AND_TIC(PAPER_SETUP),
    reference: 0,
    seeds: SEEDS,
  },
  'beta-zero': {
    title: 'GRPO and TIC-GRPO without the KL penalty',
    question: 'Does the comparison of GRPO with TIC-GRPO hold at β = 0, with the KL term as a confound removed?',
    claim: 'c',
    tasks: TASKS,
    arms: GRPO_AND_TIC({ beta: 0 }),
    reference: 0,
    seeds: SEEDS,
  },
} as const satisfies Record<string, Study>;

export type StudyName = keyof typeof STUDIES;
export const STUDY_NAMES = Object.keys(STUDIES) as StudyName[];

/** The study named `name`, or an error listing the known ones. */
export function study(name: string): Study {
  if (!Object.hasOwn(STUDIES, name)) throw new Error(`unknown study "${name}"; known: ${STUDY_NAMES.join(', ')}`);
  return STUDIES[name as StudyName];
}

/** Fields that do nothing while every ratio is 1, besides the preset's name. */
const IDLE_AT_RATIO_ONE: readonly RunField[] = ['algo', 'level', 'epsLow', 'epsHigh', 'clipMode'];

/**
 * Which step a preset takes at K = 1, where the one inner step is at θ = θ_old and every ratio is 1: GRPO's
 * token ratio then gives No-IS's gradient at π_old, and with AdamW TIC-GRPO's differs from it by a constant
 * factor that Adam normalises away where completions are of equal length. Presets with the same step coincide.
 */
function stepAtK1(c: RunConfig): string {
  if (c.algo === 'no-is' || (c.algo === 'tic-grpo' && c.optimizer === 'adamw')) return 'grpo';
  return c.algo;
}

const K1_NOTE = 'K = 1: the one inner step is at θ = θ_old, where every ratio is 1 (with AdamW, TIC-GRPO only where completions are of equal length)';

/** Two arms whose runs are the same by construction, by index, and why. */
export interface Coincidence {
  arms: [number, number];
  /** `equal`: the configs are equal; `k1`: presets that take the same step at K = 1 (stepAtK1). */
  kind: 'equal' | 'k1';
  note: string;
}

function sameOutside(a: RunConfig, b: RunConfig, ignored: readonly RunField[]): boolean {
  return (Object.keys(a) as RunField[]).every((name) => ignored.includes(name) || a[name] === b[name]);
}

/**
 * Every pair of configs whose runs coincide by construction: equal configs, and presets with the same
 * step at K = 1 (stepAtK1) when nothing else differs but fields idle at ratio 1.
 */
export function coincidences(configs: readonly RunConfig[]): Coincidence[] {
  const found: Coincidence[] = [];
  configs.forEach((a, i) => {
    configs.slice(i + 1).forEach((b, offset) => {
      const arms: [number, number] = [i, i + 1 + offset];
      if (sameOutside(a, b, [])) found.push({ arms, kind: 'equal', note: 'equal configs: the same runs' });
      else if (a.K === 1 && sameOutside(a, b, IDLE_AT_RATIO_ONE) && stepAtK1(a) === stepAtK1(b)) found.push({ arms, kind: 'k1', note: K1_NOTE });
    });
  });
  return found;
}

/** A study's arms on one of its tasks: each arm's config and label (as the sweep summary labels it), and the coincidences among them. */
export interface StudyTask {
  task: TaskName;
  arms: { arm: Arm; label: string; config: RunConfig }[];
  reference: string;
  coincide: Coincidence[];
}

/**
 * Every arm of study `name` resolved on each of its tasks; throws naming the task, the arm and the field
 * where an arm cannot train, and where two arms are equal (a summary would merge them into one).
 */
export function studyArms(name: string): StudyTask[] {
  const s = study(name);
  return s.tasks.map(({ task, settings }) => {
    const base = makeRunConfig({ ...settings, task });
    const configs = s.arms.map((a, i) => {
      const problem = armProblem(base, a);
      if (problem) throw new Error(`study ${name}, task ${task}, arm ${i + 1} (${a.algo}): ${problem}`);
      return armConfig(base, a);
    });
    const coincide = coincidences(configs);
    const equal = coincide.find((c) => c.kind === 'equal');
    if (equal) throw new Error(`study ${name}, task ${task}: arms ${equal.arms.map((i) => i + 1).join(' and ')} are equal`);
    const labels = new Map(armsOfGrid(configs).map((group) => [group.configs[0]!, group.label]));
    const arms = s.arms.map((a, i) => ({ arm: a, label: labels.get(configs[i]!)!, config: configs[i]! }));
    return { task, arms, reference: arms[s.reference]!.label, coincide };
  });
}
