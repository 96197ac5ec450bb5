import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FIELD_NAMES, type RunConfig } from '../config/fields';
import { configColumnName, METRIC_COLUMNS } from '../experiment/metric-columns';
import type { IterationMetrics } from '../rl/metrics';

/** A sweep's files as its runs write them: DIR/sweep.jsonl (`{ run, config }`, then `{ run, …metrics }` lines) and DIR/sweep.csv (a row per run and iteration). */
export interface SweepFiles {
  jsonl: string;
  csv: string;
  config(run: number, config: RunConfig): void;
  metrics(run: number, config: RunConfig, m: IterationMetrics): void;
}

/** Creates DIR and empties its sweep.jsonl and sweep.csv (the csv with its header). */
export function createSweepFiles(dir: string): SweepFiles {
  mkdirSync(dir, { recursive: true });
  const jsonl = join(dir, 'sweep.jsonl');
  const csv = join(dir, 'sweep.csv');
  writeFileSync(jsonl, '');
  writeFileSync(csv, `${['run', ...RUN_FIELD_NAMES.map(configColumnName), ...METRIC_COLUMNS].join(',')}\n`);
  return {
    jsonl,
    csv,
    config: (run, config) => appendFileSync(jsonl, `${JSON.stringify({ run, config })}\n`),
    metrics: (run, config, m) => {
      appendFileSync(jsonl, `${JSON.stringify({ run, ...m })}\n`);
      appendFileSync(csv, `${[run, ...RUN_FIELD_NAMES.map((f) => config[f]), ...METRIC_COLUMNS.map((c) => m[c] ?? '')].join(',')}\n`);
    },
  };
}
