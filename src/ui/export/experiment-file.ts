// The JSON export of an experiment, versioned, and its reading back: every field checked with zod, so a
// malformed file is refused with a message that names what is wrong, and never half-read.
import { z } from 'zod';
import { runConfigSchema } from '../../experiment/config';
import type { RunConfig } from '../../config/fields';
import { runSpecs } from '../../experiment/setup';
import { METRIC_COLUMNS } from '../../experiment/metric-columns';
import { compareSchema } from '../../experiment/setup';
import type { InnerStepMetrics } from '../../rl/metrics';
import { type PresetName, PRESETS } from '../../loss/presets';
import type { RunRecordState } from '../training/runs';
import type { ShownExperiment } from '../training/store';

const EXPERIMENT_FILE_FORMAT = 'grpo-lab-experiment';
const EXPERIMENT_FILE_VERSION = 1;

/** The experiment as a file: format and version, when it was exported, then the experiment itself. */
export function writeExperimentFile({ id, createdAt, setup, runs, notices, failure }: ShownExperiment, exportedAt: Date): string {
  return JSON.stringify({
    format: EXPERIMENT_FILE_FORMAT,
    version: EXPERIMENT_FILE_VERSION,
    exportedAt: exportedAt.toISOString(),
    id,
    createdAt: new Date(createdAt).toISOString(),
    setup,
    runs,
    notices,
    failure,
  });
}

const INNER_COLUMNS = [
  'objective',
  'kl',
  'clipLow',
  'clipHigh',
  'ratioMean',
  'ratioMax',
  'ratioP95',
  'gradNorm',
] as const satisfies readonly (keyof InnerStepMetrics)[];
const RUN_STATES = ['loading', 'running', 'paused', 'done', 'failed', 'interrupted'] as const satisfies readonly RunRecordState[];

/** JSON writes NaN and ±Infinity as null: they read back as NaN, which the charts skip. */
const metric = z
  .number()
  .nullable()
  .transform((v) => v ?? Number.NaN);
const metrics = <K extends string>(names: readonly K[]) => Object.fromEntries(names.map((name) => [name, metric])) as Record<K, typeof metric>;

const pointSchema = z.strictObject({
  ...metrics(METRIC_COLUMNS),
  iteration: z.int().min(0),
  accuracy: z.number().min(0).max(1).nullable(),
  samplesSeen: z.int().min(0),
  inner: z.array(z.strictObject(metrics(INNER_COLUMNS))),
});

const sampleSchema = z.strictObject({ prompt: z.string(), completion: z.array(z.string()), reward: metric, ratios: z.array(metric).nullable() });

const runSchema = z.strictObject({
  id: z.string().min(1),
  arm: z.enum(Object.keys(PRESETS) as [PresetName, ...PresetName[]]),
  seed: z.int(),
  iterations: z.int().min(1),
  state: z.enum(RUN_STATES),
  metrics: z.array(pointSchema),
  samples: z.array(sampleSchema),
  error: z.string().nullable(),
});

const fileSchema = z
  .strictObject({
    format: z.literal(EXPERIMENT_FILE_FORMAT),
    version: z.literal(EXPERIMENT_FILE_VERSION),
    exportedAt: z.iso.datetime(),
    id: z.string().min(1),
    createdAt: z.iso.datetime().transform(Date.parse),
    setup: z.strictObject({ config: runConfigSchema, compare: compareSchema }),
    runs: z.array(runSchema).min(1),
    notices: z.array(z.string()),
    failure: z.string().nullable(),
  })
  .superRefine((file, ctx) => {
    // Each run must be one the setup asks for, so that its configuration is known (the CSV lists it).
    const specs = new Set(runSpecs({ config: file.setup.config as RunConfig, compare: file.setup.compare }).map((spec) => `${spec.arm}:${spec.seed}`));
    file.runs.forEach((run, i) => {
      if (!specs.has(`${run.arm}:${run.seed}`))
        ctx.addIssue({ code: 'custom', path: ['runs', i], message: `${run.arm} with seed ${run.seed} is not one of the setup's runs` });
    });
  });

const SHOWN_ISSUES = 3;

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, SHOWN_ISSUES).map((issue) => `${issue.path.join('.') || '(the whole file)'}: ${issue.message}`);
  const more = issues.length - shown.length;
  return `${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`;
}

/** The experiment in an exported file, or why the file cannot be read. */
export function readExperimentFile(text: string): { experiment: ShownExperiment } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { error: `The file is not JSON: ${(error as Error).message}.` };
  }
  const head = (typeof json === 'object' && json !== null ? json : {}) as { format?: unknown; version?: unknown };
  if (head.format !== EXPERIMENT_FILE_FORMAT) return { error: `This is not a GRPO Lab experiment file: it has no "format": "${EXPERIMENT_FILE_FORMAT}".` };
  if (head.version !== EXPERIMENT_FILE_VERSION) {
    return { error: `This file is in format version ${JSON.stringify(head.version)}; this page reads version ${EXPERIMENT_FILE_VERSION} only.` };
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) return { error: `The file does not match format version ${EXPERIMENT_FILE_VERSION}: ${describeIssues(parsed.error.issues)}` };
  const { id, createdAt, setup, runs, notices, failure } = parsed.data;
  return { experiment: { id, createdAt, setup: { config: setup.config as RunConfig, compare: setup.compare }, runs, notices, failure } };
}
