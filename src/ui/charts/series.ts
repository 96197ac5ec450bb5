// From runs to chart rows: each seed's value per iteration (smoothed on screen when asked), thinned to a
// few hundred points by bucketing so that SVG stays fast, then per x each arm's mean over its seeds with a
// band: the 95% Student-t interval of the mean, or the min–max. The store keeps every raw point.
import { meanInterval } from '../../util/stats';
import type { SeriesPoint } from '../training/runs';

export type XAxisKind = 'iteration' | 'samples' | 'time';

export const X_AXES: Record<XAxisKind, { label: string; unit: string }> = {
  iteration: { label: 'Iteration', unit: '' },
  samples: { label: 'Trajectories sampled', unit: '' },
  // The run's own compute time: the clock since it started also counts the turns of the runs interleaved with it.
  time: { label: 'Training time of the run', unit: 's' },
};

/** What the band around an arm's mean shows. */
export type BandKind = 'ci95' | 'minmax';

export const BANDS: Record<BandKind, { label: string; note: string }> = {
  ci95: { label: '95% interval', note: '95% interval of the mean (Student t; none for one seed)' },
  minmax: { label: 'min–max', note: 'min–max over seeds' },
};

/** The moving-average windows offered, in iterations; 0 is off. */
export const SMOOTHING_WINDOWS = [0, 5, 10, 25] as const;

/** How the charts are drawn: along which x, with which band, and the moving average's window (0: raw). */
export interface ChartView {
  axis: XAxisKind;
  band: BandKind;
  smoothing: number;
}

/** At most this many points per series on screen. */
export const MAX_POINTS = 300;

/** One measured point of one seed. */
export interface SeedPoint {
  x: number;
  y: number;
}

/** A seed's series of one metric, position by position: null where the iteration did not measure it (or measured no finite value). */
export type SeedSeries = readonly (SeedPoint | null)[];

/** Each iteration's x coordinate along `axis`. */
export function xCoordinates(points: readonly SeriesPoint[], axis: XAxisKind): number[] {
  if (axis === 'iteration') return points.map((p) => p.iteration + 1);
  if (axis === 'samples') return points.map((p) => p.samplesSeen);
  let seconds = 0;
  return points.map((p) => (seconds += p.wallMs / 1000));
}

/** One seed's values of a metric along `axis`. */
export function seedSeries(points: readonly SeriesPoint[], value: (p: SeriesPoint) => number | null, axis: XAxisKind): SeedSeries {
  const xs = xCoordinates(points, axis);
  return points.map((point, i) => {
    const y = value(point);
    return y === null || !Number.isFinite(y) ? null : { x: xs[i]!, y };
  });
}

/** At each measured point, the mean of the last `window` measured values (fewer at the start); a window of 0 or 1 changes nothing. */
export function movingAverage(series: SeedSeries, window: number): SeedSeries {
  if (window <= 1) return series;
  const recent: number[] = [];
  return series.map((point) => {
    if (point === null) return null;
    recent.push(point.y);
    if (recent.length > window) recent.shift();
    return { x: point.x, y: recent.reduce((a, b) => a + b, 0) / recent.length };
  });
}

/** One x position of one arm: the mean over the seeds that have a point there, and the band (null where it has none). */
export interface Band {
  x: number;
  mean: number;
  band: [number, number] | null;
}

/** Position by position, the mean over the seeds that have a point there, with the `kind` band: the interval needs two seeds. */
export function acrossSeeds(seeds: readonly SeedSeries[], kind: BandKind): Band[] {
  const longest = Math.max(0, ...seeds.map((series) => series.length));
  const bands: Band[] = [];
  for (let i = 0; i < longest; i++) {
    const here = seeds.flatMap((series) => series[i] ?? []);
    if (here.length === 0) continue;
    const ys = here.map((p) => p.y);
    const { mean, ci95, n } = meanInterval(ys);
    const x = here.reduce((sum, p) => sum + p.x, 0) / n;
    const band: [number, number] | null = kind === 'minmax' ? [Math.min(...ys), Math.max(...ys)] : n >= 2 ? [mean - ci95, mean + ci95] : null;
    bands.push({ x, mean, band });
  }
  return bands;
}

