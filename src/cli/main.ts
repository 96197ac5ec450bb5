// The single entry point for Node commands: `npm run cli -- <command> [--flag value ...]`.
import { bench } from './bench';
import { info } from './info';
import { makeCheckpoints } from './make-checkpoints';
import { modelCheck } from './model-check';
import { pgCheck } from './pg-check';
import { run } from './run';
import { study } from './study';
import { sweep } from './sweep';
import { summarizeSweep } from './sweep-summary';
import { timePage } from './time-page';

type Command = { summary: string; run: (args: string[]) => Promise<void> };

const COMMANDS: Record<string, Command> = {
  info: { summary: 'print the WebGPU adapter and the limits the runtime requested, as one JSON line', run: info },
  'model-check': {
    summary: 'run the GPT forward + backward on the GPU, write params/tokens/loss/grads to --out DIR, compare with float64',
    run: async (args) => {
      await modelCheck(args);
    },
  },
  'make-checkpoints': {
    summary: 'supervised warm-up per task to a weak held-out accuracy; writes public/checkpoints/<task>-<model>.ckpt',
    run: makeCheckpoints,
  },
  run: { summary: 'train one configuration (--preset NAME --task TASK --<field> value …) and write --out FILE.jsonl', run },
  sweep: { summary: 'train a grid (--K 1,4,8,16 --presets grpo,tic-grpo --seed 1,2 …) and write --out DIR/sweep.{jsonl,csv}', run: sweep },
  summarize: {
    summary: 'write the summary of a sweep again (--dir DIR [--reference LABEL] [--threshold 0.5]): DIR/summary.{json,md}, printed',
    run: summarizeSweep,
  },
  study: {
    summary: 'run a named study (k-ablation, tic-vs-grpo, …: arms × seeds × tasks) into --out DIR/<task>/ as sweep does, then DIR/README.md',
    run: study,
  },
  'pg-check': {
    summary: 'sample one batch, drift θ from θ_old by --drift steps, write the models, trajectories and the loss gradient to --out DIR, compare with float64',
    run: async (args) => {
      await pgCheck(args);
    },
  },
  'time-page': {
    summary: "open the built page in headless Chromium (--query '?…', default: a fresh visit), press Start, print how long until every run finished",
    run: timePage,
  },
  bench: { summary: 'time forward + backward + AdamW per model preset (median of repeated runs)', run: bench },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'usage: npm run cli -- <command> [options]',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help') {
    console.log(usage());
    return name === undefined ? 1 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${usage()}`);
    return 1;
  }
  await command.run(args);
  return 0;
}

// Exit explicitly: Node does not exit on its own while a WebGPU device is alive.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
