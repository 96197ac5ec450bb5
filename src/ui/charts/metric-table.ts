import type { SeriesPoint } from '../training/runs';
import { decimals } from './axis';
import { type FlatRule, neverClipsLow, ratiosAreOne } from './flat-by-construction';

/** One chart of the page: what it plots of each iteration and how its axis reads. */
export interface MetricSpec {
  id: string;
  title: string;
  /** One sentence under the title. */
  help: string;
  /** The value at one iteration; null where the iteration did not measure it. */
  value: (point: SeriesPoint) => number | null;
  format: 'number' | 'percent';
  /** Where the values can lie: the y axis never shows beyond. */
  bounds: readonly [number, number];
  /** A log-scale y axis, for values that span orders of magnitude. */
  log?: boolean;
  /** Measured only on some iterations: drawn as measured, never smoothed by the moving average. */
  sparse?: boolean;
  /** Why the chart is flat by construction for an arm's config (its line is then not drawn), or null. */
  flat?: FlatRule;
}

const FRACTION = [0, 1] as const;
const POSITIVE = [0, Infinity] as const;
const ANY = [-Infinity, Infinity] as const;

/** Every chart, in display order (docs/design.md §3 metrics): the charts are generated from this table. */
export const METRICS: readonly MetricSpec[] = [
  { id: 'reward', title: 'Reward', help: 'Mean reward of the sampled completions.', value: (p) => p.rewardMean, format: 'number', bounds: ANY },
  {
    id: 'accuracy',
    title: 'Held-out accuracy',
    help: 'Greedy accuracy on held-out prompts, measured every “Eval every” iterations and at the end.',
    value: (p) => p.accuracy,
    format: 'percent',
    bounds: FRACTION,
    sparse: true,
  },
  {
    id: 'zero-std',
    title: 'Zero-std groups',
    help: 'Share of groups whose G rewards were all equal: every advantage in them is 0, so they teach nothing.',
    value: (p) => p.zeroStdGroups,
    format: 'percent',
    bounds: FRACTION,
  },
  { id: 'kl', title: 'KL to π_ref', help: 'Mean per-token KL estimate to the frozen base model.', value: (p) => p.kl, format: 'number', bounds: ANY },
  {
    id: 'clip-low',
    title: 'Clip fraction, low',
    help: 'Share of ratios clipped at 1 − ε_low (Â < 0), of tokens or of sequences for per-sequence levels (TRL: clip_ratio/low_mean).',
    value: (p) => p.clipLow,
    format: 'percent',
    bounds: FRACTION,
    flat: neverClipsLow,
  },
  {
    id: 'clip-high',
    title: 'Clip fraction, high',
    help: 'Share of ratios clipped at 1 + ε_high (Â > 0; either sign at trajectory level), of tokens or of sequences (TRL: clip_ratio/high_mean).',
    value: (p) => p.clipHigh,
    format: 'percent',
    bounds: FRACTION,
    flat: ratiosAreOne,
  },
  {
    id: 'ratio-mean',
    title: 'Ratio mean',
    help: 'Mean importance ratio ρ (token level) or w / s (per sequence) over the inner steps.',
    value: (p) => p.ratioMean,
    format: 'number',
    bounds: POSITIVE,
    flat: ratiosAreOne,
  },
  {
    id: 'ratio-p95',
    title: 'Ratio p95',
    help: 'The 95th percentile of the ratio: how far the typical outlier strays from 1.',
    value: (p) => p.ratioP95,
    format: 'number',
    bounds: POSITIVE,
    flat: ratiosAreOne,
  },
  {
    id: 'ratio-min',
    title: 'Ratio min',
    help: 'The smallest ratio of the iteration: how far the policy has moved away from a sample (log scale).',
    value: (p) => p.ratioMin,
    format: 'number',
    bounds: POSITIVE,
    log: true,
    flat: ratiosAreOne,
  },
  {
    id: 'ratio-max',
    title: 'Ratio max',
    help: 'The largest ratio of the iteration; TIC-GRPO’s trajectory weights can reach far (log scale).',
    value: (p) => p.ratioMax,
    format: 'number',
    bounds: POSITIVE,
    log: true,
    flat: ratiosAreOne,
  },
  {
    id: 'ess',
    title: 'Effective sample size',
    help: 'The ratios as importance weights, (Σw)² / (n·Σw²): 100% when all are equal, small when a few dominate.',
    value: (p) => p.ess,
    format: 'percent',
    bounds: FRACTION,
    flat: ratiosAreOne,
  },
  {
    id: 'grad-norm',
    title: 'Gradient norm',
    help: 'Global gradient norm before clipping, mean over the inner steps.',
    value: (p) => p.gradNorm,
    format: 'number',
    bounds: POSITIVE,
  },
  {
    id: 'entropy',
    title: 'Token entropy',
    help: 'Mean entropy (nats) of π_old on its own samples.',
    value: (p) => p.entropy,
    format: 'number',
    bounds: POSITIVE,
  },
  {
    id: 'length',
    title: 'Completion length',
    help: 'Mean completion tokens, EOS included.',
    value: (p) => p.completionLength,
    format: 'number',
    bounds: POSITIVE,
  },
];

/** A tooltip value, to four significant digits: "42.5%", "0.01234", "1.2e+4". */
export function formatValue(value: number, format: MetricSpec['format']): string {
  const v = format === 'percent' ? 100 * value : value;
  const text = Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
  return format === 'percent' ? `${text}%` : text;
}

/** An axis tick on an axis of ticks `step` apart: "0.25", "30%", "2.7e+5". */
export function formatTick(value: number, format: MetricSpec['format'], step: number): string {
  const scale = format === 'percent' ? 100 : 1;
  const v = scale * value;
  if (Math.abs(v) >= 1e5) return v.toExponential(1);
  const text = v.toFixed(decimals(scale * step)).replace(/^-(?=0(\.0*)?$)/, ''); // never "-0.0"
  return format === 'percent' ? `${text}%` : text;
}
