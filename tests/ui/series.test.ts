import { describe, expect, it } from 'vitest';
import { decimals, niceAxis } from '../../src/ui/charts/axis';
import { formatTick, formatValue, METRICS } from '../../src/ui/charts/metric-table';
import { acrossSeeds, bucketed, chartRows, MAX_POINTS, valueRange, xCoordinates } from '../../src/ui/charts/series';
import { point, series } from './points';

const reward = (p: { rewardMean: number }) => p.rewardMean;

describe('chart series', () => {
  it('put iterations on x by number, by trajectories sampled, or by the run’s own training time', () => {
    const points = [point(0, { wallMs: 500 }), point(1, { wallMs: 1500 }), point(2, { wallMs: 1000 })];
    expect(xCoordinates(points, 'iteration')).toEqual([1, 2, 3]);
    expect(xCoordinates(points, 'samples')).toEqual([16, 32, 48]);
    expect(xCoordinates(points, 'time')).toEqual([0.5, 2, 3]);
  });

  it('average seeds per iteration with their min and max, over the seeds that have that iteration', () => {
    const seeds = [series(3, (i) => i), series(3, (i) => 3 * i), series(2, () => 10)];
    expect(acrossSeeds(seeds, reward, 'iteration')).toEqual([
      { x: 1, mean: 10 / 3, lo: 0, hi: 10 },
      { x: 2, mean: 14 / 3, lo: 1, hi: 10 },
      { x: 3, mean: 4, lo: 2, hi: 6 },
    ]);
  });

  it('skip iterations that did not measure a value, and values that are not finite', () => {
    const seeds = [
      [point(0, { accuracy: 0.5 }), point(1), point(2, { accuracy: 0.75 })],
      [point(0, { accuracy: Number.NaN }), point(1), point(2, { accuracy: 0.25 })],
    ];
    expect(acrossSeeds(seeds, (p) => p.accuracy, 'iteration')).toEqual([
      { x: 1, mean: 0.5, lo: 0.5, hi: 0.5 },
      { x: 3, mean: 0.5, lo: 0.25, hi: 0.75 },
    ]);
  });

  it('bucket a long series into equal x ranges, keeping the mean and the extremes', () => {
    const bands = acrossSeeds([series(10, (i) => i)], reward, 'iteration'); // x 1…10
    expect(bucketed(bands, { min: 1, max: 10, count: 3 })).toEqual([
      { x: 2.5, mean: 1, lo: 0, hi: 2 },
      { x: 5.5, mean: 4, lo: 3, hi: 5 },
      { x: 8.5, mean: 7.5, lo: 6, hi: 9 },
    ]);
  });

  it('keep a short chart exact and merge the arms by x', () => {
    const rows = chartRows([
      { arm: 'grpo', bands: acrossSeeds([series(2, () => 1)], reward, 'iteration') },
      { arm: 'tic-grpo', bands: acrossSeeds([series(3, () => 2)], reward, 'iteration') },
    ]);
    expect(rows).toEqual([
      { x: 1, mean: { grpo: 1, 'tic-grpo': 2 }, band: { grpo: [1, 1], 'tic-grpo': [2, 2] } },
      { x: 2, mean: { grpo: 1, 'tic-grpo': 2 }, band: { grpo: [1, 1], 'tic-grpo': [2, 2] } },
      { x: 3, mean: { 'tic-grpo': 2 }, band: { 'tic-grpo': [2, 2] } },
    ]);
  });

  it('show at most a few hundred points of a long run, on one grid for every arm, with the whole range in its bands', () => {
    const long = acrossSeeds([series(10_000, (i) => Math.sin(i))], reward, 'iteration');
    const shorter = acrossSeeds([series(4_000, (i) => i % 7)], reward, 'iteration');
    const rows = chartRows([
      { arm: 'grpo', bands: long },
      { arm: 'dapo', bands: shorter },
    ]);
    expect(rows.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(rows.filter((r) => r.mean.dapo !== undefined).length).toBeLessThan(rows.length); // the shorter arm ends early, on the same x positions
    expect(Math.min(...rows.map((r) => r.band.grpo![0]))).toBeCloseTo(-1, 3);
    expect(Math.max(...rows.flatMap((r) => r.band.dapo ?? []))).toBe(6);
    expect(rows[0]!.x).toBeCloseTo(1 + (10_000 - 1) / MAX_POINTS / 2);
  });

  it('give a flat series room around it, and span a varying one exactly', () => {
    expect(valueRange([])).toBeNull();
    const flat = chartRows([{ arm: 'grpo', bands: acrossSeeds([series(3, () => 0)], reward, 'iteration') }]);
    expect(valueRange(flat)).toEqual([-0.5, 0.5]);
    const varying = chartRows([{ arm: 'grpo', bands: acrossSeeds([series(3, (i) => 10 * i)], reward, 'iteration') }]);
    expect(valueRange(varying)).toEqual([0, 20]);
  });
});

describe('the metric table', () => {
  it('has one chart per metric with a unique id, each reading a number from an iteration', () => {
    expect(new Set(METRICS.map((m) => m.id)).size).toBe(METRICS.length);
    expect(METRICS.map((m) => m.id)).toEqual(['reward', 'accuracy', 'kl', 'clip', 'ratio-mean', 'ratio-p95', 'ratio-max', 'grad-norm', 'entropy', 'length']);
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
