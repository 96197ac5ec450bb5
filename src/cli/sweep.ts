import { openNodeGpu } from '../gpu/node';
import { Args } from './args';
import { checkpointLoaderFromArgs } from './node-checkpoints';
import { progressLine, runOne } from './run';
import { runGridFromArgs } from './run-config-args';
import { createSweepFiles } from './sweep-files';
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
  const files = createSweepFiles(out);
  console.error(`sweep: ${grid.length} runs → ${files.jsonl}, ${files.csv}`);
  const gpu = await openNodeGpu();
  for (const [run, config] of grid.entries()) {
    files.config(run, config);
    await runOne(gpu, config, load, (m) => {
      files.metrics(run, config, m);
      console.error(progressLine(`run ${run + 1}/${grid.length} ${config.algo} K=${config.K} seed ${config.seed}`, config, m));
    });
  }
  gpu.destroy();
  console.log(writeSweepSummary(out, summary));
}
