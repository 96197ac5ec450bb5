import type { SeriesPoint } from '../../src/ui/training/runs';

/** One iteration's numbers, with `overrides`; samples seen and times grow with the iteration. */
export function point(iteration: number, overrides: Partial<SeriesPoint> = {}): SeriesPoint {
  return {
    iteration,
    rewardMean: 0,
    rewardStd: 0,
    zeroStdGroups: 0,
    completionLength: 4,
    entropy: 1,
    accuracy: null,
    startAccuracy: null,
    objective: 0,
    kl: 0,
    clipLow: 0,
    clipHigh: 0,
    ratioMean: 1,
    ratioMin: 1,
    ratioMax: 1,
    ratioP95: 1,
    ess: 1,
    gradNorm: 1,
    inner: [],
    wallMs: 1000,
    tokensPerSecond: 100,
    samplesSeen: 16 * (iteration + 1),
    elapsedMs: 1000 * (iteration + 1),
    ...overrides,
  };
}

/** A series of `n` iterations whose reward is `reward(i)`. */
export function series(n: number, reward: (i: number) => number): SeriesPoint[] {
  return Array.from({ length: n }, (_, i) => point(i, { rewardMean: reward(i) }));
}
