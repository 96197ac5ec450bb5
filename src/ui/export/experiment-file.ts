// The JSON export of an experiment, versioned, and its reading back: every field checked with zod, so a
// malformed file is refused with a message that names what is wrong, and never half-read. A file of
// version 1 (a compare list instead of arms) is migrated as a version-1 link is. A file carries the summary
// the page showed (reference, threshold, statistics); it is derived from the runs, so reading ignores it.
import { z } from 'zod';
import { EXPERIMENT_FIELDS, type RunConfig } from '../../config/fields';
import type { Arm } from '../../experiment/arms';
import { fieldSchema, runConfigSchema } from '../../experiment/config';
import { INNER_METRIC_COLUMNS, METRIC_COLUMNS } from '../../experiment/metric-columns';
import { type PageSetup, runSpecs, setupSchema } from '../../experiment/setup';
import { PRESET_NAMES } from '../../loss/presets';
import { type ExperimentV1, migrateExperimentV1 } from '../persistence/experiment-v1';
import { pageSummary } from '../summary/page-summary';
import { DEFAULT_SUMMARY_CHOICE, type SummaryChoice } from '../summary/summary-choice';
import type { RunRecordState } from '../training/runs';
import type { ShownExperiment } from '../training/store';
import { summarySchema } from './summary-schema';

const EXPERIMENT_FILE_FORMAT = 'grpo-lab-experiment';
const EXPERIMENT_FILE_VERSION = 2;

/** The experiment as a file: format and version, when it was exported, the experiment itself, then its summary under `choice`. */
export function writeExperimentFile(
  { id, createdAt, setup, runs, notices, failure }: ShownExperiment,
  exportedAt: Date,
  choice: SummaryChoice = DEFAULT_SUMMARY_CHOICE,
): string {
  // JSON.stringify writes NaN as null, as the reader expects.
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
    summary: pageSummary(setup, runs, choice),
  });
}

const RUN_STATES = ['loading', 'running', 'paused', 'done', 'failed', 'interrupted'] as const satisfies readonly RunRecordState[];

/** JSON writes NaN and ±Infinity as null: they read back as NaN, which the charts skip. */
const metric = z
  .number()
  .nullable()
  .transform((v) => v ?? Number.NaN);
const metrics = <K extends string>(names: readonly K[]) => Object.fromEntries(names.map((name) => [name, metric])) as Record<K, typeof metric>;

const accuracy = z.number().min(0).max(1).nullable();
const innerSchema = z.strictObject(metrics(INNER_METRIC_COLUMNS));

const pointSchema = z.strictObject({
  ...metrics(METRIC_COLUMNS),
  iteration: z.int().min(0),
  accuracy,
  startAccuracy: accuracy,
  samplesSeen: z.int().min(0),
  inner: z.array(innerSchema),
});

/** Version-1 files may predate ratioMin, ess and startAccuracy: without them, they read as not measured. */
const notMeasured = metric.optional().transform((v) => v ?? Number.NaN);
const pointSchemaV1 = pointSchema.extend({
  ratioMin: notMeasured,
  ess: notMeasured,
  startAccuracy: accuracy.optional().transform((v) => v ?? null),
  inner: z.array(innerSchema.extend({ ratioMin: notMeasured, ess: notMeasured })),
});

const sampleSchema = z.strictObject({ prompt: z.string(), completion: z.array(z.string()), reward: metric, ratios: z.array(metric).nullable() });

/** A run, keyed by `arm`: its arm's label (version 2) or its preset (version 1). */
const runSchema = <A extends z.ZodType, P extends z.ZodType>(arm: A, point: P) =>
  z.strictObject({
    id: z.string().min(1),
    arm,
    seed: z.int(),
    iterations: z.int().min(1),
    state: z.enum(RUN_STATES),
    metrics: z.array(point),
    samples: z.array(sampleSchema),
    error: z.string().nullable(),
  });

