import { randomInt } from './task';

/** ways[k][s]: how many k-digit strings over `allowed` have digit sum s, for k ≤ length. */
function waysTable(length: number, allowed: readonly number[]): number[][] {
  const sums = 9 * length + 1;
  const ways: number[][] = [Array.from({ length: sums }, (_, s) => (s === 0 ? 1 : 0))];
  for (let k = 1; k <= length; k++) {
    const shorter = ways[k - 1]!;
    ways.push(Array.from({ length: sums }, (_, s) => allowed.reduce((n, d) => n + (d <= s ? shorter[s - d]! : 0), 0)));
  }
  return ways;
}

/** counts[s]: how many `length`-digit strings over `allowed` sum to s, for s in [0, 9·length]. */
export function digitSumCounts(length: number, allowed: readonly number[]): number[] {
  return waysTable(length, allowed)[length]!;
}

/** A `length`-digit string over `allowed` summing to `sum`, uniform among all such strings. */
export function drawDigitString(length: number, sum: number, allowed: readonly number[], rng: () => number): number[] {
  const ways = waysTable(length, allowed);
  if (!((ways[length]![sum] ?? 0) > 0)) throw new Error(`no ${length} digits from [${allowed}] sum to ${sum}`);
  const digits: number[] = [];
  let rest = sum;
  // Each digit is picked with probability ∝ the number of ways to finish the string after it: uniform overall.
  for (let k = length; k > 0; k--) {
    let pick = randomInt(rng, ways[k]![rest]!);
    for (const d of allowed) {
      const completions = d <= rest ? ways[k - 1]![rest - d]! : 0;
      if (pick < completions) {
        digits.push(d);
        rest -= d;
        break;
      }
      pick -= completions;
    }
  }
  return digits;
}
