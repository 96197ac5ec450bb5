/** A y axis with round ends and evenly spaced ticks at 1, 2 or 5 × 10^k. */
export interface NiceAxis {
  domain: [number, number];
  ticks: number[];
  step: number;
}

/** The round axis that covers [lo, hi] with about `target` intervals. */
export function niceAxis(lo: number, hi: number, target = 4): NiceAxis {
  const raw = hi > lo ? (hi - lo) / target : Math.abs(hi) || 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * power;
  const digits = decimals(step);
  // Rounded to the step's decimals, so that 0.1 + 0.2 lands on 0.3.
  const round = (x: number) => Number(x.toFixed(digits));
  const start = round(Math.floor(lo / step + 1e-9) * step);
  const end = round(Math.ceil(hi / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let k = 0; start + k * step <= end + step / 2; k++) ticks.push(round(start + k * step));
  return { domain: [start, end], ticks, step };
}

/** Decimals that tell ticks `step` apart: 0 for 5, 1 for 0.2, 3 for 0.001. */
export function decimals(step: number): number {
  return Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
}
