import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRunConfig } from '../experiment/config';
import { study as findStudy, studyArms } from '../experiment/studies';
import { openNodeGpu } from '../gpu/node';
import { Args } from './args';
import { loadCheckpointFromDisk } from './node-checkpoints';
import { progressLine, runOne } from './run';
import { createSweepFiles } from './sweep-files';
import { writeSweepSummary } from './sweep-summary';

/** The accuracy a study's summary counts iterations to, as `sweep`'s default. */
const THRESHOLD = 0.5;

function seedList(args: Args, fallback: number[]): number[] {
  const raw = args.list('seeds', fallback.join(','));
  const seeds = raw.map(Number);
  if (seeds.length === 0 || !seeds.every((s) => Number.isInteger(s) && s >= 0)) throw new Error(`study: --seeds must be integers ≥ 0, got "${raw.join(',')}"`);
  return seeds;
}

/**
 * `study NAME [--seeds 1,2,3] [--tasks reverse,add] [--iterations N] --out DIR`: a named study
 * (src/experiment/studies.ts; default its verdict seeds and every task). Per task, seed-major (every arm
 * on seed 1, then every arm on seed 2, …, so a study stopped early holds complete pairs), into
 * DIR/<task>/ as `sweep` writes it, with its summary against the study's reference arm; then DIR/README.md.
 */
export async function study(argv: string[]): Promise<void> {
  const [name = '', ...rest] = argv;
  const s = findStudy(name);
  const args = new Args('study', rest);
  const seeds = seedList(args, s.seeds.verdict);
  const known = s.tasks.map((t) => t.task as string);
  const tasks = args.list('tasks', known.join(','));
  const unknown = tasks.filter((t) => !known.includes(t));
  if (unknown.length > 0) throw new Error(`study ${name}: no task ${unknown.join(', ')} in this study (its tasks: ${known.join(', ')})`);
  const iterations = args.has('iterations') ? args.int('iterations', 0, 1) : undefined;
  const out = args.string('out');
  args.done();

  const plans = studyArms(name)
    .filter((t) => tasks.includes(t.task))
    .map((t) => ({
      ...t,
      runs: seeds.flatMap((seed) =>
        t.arms.map(({ label, config }) => ({ label, config: makeRunConfig({ ...config, seed, ...(iterations ? { iterations } : {}) }) })),
      ),
    }));
  const total = plans.reduce((n, p) => n + p.runs.reduce((m, r) => m + r.config.iterations, 0), 0);
  let done = 0;
  const gpu = await openNodeGpu();
  const started = performance.now();
  const sections: string[] = [];
  try {
    for (const plan of plans) {
      const dir = join(out, plan.task);
      const files = createSweepFiles(dir);
      console.error(`study ${name}, ${plan.task}: ${plan.runs.length} runs → ${files.jsonl}`);
      for (const [run, { label, config }] of plan.runs.entries()) {
        files.config(run, config);
        await runOne(gpu, config, loadCheckpointFromDisk, (m) => {
          files.metrics(run, config, m);
          done++;
          const left = ((performance.now() - started) / done) * (total - done);
          console.error(
            `${progressLine(`${plan.task} run ${run + 1}/${plan.runs.length} ${label} seed ${config.seed}`, config, m)}; study ~${Math.round(left / 1000)} s left`,
          );
        });
      }
      const summary = writeSweepSummary(dir, { reference: plan.reference, threshold: THRESHOLD });
      const command = [
        'npm run cli -- study',
        name,
        '--seeds',
        seeds.join(','),
        '--tasks',
        plan.task,
        ...(iterations ? ['--iterations', iterations] : []),
        '--out',
        out,
      ].join(' ');
      const notes = plan.coincide.map((c) => `- ${plan.arms[c.arms[0]]!.label} and ${plan.arms[c.arms[1]]!.label} coincide: ${c.note}.`);
      sections.push(
        [`## ${plan.task}: ${s.title}`, '', s.question, '', '```sh', command, '```', '', ...(notes.length > 0 ? [...notes, ''] : []), summary].join('\n'),
      );
    }
  } finally {
    gpu.destroy();
  }
  const readme = `# Study ${name}\n\n${sections.join('\n')}`;
  writeFileSync(join(out, 'README.md'), readme);
  console.log(readme);
}
