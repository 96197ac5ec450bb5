import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSweep, writeSweepSummary } from '../../src/cli/sweep-summary';
import { applyPreset, makeRunConfig } from '../../src/experiment/config';

const dir = mkdtempSync(join(tmpdir(), 'grpo-lab-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** sweep.jsonl as `sweep` writes it: per run its config, then per iteration its metrics (only what the summary reads). */
function sweepLines(): string {
  const lines: string[] = [];
  let run = 0;
  for (const algo of ['grpo', 'tic-grpo'] as const) {
    for (const seed of [1, 2, 3]) {
      const config = applyPreset(makeRunConfig({ iterations: 4, evalEvery: 2, seed }), algo);
      lines.push(JSON.stringify({ run, config }));
      // Accuracy after iterations 1, 3 and 4 (evalEvery 2 and the last); TIC-GRPO 10 points ahead at the end.
      const end = 0.4 + 0.1 * seed + (algo === 'tic-grpo' ? 0.1 : 0);
      const accuracy = [0.3, null, 0.35, end];
      accuracy.forEach((a, iteration) => lines.push(JSON.stringify({ run, iteration, accuracy: a, startAccuracy: iteration === 0 ? 0.25 : null })));
      run++;
    }
  }
  return `${lines.join('\n')}\n`;
}

describe("a sweep's summary", () => {
  it('groups the grid into arms and keeps every seed, as summary.json and summary.md', () => {
    writeFileSync(join(dir, 'sweep.jsonl'), sweepLines());
    const markdown = writeSweepSummary(dir, { threshold: 0.6 });
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.reference).toBe('GRPO');
    expect(summary.arms.map((a: { label: string }) => a.label)).toEqual(['GRPO', 'TIC-GRPO']);
    const [grpo, tic] = summary.arms;
    expect(grpo.seeds).toEqual([1, 2, 3]);
    expect(grpo.statistics.end.perSeed.map((x: number) => Number(x.toFixed(12)))).toEqual([0.5, 0.6, 0.7]);
    expect(grpo.statistics.start.perSeed).toEqual([0.25, 0.25, 0.25]);
    // Seed 1 of GRPO never reaches 60%: null in JSON, left out of the mean.
    expect(grpo.statistics.toThreshold.perSeed).toEqual([null, 4, 4]);
    expect(tic.versusReference.end.verdict).toBe('better');
    expect(tic.versusReference.end.mean).toBeCloseTo(0.1, 12);
    expect(grpo.versusReference).toBeNull();
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toBe(markdown);
    expect(markdown).toContain('| TIC-GRPO − GRPO |');
  });

  it('refuses a reference that is no arm, and lines it cannot read, naming them', () => {
    expect(() => writeSweepSummary(dir, { reference: 'DAPO', threshold: 0.5 })).toThrow(/no arm is labelled "DAPO"/);
    expect(() => readSweep('{"run":0,"iteration":0}\n', 'x.jsonl')).toThrow('x.jsonl:1: metrics of run 0 before its config');
    expect(() => readSweep('not json\n', 'x.jsonl')).toThrow('x.jsonl:1: not JSON');
  });
});
