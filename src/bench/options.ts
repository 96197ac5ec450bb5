import { isModelPreset, MODEL_PRESETS, type ModelPreset } from '../model/config';

export const MEASUREMENTS = ['train', 'sampling', 'rl'] as const;
export type Measurement = (typeof MEASUREMENTS)[number];

export const IMPLEMENTATIONS = ['ours', 'tfjs', 'jaxjs'] as const;

/** What one bench run measures; the same in Node and in the browser page (which gets it as a query string). */
export interface BenchOptions {
  presets: ModelPreset[];
  /** Timed repetitions per measurement (the median is reported). */
  runs: number;
  /** Untimed repetitions first (compilation, caches). */
  warmup: number;
  vocab: number;
  /** Implementations to time: `ours` and the peers `tfjs`, `jaxjs`. */
  peers: string[];
  measure: Measurement[];
}

export const BENCH_DEFAULTS: Record<keyof BenchOptions, string> = {
  presets: Object.keys(MODEL_PRESETS).join(','),
  runs: '10',
  warmup: '2',
  vocab: '16',
  peers: IMPLEMENTATIONS.join(','),
  measure: MEASUREMENTS.join(','),
};

function list<T extends string>(name: string, raw: string, known: readonly T[]): T[] {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((s) => !known.includes(s as T));
  if (bad.length > 0 || items.length === 0) throw new Error(`bench: --${name} takes a comma list of ${known.join(', ')}; got "${raw}"`);
  return items as T[];
}

function int(name: string, raw: string, min: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`bench: --${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

/** Options from named string values (CLI flags or URL query parameters); `get` returns the fallback for one not given. */
export function parseBenchOptions(get: (name: keyof BenchOptions, fallback: string) => string): BenchOptions {
  const value = (name: keyof BenchOptions) => get(name, BENCH_DEFAULTS[name]);
  return {
    presets: list('presets', value('presets'), Object.keys(MODEL_PRESETS).filter(isModelPreset)),
    runs: int('runs', value('runs'), 1),
    warmup: int('warmup', value('warmup'), 0),
    vocab: int('vocab', value('vocab'), 3),
    peers: list('peers', value('peers'), IMPLEMENTATIONS),
    measure: list('measure', value('measure'), MEASUREMENTS),
  };
}

export function benchOptionsQuery(o: BenchOptions): string {
  return new URLSearchParams(Object.entries(o).map(([k, v]) => [k, String(v)])).toString();
}
