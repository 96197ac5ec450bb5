import { benchInBrowser } from '../bench/browser';
import { benchInNode } from '../bench/node';
import { parseBenchOptions } from '../bench/options';
import { markdownReport, progressLine } from '../bench/report';
import type { BenchResult } from '../bench/results';
import { Args } from './args';

/**
 * `bench`: ours against TF.js and jax-js on the same adapter — training step, sampling, and one RL
 * iteration of ours — in Node on Dawn, or with `--browser` in headless Chromium. `--json` prints
 * one JSON line per result; otherwise a line per result as it comes, then markdown tables.
 */
export async function bench(argv: string[]): Promise<void> {
  const args = new Args('bench', argv);
  const options = parseBenchOptions((name, fallback) => args.string(name, fallback));
  const json = args.flag('json');
  const browser = args.flag('browser');
  args.done();
  const results: BenchResult[] = [];
  const emit = (r: BenchResult) => {
    results.push(r);
    console.log(json ? JSON.stringify(r) : progressLine(r));
  };
  await (browser ? benchInBrowser : benchInNode)(options, emit);
  if (!json) console.log(`\n${markdownReport(results, options.runs, options.warmup)}`);
}
