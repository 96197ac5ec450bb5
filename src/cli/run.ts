import { appendFileSync, writeFileSync } from 'node:fs';
import type { RunConfig } from '../config/fields';
import { createTrainer } from '../experiment/run';
import type { Gpu } from '../gpu/gpu';
import { openNodeGpu } from '../gpu/node';
import type { IterationMetrics } from '../rl/metrics';
import { Args } from './args';
import type { CheckpointLoader } from '../experiment/base-model';
import { checkpointLoaderFromArgs } from './node-checkpoints';
import { runConfigFromArgs } from './run-config-args';

/** Runs one configuration for its iterations, calling `each` per iteration; the trainer measures held-out accuracy at the last. */
export async function runOne(gpu: Gpu, config: RunConfig, load: CheckpointLoader, each: (m: IterationMetrics) => void): Promise<IterationMetrics[]> {
  const { trainer } = await createTrainer(gpu, config, load);
  const all: IterationMetrics[] = [];
  try {
    for (let i = 0; i < config.iterations; i++) {
      const m = await trainer.step();
      all.push(m);
      each(m);
    }
  } finally {
    trainer.destroy();
  }
  return all;
}

export function progressLine(label: string, config: RunConfig, m: IterationMetrics): string {
  const acc = m.accuracy === null ? '' : ` acc ${(100 * m.accuracy).toFixed(1)}%`;
  const left = ((config.iterations - m.iteration - 1) * m.wallMs) / 1000;
  return `${label} iteration ${m.iteration + 1}/${config.iterations}: reward ${m.rewardMean.toFixed(3)}${acc} kl ${m.kl.toFixed(4)} clip ${(100 * (m.clipLow + m.clipHigh)).toFixed(1)}% ${Math.round(m.tokensPerSecond)} tok/s, ~${Math.round(left)} s left`;
}

/** `run`: one configuration; JSONL with the config first, then one metrics object per iteration. */
export async function run(argv: string[]): Promise<void> {
  const args = new Args('run', argv);
  const config = runConfigFromArgs(args);
  const out = args.string('out');
  const load = checkpointLoaderFromArgs(args);
  args.done();
  writeFileSync(out, `${JSON.stringify({ config })}\n`);
  const gpu = await openNodeGpu();
  await runOne(gpu, config, load, (m) => {
    appendFileSync(out, `${JSON.stringify(m)}\n`);
    console.error(progressLine(`${config.algo} seed ${config.seed}`, config, m));
  });
  gpu.destroy();
}
