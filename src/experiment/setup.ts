// What the page is set to — a base config every arm shares, the arms compared over it and the seeds per
// arm — and the runs it asks for: the one place that maps a setup to its runs, for the engine, the export and the store.
import { z } from 'zod';
import { EXPERIMENT_FIELDS, type ExperimentField, type FieldSpec, RUN_FIELD_NAMES, RUN_FIELDS, type RunConfig, type RunField } from '../config/fields';
import { type Arm, armConfig, armLabels, armProblem, armSchema } from './arms';
import { DEFAULT_RUN_CONFIG, fieldSchema, PRESET_FIELDS, type PresetField, runConfigSchema } from './config';
import type { RunSpec } from './worker-protocol';

/** An experiment: arms × seeds over one base (docs/design.md §10). */
export interface PageSetup {
  /** The fields every arm shares; its algo and preset fields stay at their defaults, since each arm's preset sets them. */
  config: RunConfig;
  /** At least one, in the user's order; armLabels tells them apart. */
  arms: Arm[];
  /** Runs per arm, seeded config.seed, config.seed + 1, … */
  seeds: number;
}

/** A field of the base: every run field but the algorithm and the fields its preset sets, which belong to each arm. */
export type BaseField = Exclude<RunField, 'algo' | PresetField>;

export const BASE_FIELDS = RUN_FIELD_NAMES.filter((name): name is BaseField => name !== 'algo' && !(PRESET_FIELDS as readonly RunField[]).includes(name));

/** A field the setup's controls edit: one of the base or of the experiment itself. */
export type SetupField = BaseField | ExperimentField;

export function setupFieldSpec(name: SetupField): FieldSpec {
  return Object.hasOwn(EXPERIMENT_FIELDS, name) ? EXPERIMENT_FIELDS[name as ExperimentField] : RUN_FIELDS[name as BaseField];
}

/** What a setup field holds now: the base's value, or the experiment's own. */
export function setupFieldValue(setup: PageSetup, name: SetupField): number | string {
  return name === 'seeds' ? setup.seeds : setup.config[name];
}

export const seedsSchema = fieldSchema(EXPERIMENT_FIELDS.seeds);

/** GRPO against TIC-GRPO, the paper's comparison. */
export function defaultArms(): Arm[] {
  return [
    { algo: 'grpo', overrides: {} },
    { algo: 'tic-grpo', overrides: {} },
  ];
}

export const DEFAULT_SETUP: PageSetup = { config: DEFAULT_RUN_CONFIG, arms: defaultArms(), seeds: EXPERIMENT_FIELDS.seeds.default };

/** The base of a run's config: its base fields as they are, algo and the preset fields at their defaults. */
export function baseConfig(config: RunConfig): RunConfig {
  const armOwned = ['algo', ...PRESET_FIELDS] as const;
  return { ...config, ...Object.fromEntries(armOwned.map((name) => [name, DEFAULT_RUN_CONFIG[name]])) };
}

/** Why each arm that cannot train over `base` cannot, by arm index (empty when every arm can). */
export function armProblems(base: RunConfig, arms: readonly Arm[]): Map<number, string> {
  const problems = new Map<number, string>();
  arms.forEach((arm, i) => {
    const problem = armProblem(base, arm);
    if (problem !== null) problems.set(i, problem);
  });
  return problems;
}

/** A setup as files hold it: every field checked, and every arm able to train over the base. */
export const setupSchema = z
  .strictObject({ config: runConfigSchema, arms: z.array(armSchema).min(1, { error: () => 'must list at least one arm' }), seeds: seedsSchema })
  .superRefine(
    (setup, ctx) => {
      for (const [i, problem] of armProblems(setup.config as RunConfig, setup.arms as Arm[]))
        ctx.addIssue({ code: 'custom', path: ['arms', i], message: problem });
    },
    // Arms are checked over a valid base only: a bad base field is named once, not again for every arm.
    { when: (payload) => payload.issues.length === 0 },
  );

/**
 * Every run a setup asks for: each arm's config (armConfig) with seeds seed, seed+1, …, labelled by its
 * arm. Seed-major order, so that the arms alternate and same-seed runs (same prompts) sit together.
 */
export function runSpecs({ config, arms, seeds }: PageSetup): RunSpec[] {
  const labels = armLabels(arms, config);
  const configs = arms.map((arm) => armConfig(config, arm));
  const specs: RunSpec[] = [];
  for (let s = 0; s < seeds; s++) {
    const seed = config.seed + s;
    arms.forEach((arm, i) => {
      specs.push({ id: `${labels[i]}:${seed}`, arm: labels[i]!, algo: arm.algo, seed, config: { ...configs[i]!, seed } });
    });
  }
  return specs;
}