const fileSchema = <V extends number, S extends z.ZodType, A extends z.ZodType, P extends z.ZodType>(version: V, setup: S, arm: A, point: P) =>
  z.strictObject({
    format: z.literal(EXPERIMENT_FILE_FORMAT),
    version: z.literal(version),
    exportedAt: z.iso.datetime(),
    id: z.string().min(1),
    createdAt: z.iso.datetime().transform(Date.parse),
    setup,
    runs: z.array(runSchema(arm, point)).min(1),
    notices: z.array(z.string()),
    failure: z.string().nullable(),
    /** Files exported before the summary table have none. */
    summary: summarySchema.optional(),
  });

/** Each run must be one the setup asks for, so that its configuration is known (the CSV lists it). */
function checkRuns(setup: PageSetup, runs: readonly { arm: string; seed: number }[], ctx: z.RefinementCtx) {
  const specs = new Set(runSpecs(setup).map((spec) => `${spec.arm}:${spec.seed}`));
  runs.forEach((run, i) => {
    if (!specs.has(`${run.arm}:${run.seed}`))
      ctx.addIssue({ code: 'custom', path: ['runs', i], message: `${run.arm} with seed ${run.seed} is not one of the setup's runs` });
  });
}

/** Runs are matched to a setup that is valid, and only then: runSpecs needs one. */
const whenValid = { when: (payload: z.core.ParsePayload) => payload.issues.length === 0 };

const fileV2 = fileSchema(EXPERIMENT_FILE_VERSION, setupSchema, z.string().min(1), pointSchema).superRefine(
  (file, ctx) => checkRuns(file.setup as PageSetup, file.runs, ctx),
  whenValid,
);

/** Version 1: the fields of one run plus its seeds, and the presets compared over it; checked whole once migrated. */
const fileV1 = fileSchema(
  1,
  z.strictObject({
    config: z.strictObject({ ...runConfigSchema.shape, seeds: fieldSchema(EXPERIMENT_FIELDS.seeds) }),
    compare: z.array(z.enum(PRESET_NAMES)).min(1),
  }),
  z.enum(PRESET_NAMES),
  pointSchemaV1,
);

/** The migrated version-1 file, checked as its setup and runs now read. */
const migratedV1 = z
  .object({ setup: setupSchema, runs: z.array(z.object({ arm: z.string(), seed: z.int() })) })
  .superRefine((file, ctx) => checkRuns(file.setup as PageSetup, file.runs, ctx), whenValid);

const SHOWN_ISSUES = 3;

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, SHOWN_ISSUES).map((issue) => `${issue.path.join('.') || '(the whole file)'}: ${issue.message}`);
  const more = issues.length - shown.length;
  return `${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`;
}

const mismatch = (version: number, issues: readonly z.core.$ZodIssue[]) => ({
  error: `The file does not match format version ${version}: ${describeIssues(issues)}`,
});

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
  if (head.version === 1) return readVersion1(json);
  if (head.version !== EXPERIMENT_FILE_VERSION) {
    return { error: `This file is in format version ${JSON.stringify(head.version)}; this page reads versions 1 and ${EXPERIMENT_FILE_VERSION}.` };
  }
  const parsed = fileV2.safeParse(json);
  if (!parsed.success) return mismatch(EXPERIMENT_FILE_VERSION, parsed.error.issues);
  const { id, createdAt, setup, runs, notices, failure } = parsed.data;
  return {
    experiment: {
      id,
      createdAt,
      setup: { config: setup.config as RunConfig, arms: setup.arms as Arm[], seeds: setup.seeds as number },
      runs,
      notices,
      failure,
    },
  };
}

function readVersion1(json: unknown): { experiment: ShownExperiment } | { error: string } {
  const parsed = fileV1.safeParse(json);
  if (!parsed.success) return mismatch(1, parsed.error.issues);
  const { id, createdAt, setup, runs, notices, failure } = parsed.data;
  const experiment = migrateExperimentV1({ id, createdAt, setup: setup as ExperimentV1['setup'], runs, notices, failure });
  const checked = migratedV1.safeParse(experiment);
  return checked.success ? { experiment } : mismatch(1, checked.error.issues);
}
