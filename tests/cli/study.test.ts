import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { study } from '../../src/cli/study';
import { readSweep } from '../../src/cli/sweep-summary';
import type { Summary } from '../../src/experiment/summary';

const dir = mkdtempSync(join(tmpdir(), 'study-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('runs a study into DIR/<task>/ with a summary whose per-seed values are those of its sweep.jsonl', { timeout: 180_000 }, async () => {
  await study(['tic-vs-grpo', '--tasks', 'reverse', '--seeds', '1,2', '--iterations', '1', '--out', dir]);

  const { configs, metrics } = readSweep(readFileSync(join(dir, 'reverse', 'sweep.jsonl'), 'utf8'));
  expect(configs.map((c) => [c.algo, c.clipMode, c.seed, c.iterations])).toEqual([
    ['grpo', 'truncate', 1, 1],
    ['tic-grpo', 'truncate', 1, 1],
    ['tic-grpo', 'zero-grad', 1, 1],
    ['grpo', 'truncate', 2, 1],
    ['tic-grpo', 'truncate', 2, 1],
    ['tic-grpo', 'zero-grad', 2, 1],
  ]); // seed-major
  const summary: Summary = JSON.parse(readFileSync(join(dir, 'reverse', 'summary.json'), 'utf8'));
  expect(summary.reference).toBe('GRPO');
  expect(summary.arms.map((a) => a.label)).toEqual(['GRPO', 'TIC-GRPO', 'TIC-GRPO zero-grad']);
  summary.arms.forEach((arm, i) => {
    const runs = [i, i + 3]; // the arm's runs on seeds 1 and 2
    expect(arm.seeds).toEqual([1, 2]);
    expect(arm.statistics.start.perSeed).toEqual(runs.map((run) => metrics[run]![0]!.startAccuracy));
    expect(arm.statistics.end.perSeed).toEqual(runs.map((run) => metrics[run]!.filter((m) => m.accuracy !== null).at(-1)!.accuracy));
  });
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  expect(readme).toContain('## reverse: TIC-GRPO against GRPO');
  expect(readme).toContain(`npm run cli -- study tic-vs-grpo --seeds 1,2 --tasks reverse --iterations 1 --out ${dir}`);
  expect(readme).toContain(readFileSync(join(dir, 'reverse', 'summary.md'), 'utf8'));
});