/** `count` equal-width buckets over [min, max] of x, shared by every seed of every arm of a chart so that their points line up. */
export interface BucketGrid {
  min: number;
  max: number;
  count: number;
}

/** A seed's points averaged within each bucket of `grid`, position by bucket, x at the bucket's centre; null for an empty bucket. */
export function bucketed(series: SeedSeries, grid: BucketGrid): SeedSeries {
  const width = (grid.max - grid.min) / grid.count;
  const sums: { sum: number; n: number }[] = Array.from({ length: grid.count }, () => ({ sum: 0, n: 0 }));
  for (const point of series) {
    if (point === null) continue;
    const b = width > 0 ? Math.min(grid.count - 1, Math.floor((point.x - grid.min) / width)) : 0;
    sums[b]!.sum += point.y;
    sums[b]!.n++;
  }
  return sums.map(({ sum, n }, b) => (n === 0 ? null : { x: width > 0 ? grid.min + (b + 0.5) * width : grid.min, y: sum / n }));
}

/** One x position of a chart, with each arm's mean and band where that arm has them, by the arm's label. */
export interface ChartRow {
  x: number;
  mean: Record<string, number>;
  band: Record<string, [number, number]>;
}

/** An arm's series of one metric: one per seed. */
export interface ArmSeries {
  arm: string;
  seeds: readonly SeedSeries[];
}

/**
 * The rows of one chart: every arm's seeds, bucketed on one shared grid when any seed has more than
 * `maxPoints` points, then across seeds with the `band` kind, merged by x.
 */
export function chartRows(arms: readonly ArmSeries[], band: BandKind, maxPoints = MAX_POINTS): ChartRow[] {
  const grid = { min: Infinity, max: -Infinity, count: maxPoints };
  let crowded = false;
  for (const series of arms.flatMap((a) => a.seeds)) {
    let measured = 0;
    for (const point of series) {
      if (point === null) continue;
      measured++;
      grid.min = Math.min(grid.min, point.x);
      grid.max = Math.max(grid.max, point.x);
    }
    crowded ||= measured > maxPoints;
  }
  const rows = new Map<number, ChartRow>();
  for (const { arm, seeds } of arms) {
    for (const b of acrossSeeds(crowded ? seeds.map((series) => bucketed(series, grid)) : seeds, band)) {
      let row = rows.get(b.x);
      if (!row) rows.set(b.x, (row = { x: b.x, mean: {}, band: {} }));
      row.mean[arm] = b.mean;
      if (b.band) row.band[arm] = b.band;
    }
  }
  return [...rows.values()].sort((a, b) => a.x - b.x);
}

/**
 * The rows with every band kept within `bounds`: an interval of a fraction stays in [0, 1], of a norm
 * above 0. On a log axis a band also stays above 0, at the smallest positive value the chart draws.
 */
export function clampBands(rows: readonly ChartRow[], [lo, hi]: readonly [number, number], log = false): ChartRow[] {
  let floor = lo;
  if (log) {
    const positive = rows.flatMap((row) => [...Object.values(row.mean), ...Object.values(row.band).flat()]).filter((v) => v > 0);
    floor = Math.max(
      lo,
      positive.reduce((a, b) => Math.min(a, b), Infinity),
    );
  }
  const clamp = (v: number) => Math.min(hi, Math.max(floor, v));
  return rows.map((row) => ({
    ...row,
    band: Object.fromEntries(Object.entries(row.band).map(([arm, [low, high]]) => [arm, [clamp(low), clamp(high)]])),
  }));
}

/**
 * The y range a chart shows: every mean and band; a flat series gets room around it, so that it sits
 * mid-chart. Null without any point.
 */
export function valueRange(rows: readonly ChartRow[]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of rows) {
    for (const value of [...Object.values(row.mean), ...Object.values(row.band).flat()]) {
      lo = Math.min(lo, value);
      hi = Math.max(hi, value);
    }
  }
  if (lo > hi) return null;
  if (hi > lo) return [lo, hi];
  const room = Math.abs(hi) > 0 ? 0.1 * Math.abs(hi) : 0.5;
  return [lo - room, hi + room];
}
