// Reading the fields every link version shares: the base's fields, checked one by one with their
// schemas and then together (M against N = B·G), and the seeds per arm.
import { EXPERIMENT_FIELDS, RUN_FIELDS, type RunConfig } from '../config/fields';
import { DEFAULT_RUN_CONFIG, parseFieldText, runConfigSchema } from './config';
import { BASE_FIELDS, seedsSchema } from './setup';

/** A parameter the URL got wrong, and what was used instead. */
export interface UrlNotice {
  param: string;
  message: string;
}

/** Records a notice about `param`; its message is prefixed with the parameter's name. */
export type Note = (param: string, message: string) => void;

/**
 * The base fields of a link, read against `defaults`: the defaults of the link's version, since a link
 * carries only what differs from them. A bad field is noted and its default used.
 */
export function readBase(params: URLSearchParams, note: Note, defaults: RunConfig = DEFAULT_RUN_CONFIG): RunConfig {
  const config = { ...defaults };
  const fields = config as Record<string, unknown>;
  for (const name of BASE_FIELDS) {
    const raw = params.get(name);
    if (raw === null) continue;
    const result = runConfigSchema.shape[name].safeParse(parseFieldText(RUN_FIELDS[name], raw));
    if (result.success) fields[name] = result.data;
    else note(name, `${result.error.issues[0]?.message ?? 'invalid'}${got(raw)}; using ${defaults[name]}`);
  }
  // Every field is in range now, so what remains wrong involves several fields: M against N = B·G.
  const whole = runConfigSchema.safeParse(config);
  const mIssue = whole.success ? undefined : whole.error.issues.find((issue) => issue.path[0] === 'M');
  if (mIssue) {
    const M = largestDivisorAtMost(config.B * config.G, defaults.M);
    note('M', `${mIssue.message}${got(params.get('M'))}; using ${M}`);
    config.M = M;
  }
  return config;
}

/** The seeds per arm of a link, or `fallback` where it has none. */
export function readSeeds(params: URLSearchParams, fallback: number, note: Note): number {
  const raw = params.get('seeds');
  if (raw === null) return fallback;
  const result = seedsSchema.safeParse(parseFieldText(EXPERIMENT_FIELDS.seeds, raw));
  if (result.success) return result.data as number;
  note('seeds', `${result.error.issues[0]?.message ?? 'invalid'}${got(raw)}; using ${fallback}`);
  return fallback;
}

export function got(raw: string | null): string {
  return raw === null ? '' : ` (got ${JSON.stringify(raw)})`;
}

/** The largest divisor of n not above `cap`: a mini-batch that always fits N. */
export function largestDivisorAtMost(n: number, cap: number): number {
  for (let m = Math.min(n, cap); m > 1; m--) if (n % m === 0) return m;
  return 1;
}
