// The page's setup as a URL (docs/design.md §7): only non-default fields, as readable query parameters named
// by RUN_FIELDS' keys, plus a schema version and the compare list. Decoding never throws: every bad
// parameter becomes a notice naming it, and its default is used.
import { RUN_FIELD_NAMES, RUN_FIELDS, type RunConfig, type RunField } from '../config/fields';
import type { PresetName } from '../loss/presets';
import { applyPreset, DEFAULT_RUN_CONFIG, runConfigSchema } from './config';
import { compareSchema, DEFAULT_COMPARE, type PageSetup } from './setup';

export const URL_VERSION = 1;

/** A parameter the URL got wrong, and what was used instead. */
export interface UrlNotice {
  param: string;
  message: string;
}

/** The defaults a URL is read against: the loss fields follow the chosen algorithm's preset. */
function defaultsFor(algo: PresetName): RunConfig {
  return applyPreset(DEFAULT_RUN_CONFIG, algo);
}

const KNOWN_PARAMS = new Set<string>(['v', 'compare', ...RUN_FIELD_NAMES]);

/** The URL's query string ('?v=1&…'), or '' when everything is at its default. */
export function encodeSetup({ config, compare }: PageSetup): string {
  const base = defaultsFor(config.algo);
  const pairs: [string, string][] = [];
  for (const name of RUN_FIELD_NAMES) {
    // algo is compared with the global default; every other field with the algo's preset.
    const fallback = name === 'algo' ? DEFAULT_RUN_CONFIG.algo : base[name];
    if (config[name] !== fallback) pairs.push([name, String(config[name])]);
  }
  if (compare.join(',') !== DEFAULT_COMPARE.join(',')) pairs.push(['compare', compare.join(',')]);
  if (pairs.length === 0) return '';
  // Commas stay literal so that compare=grpo,tic-grpo reads as written.
  const all: [string, string][] = [['v', String(URL_VERSION)], ...pairs];
  const query = all.map(([key, value]) => `${key}=${encodeURIComponent(value).replaceAll('%2C', ',')}`);
  return `?${query.join('&')}`;
}

/** The setup a query string asks for, with a notice for every parameter that could not be used. */
export function decodeSetup(search: string): { setup: PageSetup; notices: UrlNotice[] } {
  const params = new URLSearchParams(search);
  const notices: UrlNotice[] = [];
  const note = (param: string, message: string) => notices.push({ param, message: `${param}: ${message}` });

  const version = params.get('v');
  if (version !== null && version !== String(URL_VERSION)) {
    note('v', `this page reads link version ${URL_VERSION}, not ${JSON.stringify(version)}; reading the parameters it knows`);
  }
  for (const key of new Set(params.keys())) if (!KNOWN_PARAMS.has(key)) note(key, 'unknown parameter; ignored');

  const algo = readField(params, 'algo', DEFAULT_RUN_CONFIG.algo, note) as PresetName;
  const base = defaultsFor(algo);
  const fields: Record<string, unknown> = { algo };
  for (const name of RUN_FIELD_NAMES) if (name !== 'algo') fields[name] = readField(params, name, base[name], note);
  const config = fields as unknown as RunConfig;

  // Every field is in range now, so what remains wrong involves several fields: M against N = B·G.
  const whole = runConfigSchema.safeParse(config);
  const mIssue = whole.success ? undefined : whole.error.issues.find((issue) => issue.path[0] === 'M');
  if (mIssue) {
    const M = largestDivisorAtMost(config.B * config.G, base.M);
    note('M', `${mIssue.message}${got(params.get('M'))}; using ${M}`);
    config.M = M;
  }

  return { setup: { config, compare: readCompare(params.get('compare'), note) }, notices };
}

function readField(params: URLSearchParams, name: RunField, fallback: number | string, note: (param: string, message: string) => void): unknown {
  const raw = params.get(name);
  if (raw === null) return fallback;
  // Number('') is 0: an empty value is refused rather than read as zero.
  const value = RUN_FIELDS[name].kind.type === 'enum' ? raw : raw.trim() === '' ? Number.NaN : Number(raw);
  const result = runConfigSchema.shape[name].safeParse(value);
  if (result.success) return result.data;
  note(name, `${result.error.issues[0]?.message ?? 'invalid'}${got(raw)}; using ${fallback}`);
  return fallback;
}

function readCompare(raw: string | null, note: (param: string, message: string) => void): PresetName[] {
  if (raw === null) return [...DEFAULT_COMPARE];
  const result = compareSchema.safeParse(raw.split(','));
  if (result.success) return result.data;
  note('compare', `${result.error.issues[0]?.message ?? 'invalid'}${got(raw)}; using ${DEFAULT_COMPARE.join(',')}`);
  return [...DEFAULT_COMPARE];
}

function got(raw: string | null): string {
  return raw === null ? '' : ` (got ${JSON.stringify(raw)})`;
}

/** The largest divisor of n not above `cap`: a mini-batch that always fits N. */
function largestDivisorAtMost(n: number, cap: number): number {
  for (let m = Math.min(n, cap); m > 1; m--) if (n % m === 0) return m;
  return 1;
}
