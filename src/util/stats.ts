// Statistics over seeds (docs/design.md §10): means with 95% Student-t intervals, and paired differences
// between arms, which share prompts, sampling streams and shuffles seed by seed.

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return xs.length > 0 ? s / xs.length : Number.NaN;
}

/** The sample standard deviation (n − 1 in the denominator); 0 for fewer than two values. */
export function std(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return xs.length > 1 ? Math.sqrt(s / (xs.length - 1)) : 0;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no values');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** log Γ(x) for x > 0 (Lanczos, g = 7, nine terms: ~15 digits). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularised incomplete beta function I_x(a, b), by its continued fraction (modified Lentz). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  // The fraction converges fast for x < (a + 1)/(a + b + 2); use the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) otherwise.
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const front = Math.exp(a * Math.log(x) + b * Math.log(1 - x) - (logGamma(a) + logGamma(b) - logGamma(a + b))) / a;
  const tiny = 1e-300;
  let f = 1;
  let c = 1;
  let d = 0;
  for (let i = 0; i <= 400; i++) {
    const m = i >> 1;
    const numerator =
      i === 0 ? 1 : i % 2 === 0 ? (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)) : -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + numerator * d;
    d = Math.abs(d) < tiny ? tiny : d;
    d = 1 / d;
    c = 1 + numerator / c;
    c = Math.abs(c) < tiny ? tiny : c;
    const step = c * d;
    f *= step;
    if (Math.abs(1 - step) < 1e-15) break;
  }
  return front * (f - 1);
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t with `df` ≥ 1 degrees of freedom, by bisection on the CDF (p in (0.5, 1)). */
export function studentTQuantile(p: number, df: number): number {
  if (!(df >= 1) || !(p > 0.5 && p < 1)) throw new Error(`studentTQuantile: needs df ≥ 1 and p in (0.5, 1), got df=${df} p=${p}`);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** A mean over seeds with the half-width of its 95% interval, t₀.₉₇₅,ₙ₋₁·sd/√n (NaN for fewer than two values). */
export interface Interval {
  mean: number;
  ci95: number;
  n: number;
}

export function meanInterval(values: readonly number[]): Interval {
  const n = values.length;
  const ci95 = n >= 2 ? (studentTQuantile(0.975, n - 1) * std(values)) / Math.sqrt(n) : Number.NaN;
  return { mean: mean(values), ci95, n };
}

/**
 * What a paired difference says at 95%: the interval lies above 0 or below it, contains it, every seed
 * gave exactly the same value (the arms coincide, often by construction), or there are too few seeds.
 */
export type Verdict = 'better' | 'worse' | 'no difference detectable' | 'identical' | 'too few seeds';

export interface PairedDifference extends Interval {
  /** arm − reference, seed by seed. */
  perSeed: number[];
  verdict: Verdict;
}

/** arm − reference over the seeds both have, paired by position (seed s of one with seed s of the other). */
export function pairedDifference(arm: readonly number[], reference: readonly number[]): PairedDifference {
  if (arm.length !== reference.length) throw new Error(`pairedDifference: ${arm.length} values against ${reference.length}: pair them by seed`);
  const perSeed = arm.map((x, i) => x - reference[i]!);
  const interval = meanInterval(perSeed);
  return { ...interval, perSeed, verdict: verdictOf(interval, perSeed) };
}

function verdictOf({ mean: m, ci95, n }: Interval, perSeed: readonly number[]): Verdict {
  if (n > 0 && perSeed.every((d) => d === 0)) return 'identical';
  if (n < 2) return 'too few seeds';
  if (m - ci95 > 0) return 'better';
  if (m + ci95 < 0) return 'worse';
  return 'no difference detectable';
}
