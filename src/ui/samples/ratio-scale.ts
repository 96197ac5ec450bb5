// A diverging colour scale for importance ratios: white at 1, blue below (θ less likely than π_old),
// red above, symmetric in log ratio, saturated beyond RATIO_SPAN or its reciprocal.

/** Ratios at or beyond this (or 1 / this) get the full colour: past the usual ε = 0.2–0.28 clip range. */
export const RATIO_SPAN = 1.5;

const WHITE = [255, 255, 255] as const;
const BELOW = [33, 102, 172] as const; // #2166ac
const ABOVE = [178, 24, 43] as const; // #b2182b

/** Where `ratio` sits on the scale: −1 at 1/RATIO_SPAN or below, 0 at 1, +1 at RATIO_SPAN or above. */
export function ratioPosition(ratio: number): number {
  if (!(ratio > 0)) return -1;
  return Math.max(-1, Math.min(1, Math.log(ratio) / Math.log(RATIO_SPAN)));
}

/** The CSS colour of `ratio`. */
export function ratioColor(ratio: number): string {
  const t = ratioPosition(ratio);
  const end = t < 0 ? BELOW : ABOVE;
  const mix = (i: 0 | 1 | 2) => Math.round(WHITE[i] + Math.abs(t) * (end[i] - WHITE[i]));
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}

/** The ratios the legend labels, from 1/RATIO_SPAN to RATIO_SPAN. */
export const LEGEND_TICKS = [1 / RATIO_SPAN, 1 / Math.sqrt(RATIO_SPAN), 1, Math.sqrt(RATIO_SPAN), RATIO_SPAN];
