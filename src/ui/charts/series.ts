// From runs to chart rows: each arm's seeds averaged per iteration with their spread, thinned to a few
// hundred points by bucketing (mean with min–max) so that SVG stays fast, while the store keeps every point.
import type { PresetName } from '../../loss/presets';
import type { SeriesPoint } from '../training/runs';

export type XAxisKind = 'iteration' | 'samples' | 'time';

export const X_AXES: Record<XAxisKind, { label: string; unit: string }> = {
  iteration: { label: 'Iteration', unit: '' },
  samples: { label: 'Trajectories sampled', unit: '' },
  // The run's own compute time: the clock since it started also counts the turns of the runs interleaved with it.
  time: { label: 'Training time of the run', unit: 's' },
};

/** At most this many points per series on screen. */
export const MAX_POINTS = 300;

/** One x position of one arm: the mean over its seeds, and their lowest and highest value. */
export interface Band {
  x: number;
  mean: number;
  lo: number;
  hi: number;
}

/** Each iteration's x coordinate along `axis`. */
export function xCoordinates(points: readonly SeriesPoint[], axis: XAxisKind): number[] {
  if (axis === 'iteration') return points.map((p) => p.iteration + 1);
  if (axis === 'samples') return points.map((p) => p.samplesSeen);
  let seconds = 0;
  return points.map((p) => (seconds += p.wallMs / 1000));
}

/** Per iteration, the mean, min and max of `value` over the seeds that measured it (non-finite values are skipped). */
export function acrossSeeds(seeds: readonly (readonly SeriesPoint[])[], value: (p: SeriesPoint) => number | null, axis: XAxisKind): Band[] {
  const xs = seeds.map((points) => xCoordinates(points, axis));
  const longest = Math.max(0, ...seeds.map((points) => points.length));
  const bands: Band[] = [];
  for (let i = 0; i < longest; i++) {
    let sum = 0;
    let xSum = 0;
    let n = 0;
    let lo = Infinity;
    let hi = -Infinity;
    seeds.forEach((points, s) => {
      const point = points[i];
      const v = point === undefined ? null : value(point);
      if (v === null || !Number.isFinite(v)) return;
      sum += v;
      xSum += xs[s]![i]!;
      n++;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    });
    if (n > 0) bands.push({ x: xSum / n, mean: sum / n, lo, hi });
  }
  return bands;
}

/** `count` equal-width buckets over [min, max] of x, shared by every arm of a chart so their points line up. */
export interface BucketGrid {
  min: number;
  max: number;
  count: number;
}

/** The bands averaged within each bucket of `grid` (x at the bucket's centre), keeping the min and max. */
export function bucketed(bands: readonly Band[], grid: BucketGrid): Band[] {
  const width = (grid.max - grid.min) / grid.count;
  const sums = new Map<number, { sum: number; n: number; lo: number; hi: number }>();
  for (const band of bands) {
    const b = width > 0 ? Math.min(grid.count - 1, Math.floor((band.x - grid.min) / width)) : 0;
    const acc = sums.get(b) ?? { sum: 0, n: 0, lo: Infinity, hi: -Infinity };
    acc.sum += band.mean;
    acc.n++;
    acc.lo = Math.min(acc.lo, band.lo);
    acc.hi = Math.max(acc.hi, band.hi);
    sums.set(b, acc);
  }
  return [...sums]
    .sort(([a], [b]) => a - b)
    .map(([b, { sum, n, lo, hi }]) => ({ x: width > 0 ? grid.min + (b + 0.5) * width : grid.min, mean: sum / n, lo, hi }));
}

/** One x position of a chart, with each arm's mean and band where that arm has a point there. */
export interface ChartRow {
  x: number;
  mean: Partial<Record<PresetName, number>>;
  band: Partial<Record<PresetName, [number, number]>>;
}

/** The rows of one chart: every arm's bands, bucketed on one shared grid when any arm has more than `maxPoints`, merged by x. */
export function chartRows(arms: readonly { arm: PresetName; bands: readonly Band[] }[], maxPoints = MAX_POINTS): ChartRow[] {
  const all = arms.flatMap((a) => a.bands);
  const crowded = arms.some((a) => a.bands.length > maxPoints);
  const grid = { min: Math.min(...all.map((b) => b.x)), max: Math.max(...all.map((b) => b.x)), count: maxPoints };
  const rows = new Map<number, ChartRow>();
  for (const { arm, bands } of arms) {
    for (const band of crowded ? bucketed(bands, grid) : bands) {
      let row = rows.get(band.x);
      if (!row) rows.set(band.x, (row = { x: band.x, mean: {}, band: {} }));
      row.mean[arm] = band.mean;
      row.band[arm] = [band.lo, band.hi];
    }
  }
  return [...rows.values()].sort((a, b) => a.x - b.x);
}

/**
 * The y range a chart shows: every mean and band; a flat series gets room around it, so that it sits
 * mid-chart. Null without any point.
 */
export function valueRange(rows: readonly ChartRow[]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of rows) {
    for (const [low, high] of Object.values(row.band)) {
      lo = Math.min(lo, low);
      hi = Math.max(hi, high);
    }
  }
  if (lo > hi) return null;
  if (hi > lo) return [lo, hi];
  const room = Math.abs(hi) > 0 ? 0.1 * Math.abs(hi) : 0.5;
  return [lo - room, hi + room];
}
