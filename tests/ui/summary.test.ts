import { describe, expect, it } from 'vitest';
import { armLabels } from '../../src/experiment/arms';
import { seedRun as seedRunOf } from '../../src/experiment/summary';
import { pageSummary, summaryArms } from '../../src/ui/summary/page-summary';

const seedRun = (record: RunRecord) => seedRunOf(record.seed, record.metrics);
import { differenceCell, percentOf, statisticCell, statisticHeading, statisticValue } from '../../src/ui/summary/summary-cells';
import { DEFAULT_SUMMARY_CHOICE } from '../../src/ui/summary/summary-choice';
import type { RunRecord, SeriesPoint } from '../../src/ui/training/runs';
import { shownExperiment } from './experiments';
import { SETUP } from './fake-worker';
import { point } from './points';

/** A run of `arm` with seed `seed` over `metrics`. */
function run(arm: string, seed: number, metrics: SeriesPoint[]): RunRecord {
  return { id: `${arm}:${seed}`, arm, seed, iterations: 3, state: 'running', metrics, samples: [], error: null };
}

/** Three iterations: the base model's accuracy on the first, evaluations after the first and the third. */
const evaluated = (start: number | null, first: number, last: number) => [
  point(0, { startAccuracy: start, accuracy: first }),
  point(1),
  point(2, { accuracy: last }),
];

describe('the runs on the page as the summary’s arms', () => {
  it('take start from the first iteration and every evaluation, iterations counted from 1', () => {
    expect(seedRun(run('GRPO', 5, evaluated(0.25, 0.3, 0.5)))).toEqual({
      seed: 5,
      start: 0.25,
      evals: [
        { iteration: 1, accuracy: 0.3 },
        { iteration: 3, accuracy: 0.5 },
      ],
    });
  });

  it('give a run that has not evaluated yet no evaluations, and one saved before startAccuracy a start of NaN', () => {
    expect(seedRun(run('GRPO', 5, []))).toEqual({ seed: 5, start: Number.NaN, evals: [] });
    expect(seedRun(run('GRPO', 5, evaluated(null, 0.3, 0.5))).start).toBeNaN();
  });

  it('are the setup’s arms in its order, each with its preset and overrides and the runs of its label', () => {
    const setup = { ...SETUP, arms: [SETUP.arms[0]!, { algo: 'tic-grpo' as const, overrides: { K: 1 } }] };
    const [grpo, tic] = armLabels(setup.arms, setup.config);
    expect(tic).toBe('TIC-GRPO K=1');
    // Seed-major, as the engine starts them.
    const runs = [run(grpo!, 5, evaluated(0.2, 0.3, 0.4)), run(tic!, 5, []), run(grpo!, 6, []), run(tic!, 6, [])];
    const arms = summaryArms(setup, runs);
    expect(arms.map((a) => [a.label, a.arm, a.runs.map((r) => r.seed)])).toEqual([
      ['GRPO', { algo: 'grpo', overrides: {} }, [5, 6]],
      ['TIC-GRPO K=1', { algo: 'tic-grpo', overrides: { K: 1 } }, [5, 6]],
    ]);
    expect(arms[0]!.runs[0]!.evals).toHaveLength(2);
  });

  it('are summarised against the chosen reference, or the first arm where the choice names none of them', () => {
    const { runs } = shownExperiment('x', 0);
    expect(pageSummary(SETUP, runs, DEFAULT_SUMMARY_CHOICE).reference).toBe('GRPO');
    expect(pageSummary(SETUP, runs, { reference: 'TIC-GRPO', threshold: 0.5 }).reference).toBe('TIC-GRPO');
    expect(pageSummary(SETUP, runs, { reference: 'DAPO', threshold: 0.5 }).reference).toBe('GRPO');
    expect(pageSummary(SETUP, runs, { reference: null, threshold: 0.3 }).threshold).toBe(0.3);
  });
});

describe('the summary table’s cells', () => {
  const setup = SETUP;
  const runs = [
    run('GRPO', 5, evaluated(0.2, 0.3, 0.5)),
    run('TIC-GRPO', 5, evaluated(0.2, 0.4, 0.6)),
    run('GRPO', 6, evaluated(0.2, 0.2, 0.4)),
    run('TIC-GRPO', 6, []),
  ];
  const summary = pageSummary(setup, runs, { reference: 'GRPO', threshold: 0.5 });
  const [grpo, tic] = summary.arms;

  it('read in points as mean ± half-width, each seed on hover, and iterations to the threshold as iterations', () => {
    expect(statisticCell('end', grpo!.statistics.end, grpo!.seeds)).toEqual({ text: '45.0 ± 63.5', perSeed: 'seed 5: 50.0, seed 6: 40.0' });
    expect(statisticCell('toThreshold', grpo!.statistics.toThreshold, grpo!.seeds)).toEqual({ text: '3.0 (1 of 2)', perSeed: 'seed 5: 3.0, seed 6: —' });
    expect(statisticHeading('toThreshold', 0.333)).toBe('Iterations to 33.3%');
    expect(statisticHeading('gain', 0.5)).toBe('Gain');
    expect(percentOf(0.333)).toBe(33.3);
  });

  it('show — where no run has evaluated yet, and for a start not recorded', () => {
    const fresh = pageSummary(setup, [run('GRPO', 5, []), run('TIC-GRPO', 5, [point(0, { accuracy: 0.4 })])], DEFAULT_SUMMARY_CHOICE);
    for (const a of fresh.arms) expect(statisticCell('start', a.statistics.start, a.seeds)).toEqual({ text: '—', perSeed: 'seed 5: —' });
    expect(statisticCell('end', fresh.arms[0]!.statistics.end, [5]).text).toBe('—');
    expect(statisticCell('end', fresh.arms[1]!.statistics.end, [5]).text).toBe('40.0');
    const versus = differenceCell('end', fresh.arms[1]!.versusReference!.end, 1);
    expect(versus).toEqual({ text: '—', perSeed: 'no seed has a value in both arms yet', verdict: 'too few seeds' });
  });

  it('give each paired difference with its sign, its per-seed differences and the verdict in words', () => {
    // Only seed 5 has evaluated in both arms.
    expect(differenceCell('end', tic!.versusReference!.end, tic!.seeds.length)).toEqual({
      text: '+10.0 (1 of 2)',
      perSeed: 'per paired seed: +10.0',
      verdict: 'too few seeds',
    });
    expect(differenceCell('start', tic!.versusReference!.start, 2).verdict).toBe('identical');
    expect(statisticValue('gain', -0.004, true)).toBe('−0.4');
    expect(statisticValue('gain', -0.0001, true)).toBe('0.0');
  });

  it('say that reaching the threshold in more iterations is slower', () => {
    // The summary already reads toThreshold's verdict the right way round (more iterations: worse).
    const slower = { mean: 4, ci95: 1, n: 3, perSeed: [3, 4, 5], verdict: 'worse' as const };
    expect(differenceCell('toThreshold', slower, 3)).toEqual({ text: '+4.0 ± 1.0', perSeed: 'per paired seed: +3.0, +4.0, +5.0', verdict: 'slower' });
    expect(differenceCell('toThreshold', { ...slower, mean: -4, verdict: 'better' }, 3).verdict).toBe('faster');
    expect(differenceCell('end', { ...slower, verdict: 'better' }, 3).verdict).toBe('better');
  });
});
