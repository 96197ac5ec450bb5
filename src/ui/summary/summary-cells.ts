// The summary as the page's table reads it: each statistic in points (iterations for toThreshold) as
// "mean ± half-width", every seed's value, and each paired difference's verdict in words.
import type { Statistic, StatisticSummary } from '../../experiment/summary';
import type { Interval, PairedDifference, Verdict } from '../../util/stats';

export interface SummaryCell {
  /** "43.1 ± 2.5", "12.5 ± 31.8 (2 of 3)", or "—" where no seed has a value yet. */
  text: string;
  /** Every seed's value, for the cell's title. */
  perSeed: string;
}

export interface DifferenceCell extends SummaryCell {
  verdict: string;
}

/** An accuracy in percent, as typed and read: 0.333 → 33.3, never 33.300000000000004. */
export function percentOf(accuracy: number): number {
  return Number((100 * accuracy).toPrecision(12));
}

/** A column's heading: "Start", …, "Iterations to 50%". */
export function statisticHeading(name: Statistic, threshold: number): string {
  return name === 'toThreshold' ? `Iterations to ${percentOf(threshold)}%` : `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}

/** One value of a statistic in points (accuracy) or iterations, one decimal, signed where asked: "43.1", "+2.5", "−0.8"; "—" where there is none. */
export function statisticValue(name: Statistic, value: number, signed = false): string {
  if (!Number.isFinite(value)) return '—';
  const text = ((name === 'toThreshold' ? 1 : 100) * value).toFixed(1);
  if (text.startsWith('-')) return text === '-0.0' ? '0.0' : `−${text.slice(1)}`;
  return signed && text !== '0.0' ? `+${text}` : text;
}

/** "mean ± half-width" (no half-width for one value), "(n of m)" where only n of m seeds have a value. */
function intervalText(name: Statistic, { mean, ci95, n }: Interval, of: number, signed = false): string {
  if (n === 0) return '—';
  const half = Number.isFinite(ci95) ? ` ± ${statisticValue(name, ci95)}` : '';
  return `${statisticValue(name, mean, signed)}${half}${n < of ? ` (${n} of ${of})` : ''}`;
}

/** One arm's statistic over its seeds, each seed's value named by its seed. */
export function statisticCell(name: Statistic, statistic: StatisticSummary, seeds: readonly number[]): SummaryCell {
  return {
    text: intervalText(name, statistic, seeds.length),
    perSeed: seeds.map((seed, i) => `seed ${seed}: ${statisticValue(name, statistic.perSeed[i]!)}`).join(', '),
  };
}

/** What a verdict says of a statistic; for iterations to the threshold (fewer is better), better is faster. */
function verdictWords(name: Statistic, verdict: Verdict): string {
  if (name === 'toThreshold' && verdict === 'better') return 'faster';
  if (name === 'toThreshold' && verdict === 'worse') return 'slower';
  return verdict;
}

/** One arm − the reference on a statistic, out of the `of` seeds the arm has: the differences of the seeds where both have a value. */
export function differenceCell(name: Statistic, difference: PairedDifference, of: number): DifferenceCell {
  return {
    text: intervalText(name, difference, of, true),
    perSeed:
      difference.n === 0
        ? 'no seed has a value in both arms yet'
        : `per paired seed: ${difference.perSeed.map((d) => statisticValue(name, d, true)).join(', ')}`,
    verdict: verdictWords(name, difference.verdict),
  };
}
