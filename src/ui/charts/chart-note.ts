// What a chart's line and band mean, in words for the charts' note and an exported chart's caption.
import { BANDS, type BandKind } from './series';

/** "line: mean over 3 seeds, band: 95% interval of the mean (Student t; none for one seed)", or what one seed shows. */
export function bandNote(seeds: number, band: BandKind): string {
  return seeds > 1 ? `line: mean over ${seeds} seeds, band: ${BANDS[band].note}` : 'one seed per arm: a line, no band';
}

/** "moving average over 5 iterations", or '' without one. */
export function smoothingNote(window: number): string {
  return window > 1 ? `moving average over ${window} iterations` : '';
}
