// Arms (docs/design.md §10): an experiment compares arms, each an algorithm preset plus any field
// overrides, over the same seeds. One definition for the page and the CLI: the page's arms are listed
// by the user, a sweep's are the points of its grid with the seed left out.
import { z } from 'zod';
import { type FieldSpec, RUN_FIELD_NAMES, RUN_FIELDS, type RunConfig, type RunField } from '../config/fields';
import { PRESET_NAMES, type PresetName, PRESETS } from '../loss/presets';
import { applyPreset, describeIssues, makeRunConfig, PRESET_FIELDS, runConfigSchema } from './config';

/** What an arm may set over the experiment's base config: every run field but its preset's name and the seed, which the experiment owns. */
export type ArmField = Exclude<RunField, 'algo' | 'seed'>;

export const ARM_FIELDS = RUN_FIELD_NAMES.filter((name): name is ArmField => name !== 'algo' && name !== 'seed');

export type ArmOverrides = Partial<Pick<RunConfig, ArmField>>;

export interface Arm {
  algo: PresetName;
  overrides: ArmOverrides;
}

/** An arm as files hold it: a preset's name and overrides of arm fields, each checked with its field's schema. */
export const armSchema = z.strictObject({
  algo: z.enum(PRESET_NAMES, { error: () => `must be one of ${PRESET_NAMES.join(', ')}` }),
  overrides: z.strictObject(
    Object.fromEntries(ARM_FIELDS.map((name) => [name, runConfigSchema.shape[name].optional()])) as unknown as Record<ArmField, z.ZodOptional>,
  ),
});

/** The config an arm's runs train with: the base, the arm's preset over its loss fields, then the arm's overrides. */
export function armConfig(base: RunConfig, arm: Arm): RunConfig {
  return makeRunConfig({ ...applyPreset(base, arm.algo), ...arm.overrides });
}

/** Why an arm cannot train over `base`, naming the field ("M: must divide N = B·G = 24 (got 16)"); null when it can. */
export function armProblem(base: RunConfig, arm: Arm): string | null {
  const input = { ...applyPreset(base, arm.algo), ...arm.overrides };
  const result = runConfigSchema.safeParse(input);
  return result.success ? null : describeIssues(result.error, input)[0]!;
}

/** `K=1`, `ε_high=0.28`, or an enum field's value alone (`zero-grad`), which reads well by itself. */
function overrideText(name: ArmField, value: number | string): string {
  const spec: FieldSpec = RUN_FIELDS[name];
  return spec.kind.type === 'enum' ? String(value) : `${spec.symbol ?? name}=${value}`;
}

/**
 * The preset's name, then each override but those that only repeat what the preset sets: "GRPO K=1",
 * "TIC-GRPO zero-grad".
 */
export function armLabel(arm: Arm, base: RunConfig): string {
  const preset = applyPreset(base, arm.algo);
  const presetSets = new Set<RunField>(PRESET_FIELDS);
  const shown = ARM_FIELDS.filter((name) => arm.overrides[name] !== undefined && !(presetSets.has(name) && arm.overrides[name] === preset[name]));
  return [PRESETS[arm.algo].label, ...shown.map((name) => overrideText(name, arm.overrides[name]!))].join(' ');
}

/** Labels for every arm, made unique where two arms would read alike ("GRPO", "GRPO #2"). */
export function armLabels(arms: readonly Arm[], base: RunConfig): string[] {
  const seen = new Map<string, number>();
  return arms.map((arm) => {
    const label = armLabel(arm, base);
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    return count === 1 ? label : `${label} #${count}`;
  });
}

/**
 * The arms of a grid of configs (a sweep's): configs that differ only in their seed are one arm, whose
 * overrides are the fields that vary across the grid. Each arm lists its seeds in grid order.
 */
export function armsOfGrid(grid: readonly RunConfig[]): { arm: Arm; label: string; configs: RunConfig[] }[] {
  if (grid.length === 0) return [];
  const varying = ARM_FIELDS.filter((name) => grid.some((c) => c[name] !== grid[0]![name]));
  const groups = new Map<string, RunConfig[]>();
  for (const config of grid) {
    const key = JSON.stringify([config.algo, ...varying.map((name) => config[name])]);
    groups.set(key, [...(groups.get(key) ?? []), config]);
  }
  const arms = [...groups.values()].map((configs) => {
    const first = configs[0]!;
    const overrides: ArmOverrides = Object.fromEntries(varying.map((name) => [name, first[name]]));
    return { arm: { algo: first.algo, overrides }, configs };
  });
  const labels = armLabels(
    arms.map((a) => a.arm),
    grid[0]!,
  );
  return arms.map((a, i) => ({ ...a, label: labels[i]! }));
}
