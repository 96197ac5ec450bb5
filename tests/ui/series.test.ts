import { describe, expect, it } from 'vitest';
import { decimals, niceAxis } from '../../src/ui/charts/axis';
import { formatTick, formatValue, METRICS } from '../../src/ui/charts/metric-table';
import { bandNote, smoothingNote } from '../../src/ui/charts/chart-note';
import { acrossSeeds, bucketed, chartRows, clampBands, MAX_POINTS, movingAverage, seedSeries, valueRange, xCoordinates } from '../../src/ui/charts/series';
import { point, series } from './points';

const reward = (p: { rewardMean: number }) => p.rewardMean;

/** One seed's reward series along iterations. */
const rewards = (points: ReturnType<typeof series>) => seedSeries(points, reward, 'iteration');
/** t₀.₉₇₅ with 1 and 2 degrees of freedom (tables). */
const T_1 = 12.706204736174707;
const T_2 = 4.302652729749464;

describe('chart series', () => {
  it('put iterations on x by number, by trajectories sampled, or by the run’s own training time', () => {
    const points = [point(0, { wallMs: 500 }), point(1, { wallMs: 1500 }), point(2, { wallMs: 1000 })];
    expect(xCoordinates(points, 'iteration')).toEqual([1, 2, 3]);
    expect(xCoordinates(points, 'samples')).toEqual([16, 32, 48]);
    expect(xCoordinates(points, 'time')).toEqual([0.5, 2, 3]);
  });

  it('average seeds per iteration with their min and max, over the seeds that have that iteration', () => {
    const seeds = [series(3, (i) => i), series(3, (i) => 3 * i), series(2, () => 10)].map(rewards);
    expect(acrossSeeds(seeds, 'minmax')).toEqual([
      { x: 1, mean: 10 / 3, band: [0, 10] },
      { x: 2, mean: 14 / 3, band: [1, 10] },
      { x: 3, mean: 4, band: [2, 6] },
    ]);
  });

  it('give the mean a 95% Student-t interval over the seeds that have the point, and none for one seed', () => {
    const seeds = [series(3, (i) => i + 1), series(3, (i) => 2 * i + 2), series(2, () => 3)].map(rewards);
    const [first, second, third] = acrossSeeds(seeds, 'ci95');
    // Values 1, 2, 3: mean 2, sd 1.
    expect(first!.mean).toBe(2);
    expect(first!.band![0]).toBeCloseTo(2 - T_2 / Math.sqrt(3), 9);
    expect(first!.band![1]).toBeCloseTo(2 + T_2 / Math.sqrt(3), 9);
    // Values 2, 4, 3: mean 3, sd 1.
    expect(second!.band![1]).toBeCloseTo(3 + T_2 / Math.sqrt(3), 9);
    // Values 3, 6: mean 4.5, sd 3/√2, n = 2.
    expect(third!.band![1]).toBeCloseTo(4.5 + (T_1 * (3 / Math.SQRT2)) / Math.SQRT2, 9);
    expect(acrossSeeds([rewards(series(2, () => 1))], 'ci95').map((b) => b.band)).toEqual([null, null]);
    expect(acrossSeeds([rewards(series(2, () => 1))], 'minmax').map((b) => b.band)).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  it('skip iterations that did not measure a value, and values that are not finite', () => {
    const seeds = [
      [point(0, { accuracy: 0.5 }), point(1), point(2, { accuracy: 0.75 })],
      [point(0, { accuracy: Number.NaN }), point(1), point(2, { accuracy: 0.25 })],
    ].map((points) => seedSeries(points, (p) => p.accuracy, 'iteration'));
    expect(seeds[1]).toEqual([null, null, { x: 3, y: 0.25 }]);
    expect(acrossSeeds(seeds, 'minmax')).toEqual([
      { x: 1, mean: 0.5, band: [0.5, 0.5] },
      { x: 3, mean: 0.5, band: [0.25, 0.75] },
    ]);
  });

  it('smooth a seed by a trailing moving average over its measured points, on screen only', () => {
    const raw = rewards(series(5, (i) => i + 1));
    expect(movingAverage(raw, 2).map((p) => p?.y)).toEqual([1, 1.5, 2.5, 3.5, 4.5]);
    expect(movingAverage(raw, 10).map((p) => p?.y)).toEqual([1, 1.5, 2, 2.5, 3]);
    expect(movingAverage(raw, 0)).toBe(raw);
    expect(raw.map((p) => p?.y)).toEqual([1, 2, 3, 4, 5]); // the raw series is untouched
    const gappy = [{ x: 1, y: 2 }, null, { x: 3, y: 4 }];
    expect(movingAverage(gappy, 5)).toEqual([{ x: 1, y: 2 }, null, { x: 3, y: 3 }]);
  });

  it('bucket a long series into equal x ranges, keeping each bucket’s mean', () => {
    expect(bucketed(rewards(series(10, (i) => i)), { min: 1, max: 10, count: 3 })).toEqual([
      { x: 2.5, y: 1 },
      { x: 5.5, y: 4 },
      { x: 8.5, y: 7.5 },
    ]);
    expect(bucketed([null, { x: 1, y: 1 }], { min: 1, max: 10, count: 2 })).toEqual([{ x: 3.25, y: 1 }, null]);
  });

  it('keep a short chart exact and merge the arms by x, keyed by their labels', () => {
    const rows = chartRows(
      [
        { arm: 'GRPO', seeds: [rewards(series(2, () => 1))] },
        { arm: 'TIC-GRPO K=1', seeds: [rewards(series(3, () => 2))] },
      ],
      'minmax',
    );
    expect(rows).toEqual([
      { x: 1, mean: { GRPO: 1, 'TIC-GRPO K=1': 2 }, band: { GRPO: [1, 1], 'TIC-GRPO K=1': [2, 2] } },
      { x: 2, mean: { GRPO: 1, 'TIC-GRPO K=1': 2 }, band: { GRPO: [1, 1], 'TIC-GRPO K=1': [2, 2] } },
      { x: 3, mean: { 'TIC-GRPO K=1': 2 }, band: { 'TIC-GRPO K=1': [2, 2] } },
    ]);
    expect(chartRows([{ arm: 'GRPO', seeds: [rewards(series(2, () => 1))] }], 'ci95')).toEqual([
      { x: 1, mean: { GRPO: 1 }, band: {} },
      { x: 2, mean: { GRPO: 1 }, band: {} },
    ]);
  });

  it('show at most a few hundred points of a long run, on one grid for every seed of every arm, banded across seeds', () => {
    const long = [rewards(series(10_000, (i) => Math.sin(i))), rewards(series(10_000, (i) => Math.sin(i) + 1))];
    const shorter = [rewards(series(4_000, (i) => i % 7))];
    const rows = chartRows(
      [
        { arm: 'GRPO', seeds: long },
        { arm: 'DAPO', seeds: shorter },
      ],
      'minmax',
    );
    expect(rows.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(rows.filter((r) => r.mean.DAPO !== undefined).length).toBeLessThan(rows.length); // the shorter arm ends early, on the same x positions
    for (const row of rows) expect(row.band.GRPO![1] - row.band.GRPO![0]).toBeCloseTo(1, 9);
    // Each bucket averages some 33 iterations of 0, 1, …, 6, 0, 1, …: near their mean, 3.
    for (const row of rows) if (row.mean.DAPO !== undefined) expect(Math.abs(row.mean.DAPO - 3)).toBeLessThan(0.5);
    expect(rows[0]!.x).toBeCloseTo(1 + (10_000 - 1) / MAX_POINTS / 2);
  });

  it('give a flat series room around it, and span a varying one exactly, band or no band', () => {
    expect(valueRange([])).toBeNull();
    const flat = chartRows([{ arm: 'GRPO', seeds: [rewards(series(3, () => 0))] }], 'minmax');
    expect(valueRange(flat)).toEqual([-0.5, 0.5]);
    const varying = chartRows([{ arm: 'GRPO', seeds: [rewards(series(3, (i) => 10 * i))] }], 'ci95');
    expect(valueRange(varying)).toEqual([0, 20]);
  });
});

describe('bands on screen', () => {
  const rows = [
    { x: 1, mean: { GRPO: 0.1 }, band: { GRPO: [-0.4, 0.6] as [number, number] } },
    { x: 2, mean: { GRPO: 0.9 }, band: { GRPO: [0.5, 1.3] as [number, number] } },
  ];

  it('stay within what the metric can be', () => {
    expect(clampBands(rows, [0, 1]).map((r) => r.band.GRPO)).toEqual([
      [0, 0.6],
      [0.5, 1],
    ]);
    expect(clampBands(rows, [0, 1])[0]!.mean).toEqual({ GRPO: 0.1 }); // the line is as measured
  });

  it('stay above 0 on a log axis, at the smallest positive value drawn', () => {
    expect(clampBands(rows, [0, Infinity], true).map((r) => r.band.GRPO)).toEqual([
      [0.1, 0.6],
      [0.5, 1.3],
    ]);
  });
});

describe('the chart note', () => {
  it('says which band is drawn, and any moving average', () => {
    expect(bandNote(3, 'ci95')).toBe('line: mean over 3 seeds, band: 95% interval of the mean (Student t; none for one seed)');
    expect(bandNote(3, 'minmax')).toBe('line: mean over 3 seeds, band: min–max over seeds');
    expect(bandNote(1, 'ci95')).toBe('one seed per arm: a line, no band');
    expect([smoothingNote(0), smoothingNote(5)]).toEqual(['', 'moving average over 5 iterations']);
  });
});

describe('the metric table', () => {
  it('has one chart per metric with a unique id, each reading a number from an iteration', () => {
    expect(new Set(METRICS.map((m) => m.id)).size).toBe(METRICS.length);
    expect(METRICS.map((m) => m.id)).toEqual([
      'reward',
      'accuracy',
      'zero-std',
      'kl',
      'clip-low',
      'clip-high',
      'ratio-mean',
      'ratio-p95',
      'ratio-min',
      'ratio-max',
      'ess',
      'grad-norm',
      'entropy',
      'length',
    ]);
    // The smallest and the largest ratio span orders of magnitude: log axes.
    expect(METRICS.filter((m) => m.log).map((m) => m.id)).toEqual(['ratio-min', 'ratio-max']);
    // Only held-out accuracy, measured now and then, is never smoothed.
    expect(METRICS.filter((m) => m.sparse).map((m) => m.id)).toEqual(['accuracy']);
    for (const m of METRICS) expect(typeof m.value(point(0, { accuracy: 0.5 }))).toBe('number');
  });

  it('formats tooltips to four digits and ticks to what their span needs', () => {
    expect(formatValue(0.123456, 'percent')).toBe('12.35%');
    expect(formatValue(0.000012345, 'number')).toBe('1.23e-5');
    expect(formatValue(2.71234, 'number')).toBe('2.712');
    expect(formatTick(2.7, 'number', 0.02)).toBe('2.70');
    expect(formatTick(150, 'number', 50)).toBe('150');
    expect(formatTick(0.25, 'percent', 0.05)).toBe('25%');
    expect(formatTick(-1e-17, 'number', 0.1)).toBe('0.0');
  });
});

describe('the y axis', () => {
  it('ends on round values with evenly spaced ticks of 1, 2 or 5 × 10^k', () => {
    expect(niceAxis(-0.0225, 0.4275)).toEqual({ domain: [-0.2, 0.6], ticks: [-0.2, 0, 0.2, 0.4, 0.6], step: 0.2 });
    expect(niceAxis(2.35, 2.72)).toEqual({ domain: [2.3, 2.8], ticks: [2.3, 2.4, 2.5, 2.6, 2.7, 2.8], step: 0.1 });
    expect(niceAxis(0, 0.5)).toEqual({ domain: [0, 0.6], ticks: [0, 0.2, 0.4, 0.6], step: 0.2 });
    expect(niceAxis(0, 21)).toEqual({ domain: [0, 30], ticks: [0, 10, 20, 30], step: 10 });
    expect(niceAxis(0.9, 1.1).ticks).toEqual([0.9, 0.95, 1, 1.05, 1.1]);
  });

  it('counts the decimals a step needs', () => {
    expect([5, 1, 0.5, 0.2, 0.05, 0.001].map(decimals)).toEqual([0, 0, 1, 1, 2, 3]);
  });
});
