import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from '../config/fields';
import { armsOfGrid } from '../experiment/arms';
import { type ArmRuns, type Summary, seedRun, summarize, summaryMarkdown } from '../experiment/summary';
import type { IterationMetrics } from '../rl/metrics';
import { Args } from './args';

/** What a sweep's sweep.jsonl holds: each run's config (a `{ run, config }` line) and its metrics (`{ run, …metrics }` lines). */
export interface SweepRecord {
  configs: RunConfig[];
  metrics: IterationMetrics[][];
}

/** Reads sweep.jsonl, refusing a line that is neither a config nor the metrics of a run it has seen, naming the line. */
export function readSweep(text: string, file = 'sweep.jsonl'): SweepRecord {
  const configs: RunConfig[] = [];
  const metrics: IterationMetrics[][] = [];
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .forEach((line, i) => {
      let value: { run?: unknown; config?: RunConfig; iteration?: unknown };
      try {
        value = JSON.parse(line);
      } catch {
        throw new Error(`${file}:${i + 1}: not JSON`);
      }
      const run = value.run;
      if (typeof run !== 'number' || !Number.isInteger(run) || run < 0) throw new Error(`${file}:${i + 1}: no run index`);
      if (value.config) {
        configs[run] = value.config;
        metrics[run] = [];
      } else if (typeof value.iteration === 'number' && metrics[run]) metrics[run].push(value as unknown as IterationMetrics);
      else throw new Error(`${file}:${i + 1}: metrics of run ${run} before its config`);
    });
  return { configs, metrics };
}

/** The sweep's arms (its grid points less the seed), each seed's accuracy before training and at every evaluation. */
export function sweepArms({ configs, metrics }: SweepRecord): ArmRuns[] {
  return armsOfGrid(configs).map(({ arm, label, configs: seeds }) => ({
    label,
    arm,
    runs: seeds.map((config) => seedRun(config.seed, metrics[configs.indexOf(config)] ?? [])),
  }));
}

/** JSON cannot hold NaN: a statistic that is not defined (one seed's interval, a threshold never reached) is written as null. */
function summaryJson(summary: Summary): string {
  return `${JSON.stringify(summary, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

/** Writes DIR/summary.json and DIR/summary.md for the sweep in DIR; returns the markdown. */
export function writeSweepSummary(dir: string, options: { reference?: string; threshold: number }): string {
  const arms = sweepArms(readSweep(readFileSync(join(dir, 'sweep.jsonl'), 'utf8'), join(dir, 'sweep.jsonl')));
  if (arms.length === 0) throw new Error(`${dir}/sweep.jsonl has no runs`);
  const summary = summarize(arms, options.reference ?? arms[0]!.label, options.threshold);
  const markdown = summaryMarkdown(summary);
  writeFileSync(join(dir, 'summary.json'), summaryJson(summary));
  writeFileSync(join(dir, 'summary.md'), markdown);
  return markdown;
}

/** `--reference LABEL` (an arm's label; default the first arm) and `--threshold ACCURACY` (default 0.5). */
export function summaryOptionsFromArgs(args: Args): { reference?: string; threshold: number } {
  const reference = args.string('reference', '');
  const threshold = Number(args.string('threshold', '0.5'));
  if (!(threshold >= 0 && threshold <= 1)) throw new Error(`${args.command}: --threshold must be an accuracy in [0, 1], got ${args.string('threshold')}`);
  return reference === '' ? { threshold } : { reference, threshold };
}

/** `summarize --dir DIR [--reference LABEL] [--threshold 0.5]`: the summary of a finished (or running) sweep, again. */
export async function summarizeSweep(argv: string[]): Promise<void> {
  const args = new Args('summarize', argv);
  const dir = args.string('dir');
  const options = summaryOptionsFromArgs(args);
  args.done();
  console.log(writeSweepSummary(dir, options));
}
