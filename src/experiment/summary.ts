// The summary of an experiment (docs/design.md §10): per arm, statistics of its held-out accuracy as
// mean ± 95% CI over seeds with every seed's value kept, and each arm's paired difference from a
// reference arm, seed by seed, with a verdict. The page's table, the export and `sweep`'s summary.json.
import { type Interval, meanInterval, type PairedDifference, pairedDifference } from '../util/stats';
import type { IterationMetrics } from '../rl/metrics';
import type { Arm } from './arms';

/** One seed of one arm: held-out accuracy before training, and at each evaluation (after `iteration` iterations, counted from 1). */
export interface SeedRun {
  seed: number;
  start: number;
  evals: { iteration: number; accuracy: number }[];
}

export interface ArmRuns {
  label: string;
  arm: Arm;
  runs: SeedRun[];
}

/**
 * One seed's run from its iterations' metrics: the base model's accuracy from the first (NaN where there
 * is none yet, or in records made before it was measured), then every evaluation, iterations counted from 1.
 */
export function seedRun(seed: number, metrics: readonly Pick<IterationMetrics, 'iteration' | 'accuracy' | 'startAccuracy'>[]): SeedRun {
  const evals: SeedRun['evals'] = [];
  for (const { iteration, accuracy } of metrics) if (accuracy !== null) evals.push({ iteration: iteration + 1, accuracy });
  return { seed, start: metrics[0]?.startAccuracy ?? Number.NaN, evals };
}

/** What is summarised, each with what it means. */
export const STATISTICS = {
  start: 'held-out greedy accuracy before training',
  end: 'at the last evaluation',
  best: 'at the best evaluation',
  mean: 'mean over the evaluations (area under the curve)',
  gain: 'end − start',
  toThreshold: 'iterations until an evaluation first reached the threshold (seeds that never did are left out, and counted)',
} as const;

export type Statistic = keyof typeof STATISTICS;

/** Statistics where less is better: reaching the threshold in fewer iterations. */
const LOWER_IS_BETTER: ReadonlySet<Statistic> = new Set(['toThreshold']);

/** A paired difference's verdict read the right way round for `name`: fewer iterations to the threshold is better. */
function oriented(name: Statistic, d: PairedDifference): PairedDifference {
  if (!LOWER_IS_BETTER.has(name)) return d;
  return { ...d, verdict: d.verdict === 'better' ? 'worse' : d.verdict === 'worse' ? 'better' : d.verdict };
}
export const STATISTIC_NAMES = Object.keys(STATISTICS) as Statistic[];

/** A statistic over seeds: every seed's value (NaN for toThreshold where it was never reached), their mean and 95% half-width. */
export interface StatisticSummary extends Interval {
  perSeed: number[];
}

export interface ArmSummary {
  label: string;
  algo: Arm['algo'];
  overrides: Arm['overrides'];
  seeds: number[];
  statistics: Record<Statistic, StatisticSummary>;
  /** This arm − the reference arm, paired by seed; null for the reference itself. */
  versusReference: Record<Statistic, PairedDifference> | null;
}

export interface Summary {
  reference: string;
  threshold: number;
  arms: ArmSummary[];
}

function seedStatistics(run: SeedRun, threshold: number): Record<Statistic, number> {
  const accuracies = run.evals.map((e) => e.accuracy);
  const end = accuracies.at(-1) ?? Number.NaN;
  const reached = run.evals.find((e) => e.accuracy >= threshold);
  return {
    start: run.start,
    end,
    best: accuracies.length > 0 ? Math.max(...accuracies) : Number.NaN,
    mean: accuracies.length > 0 ? accuracies.reduce((a, b) => a + b, 0) / accuracies.length : Number.NaN,
    gain: end - run.start,
    toThreshold: reached ? reached.iteration : Number.NaN,
  };
}

function over(perSeed: number[]): StatisticSummary {
  return { ...meanInterval(perSeed.filter(Number.isFinite)), perSeed };
}

/** The summary of `arms`, each paired seed by seed with the arm labelled `reference`; `threshold` is an accuracy in [0, 1]. */
export function summarize(arms: readonly ArmRuns[], reference: string, threshold: number): Summary {
  const ref = arms.find((a) => a.label === reference);
  if (!ref) throw new Error(`summary: no arm is labelled ${JSON.stringify(reference)} (arms: ${arms.map((a) => a.label).join(', ')})`);
  const bySeed = (a: ArmRuns) => new Map(a.runs.map((run) => [run.seed, seedStatistics(run, threshold)]));
  const refStats = bySeed(ref);
  return {
    reference,
    threshold,
    arms: arms.map((a) => {
      const stats = bySeed(a);
      const seeds = a.runs.map((run) => run.seed);
      const statistics = Object.fromEntries(STATISTIC_NAMES.map((name) => [name, over(seeds.map((s) => stats.get(s)![name]))])) as Record<
        Statistic,
        StatisticSummary
      >;
      const shared = seeds.filter((s) => refStats.has(s));
      const versus = (name: Statistic) => {
        const both = shared.filter((s) => Number.isFinite(stats.get(s)![name]) && Number.isFinite(refStats.get(s)![name]));
        const d = pairedDifference(
          both.map((s) => stats.get(s)![name]),
          both.map((s) => refStats.get(s)![name]),
        );
        return oriented(name, d);
      };
      const versusReference =
        a === ref ? null : (Object.fromEntries(STATISTIC_NAMES.map((name) => [name, versus(name)])) as Record<Statistic, PairedDifference>);
      return { label: a.label, algo: a.arm.algo, overrides: a.arm.overrides, seeds, statistics, versusReference };
    }),
  };
}

/** An accuracy statistic in points, iterations as they are: "43.1 ± 2.5". */
function formatInterval(name: Statistic, { mean, ci95, n }: Interval, of?: number): string {
  if (n === 0) return '—';
  const scale = name === 'toThreshold' ? 1 : 100;
  const value = `${(scale * mean).toFixed(1)}${Number.isFinite(ci95) ? ` ± ${(scale * ci95).toFixed(1)}` : ''}`;
  return of !== undefined && n < of ? `${value} (${n} of ${of})` : value;
}

/** The summary as markdown: one table of the statistics, one of the paired differences with their verdicts. */
export function summaryMarkdown(summary: Summary): string {
  const header = (first: string) => `| ${first} | ${STATISTIC_NAMES.join(' | ')} |\n|---|${STATISTIC_NAMES.map(() => '---|').join('')}`;
  const rows = summary.arms.map(
    (a) => `| ${a.label} (${a.seeds.length} seeds) | ${STATISTIC_NAMES.map((name) => formatInterval(name, a.statistics[name], a.seeds.length)).join(' | ')} |`,
  );
  const differences = summary.arms
    .filter((a) => a.versusReference)
    .map(
      (a) =>
        `| ${a.label} − ${summary.reference} | ${STATISTIC_NAMES.map((name) => {
          const d = a.versusReference![name];
          return `${formatInterval(name, d)} ${d.verdict}`;
        }).join(' | ')} |`,
    );
  return [
    `Held-out accuracy in points (toThreshold: iterations to ${(100 * summary.threshold).toFixed(1)}%), mean ± 95% CI over seeds (Student t).`,
    '',
    header('arm'),
    ...rows,
    '',
    `Paired by seed against ${summary.reference}:`,
    '',
    header('difference'),
    ...differences,
    '',
  ].join('\n');
}
