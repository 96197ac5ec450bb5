import { z } from 'zod';
import type { PolicyLossConfig } from '../loss/config';
import { type PresetName, PRESETS } from '../loss/presets';
import { type FieldSpec, RUN_FIELD_NAMES, RUN_FIELDS, type RunConfig, type RunField } from '../config/fields';

/** The zod schema of one field's value, from its FieldSpec: an enum's options, or a number in its range. */
export function fieldSchema(spec: FieldSpec): z.ZodType {
  const kind = spec.kind;
  if (kind.type === 'enum') return z.enum(kind.options as [string, ...string[]], { error: () => `must be one of ${kind.options.join(', ')}` });
  const range = `must be ${kind.type === 'int' ? 'an integer ' : 'a number '}in [${kind.min}, ${kind.max}]`;
  let schema = z.number({ error: () => range });
  if (kind.type === 'int') schema = schema.int({ error: () => range });
  return schema.min(kind.min, { error: () => range }).max(kind.max, { error: () => range });
}

/** A field's value as typed in a link or a box: an enum's key as it is, else a number ('' is not 0 but NaN, which the schema refuses). */
export function parseFieldText(spec: FieldSpec, text: string): unknown {
  return spec.kind.type === 'enum' ? text : text.trim() === '' ? Number.NaN : Number(text);
}

/** The zod schema of a run: per-field ranges from RUN_FIELDS, then the checks that involve several fields. */
export const runConfigSchema = z
  .strictObject(Object.fromEntries(RUN_FIELD_NAMES.map((name) => [name, fieldSchema(RUN_FIELDS[name])])) as Record<RunField, z.ZodType>)
  .superRefine((c, ctx) => {
    const { B, G, M } = c as { B: number; G: number; M: number };
    if ((B * G) % M !== 0) ctx.addIssue({ code: 'custom', path: ['M'], message: `must divide N = B·G = ${B * G}` });
    if (M > B * G) ctx.addIssue({ code: 'custom', path: ['M'], message: `must be at most N = B·G = ${B * G}` });
  });

export const DEFAULT_RUN_CONFIG = Object.fromEntries(RUN_FIELD_NAMES.map((n) => [n, RUN_FIELDS[n].default])) as unknown as RunConfig;

/** One line per problem, each naming its field: "K: must be an integer in [1, 64] (got -1)". */
export function describeIssues(error: z.ZodError, input: Record<string, unknown>): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.join('.') || '(config)';
    if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    const got = issue.path.length === 1 ? input[issue.path[0] as string] : undefined;
    return `${field}: ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
  });
}

/** A complete, valid RunConfig from defaults plus `overrides`; throws one message naming every bad field. */
export function makeRunConfig(overrides: Partial<Record<RunField, unknown>> = {}): RunConfig {
  const input = { ...DEFAULT_RUN_CONFIG, ...overrides };
  const result = runConfigSchema.safeParse(input);
  if (!result.success) throw new Error(`Invalid run config: ${describeIssues(result.error, input).join('; ')}`);
  return result.data as RunConfig;
}

/** A field every algorithm preset sets. */
export type PresetField = keyof PolicyLossConfig | 'advantage';

/** The fields every algorithm preset sets: its loss fields and the advantage, in RUN_FIELDS order. */
export const PRESET_FIELDS = RUN_FIELD_NAMES.filter((name): name is PresetField => Object.hasOwn(PRESETS.grpo.loss, name) || name === 'advantage');

/** The config with `name`'s preset applied to the loss and advantage fields. */
export function applyPreset(config: RunConfig, name: PresetName): RunConfig {
  const { loss, advantage } = PRESETS[name];
  return { ...config, ...loss, advantage, algo: name };
}

export function lossConfig(c: RunConfig): PolicyLossConfig {
  return { level: c.level, epsLow: c.epsLow, epsHigh: c.epsHigh, clipMode: c.clipMode, aggregation: c.aggregation, beta: c.beta, kl: c.kl };
}

/** How many times each trajectory is used per iteration: K·M / (B·G). */
export function reuses(c: Pick<RunConfig, 'K' | 'M' | 'B' | 'G'>): number {
  return (c.K * c.M) / (c.B * c.G);
}
