import { describe, expect, it } from 'vitest';
import { type ArmRuns, summarize, summaryMarkdown } from '../../src/experiment/summary';

/** A seed's run: accuracy before training, then at iterations 5, 10, 15. */
const run = (seed: number, start: number, ...accuracies: number[]) => ({
  seed,
  start,
  evals: accuracies.map((accuracy, i) => ({ iteration: 5 * (i + 1), accuracy })),
});

const ARMS: ArmRuns[] = [
  { label: 'GRPO', arm: { algo: 'grpo', overrides: {} }, runs: [run(1, 0.2, 0.3, 0.4, 0.5), run(2, 0.2, 0.2, 0.5, 0.6), run(3, 0.2, 0.25, 0.3, 0.4)] },
  {
    label: 'TIC-GRPO',
    arm: { algo: 'tic-grpo', overrides: {} },
    runs: [run(1, 0.2, 0.3, 0.5, 0.6), run(2, 0.2, 0.3, 0.6, 0.7), run(3, 0.2, 0.3, 0.4, 0.5)],
  },
];

describe('the summary', () => {
  const summary = summarize(ARMS, 'GRPO', 0.5);
  const [grpo, tic] = summary.arms;

  it('keeps every seed and gives each statistic its mean and t interval', () => {
    expect(grpo!.statistics.end.perSeed).toEqual([0.5, 0.6, 0.4]);
    expect(grpo!.statistics.end.mean).toBeCloseTo(0.5, 12);
    // sd 0.1 over 3 seeds: 4.30265273 · 0.1/√3.
    expect(grpo!.statistics.end.ci95).toBeCloseTo(0.248414, 5);
    expect(grpo!.statistics.best.perSeed).toEqual([0.5, 0.6, 0.4]);
    expect(grpo!.statistics.mean.perSeed.map((x) => Number(x.toFixed(12)))).toEqual([0.4, 0.433333333333, 0.316666666667]);
    expect(grpo!.statistics.gain.perSeed.map((x) => Number(x.toFixed(12)))).toEqual([0.3, 0.4, 0.2]);
    // Seed 3 never reaches 50%: left out of the mean, and counted.
    expect(grpo!.statistics.toThreshold.perSeed).toEqual([15, 10, Number.NaN]);
    expect(grpo!.statistics.toThreshold).toMatchObject({ mean: 12.5, n: 2 });
    // Every run starts from the same base model: a zero-width interval.
    expect(grpo!.statistics.start.mean).toBeCloseTo(0.2, 12);
    expect(grpo!.statistics.start.ci95).toBeCloseTo(0, 12);
  });

  it('pairs each arm with the reference seed by seed', () => {
    expect(grpo!.versusReference).toBeNull();
    const end = tic!.versusReference!.end;
    expect(end.perSeed.map((x) => Number(x.toFixed(12)))).toEqual([0.1, 0.1, 0.1]);
    expect(end.verdict).toBe('better');
    expect(tic!.versusReference!.start.verdict).toBe('identical');
    // Seeds where either arm never reached the threshold are not paired; fewer iterations is better.
    expect(tic!.versusReference!.toThreshold.perSeed).toEqual([-5, 0]);
    // GRPO reaches 40% at iterations 10, 10, 15; an arm that gets there at 5, 5, 10 is 5 iterations sooner on every seed.
    const sooner: ArmRuns = { ...ARMS[1]!, runs: [run(1, 0.2, 0.4), run(2, 0.2, 0.4), run(3, 0.2, 0.3, 0.4)] };
    const fast = summarize([ARMS[0]!, sooner], 'GRPO', 0.4).arms[1]!.versusReference!.toThreshold;
    expect(fast).toMatchObject({ perSeed: [-5, -5, -5], verdict: 'better' });
    const slow = summarize([sooner, { ...ARMS[0]!, label: 'late' }], sooner.label, 0.4).arms[1]!.versusReference!.toThreshold;
    expect(slow).toMatchObject({ perSeed: [5, 5, 5], verdict: 'worse' });
  });

  it('prints both tables as markdown', () => {
    const text = summaryMarkdown(summary);
    expect(text).toContain('| GRPO (3 seeds) | 20.0 ± 0.0 | 50.0 ± 24.8 |');
    expect(text).toContain('| TIC-GRPO − GRPO | 0.0 ± 0.0 identical | 10.0 ± 0.0 better |');
    expect(text).toContain('12.5 ± 31.8 (2 of 3)');
  });

  it('refuses a reference that is not one of the arms', () => {
    expect(() => summarize(ARMS, 'DAPO', 0.5)).toThrow(/no arm is labelled "DAPO"/);
  });
});
