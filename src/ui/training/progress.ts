// How far an experiment has come and how long it has left: pure arithmetic over the runs.
import { isUnfinished, type RunRecord } from './runs';

export interface ArmProgress {
  /** The arm's label. */
  arm: string;
  runs: RunRecord[];
  /** Iterations every still-going seed of the arm has completed (the slowest one's count). */
  done: number;
  total: number;
  /** The latest tokens/s, averaged over the arm's seeds that have one. */
  tokensPerSecond: number | null;
  /** Recent milliseconds per iteration, averaged over the arm's seeds that have one. */
  msPerIteration: number | null;
}

/** The runs of one arm, by its label; arms keep the setup's order (runs start seed-major), so an arm's index picks its colour. */
export interface ArmRuns {
  arm: string;
  runs: RunRecord[];
}

/** The runs grouped by arm, arms in the order they were started. */
export function byArm(runs: readonly RunRecord[]): ArmRuns[] {
  const groups = new Map<string, RunRecord[]>();
  for (const run of runs) {
    const group = groups.get(run.arm);
    if (group) group.push(run);
    else groups.set(run.arm, [run]);
  }
  return [...groups].map(([arm, group]) => ({ arm, runs: group }));
}

export function armProgress(runs: readonly RunRecord[]): ArmProgress[] {
  return byArm(runs).map(({ arm, runs: group }) => {
    // A failed seed stops early; the arm's count follows the seeds still going, if any are.
    const going = group.filter((r) => r.state !== 'failed');
    const counted = going.length > 0 ? going : group;
    const latest = group.flatMap((r) => (r.metrics.length > 0 ? [r.metrics[r.metrics.length - 1]!.tokensPerSecond] : []));
    const paces = group.map(pace).filter((p): p is number => p !== null);
    return {
      arm,
      runs: group,
      done: Math.min(...counted.map((r) => r.metrics.length)),
      total: Math.max(...group.map((r) => r.iterations)),
      tokensPerSecond: average(latest),
      msPerIteration: average(paces),
    };
  });
}

/** Recent iterations per run that estimate its pace. */
const PACE_WINDOW = 20;

/**
 * Milliseconds until every unfinished run is done: the runs take turns on one device, so their
 * remaining iterations add up, each at its own recent pace (or the experiment's where it has none yet).
 * Null until some iteration has been timed.
 */
export function timeLeftMs(runs: readonly RunRecord[]): number | null {
  const fallback = average(runs.map(pace).filter((p): p is number => p !== null));
  if (fallback === null) return null;
  let left = 0;
  for (const run of runs) if (isUnfinished(run)) left += (run.iterations - run.metrics.length) * (pace(run) ?? fallback);
  return left;
}

/** A run's milliseconds per iteration over its recent iterations; null before its first. */
function pace(run: RunRecord): number | null {
  return average(run.metrics.slice(-PACE_WINDOW).map((m) => m.wallMs));
}

function average(xs: readonly number[]): number | null {
  return xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

/** "12 s", "3 min 5 s", "1 h 2 min". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ${s % 60} s`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}
