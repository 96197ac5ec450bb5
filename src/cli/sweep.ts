import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FIELD_NAMES } from '../config/fields';
import { openNodeGpu } from '../gpu/node';
import { configColumnName, METRIC_COLUMNS } from '../experiment/metric-columns';
import { Args } from './args';
import { checkpointLoaderFromArgs } from './node-checkpoints';
import { progressLine, runOne } from './run';
import { runGridFromArgs } from './run-config-args';
import { summaryOptionsFromArgs, writeSweepSummary } from './sweep-summary';

/**
 * `sweep`: a grid of runs (every field may be a comma list); writes DIR/sweep.jsonl and DIR/sweep.csv as
 * it goes, and at the end the summary of its arms (the grid less the seed) against `--reference`
 * (default: the first arm) to DIR/summary.json and DIR/summary.md, printed too.
 */
export async function sweep(argv: string[]): Promise<void> {
  const args = new Args('sweep', argv);
  const grid = runGridFromArgs(args);
  const out = args.string('out');
  const load = checkpointLoaderFromArgs(args);
  const summary = summaryOptionsFromArgs(args);
  args.done();
  mkdirSync(out, { recursive: true });
  const jsonl = join(out, 'sweep.jsonl');
  const csv = join(out, 'sweep.csv');
  writeFileSync(jsonl, '');
  writeFileSync(csv, `${['run', ...RUN_FIELD_NAMES.map(configColumnName), ...METRIC_COLUMNS].join(',')}\n`);
  console.error(`sweep: ${grid.length} runs → ${jsonl}, ${csv}`);
  const gpu = await openNodeGpu();
  for (const [run, config] of grid.entries()) {
    appendFileSync(jsonl, `${JSON.stringify({ run, config })}\n`);
    await runOne(gpu, config, load, (m) => {
      appendFileSync(jsonl, `${JSON.stringify({ run, ...m })}\n`);
      const fields = RUN_FIELD_NAMES.map((f) => config[f]);
      appendFileSync(csv, `${[run, ...fields, ...METRIC_COLUMNS.map((c) => m[c] ?? '')].join(',')}\n`);
      console.error(progressLine(`run ${run + 1}/${grid.length} ${config.algo} K=${config.K} seed ${config.seed}`, config, m));
    });
  }
  gpu.destroy();
  console.log(writeSweepSummary(out, summary));
}
