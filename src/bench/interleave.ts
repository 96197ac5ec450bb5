import { dispatchesSoFar } from './dispatch-counter';

export interface Timed<T> {
  ms: number;
  dispatches: number;
  value: T;
}

/**
 * Runs `rounds` rounds in which every session does `task` once, one after another (never
 * overlapping). Each round starts one session later than the one before, so no implementation is
 * always first: peers in a browser vary 5–30% from run to run, and interleaving spreads that drift
 * over all of them. `afterRound` sees each round as it ends (e.g. to stop early on a wrong answer).
 * Returns, per session, its rounds in order.
 */
export async function interleaved<S, T>(
  sessions: readonly S[],
  rounds: number,
  task: (session: S, round: number) => Promise<T>,
  afterRound: (round: number, results: Timed<T>[]) => void = () => {},
): Promise<Timed<T>[][]> {
  const out: Timed<T>[][] = sessions.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < sessions.length; k++) {
      const i = (round + k) % sessions.length;
      const dispatches = dispatchesSoFar();
      const start = performance.now();
      const value = await task(sessions[i]!, round);
      out[i]!.push({ ms: performance.now() - start, dispatches: dispatchesSoFar() - dispatches, value });
    }
    afterRound(
      round,
      out.map((timed) => timed[round]!),
    );
  }
  return out;
}
