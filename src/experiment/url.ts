// The page's setup as a URL (docs/design.md §7): the base's non-default fields as readable query parameters
// named by RUN_FIELDS' keys, one `arm` parameter per arm, the seeds per arm, and a schema version.
// Decoding never throws: every bad parameter becomes a notice naming it, and its default is used.
// Version-1 links (one config and a compare list) are read by url-v1.ts, against the defaults of their day.
// A link carries only what differs from the defaults, so changing a default changes what every link of
// this version means: a change of defaults needs a new version, and the old one's defaults kept.
import { RUN_FIELD_NAMES } from '../config/fields';
import type { Arm } from './arms';
import { DEFAULT_RUN_CONFIG } from './config';
import { BASE_FIELDS, DEFAULT_SETUP, defaultArms, type PageSetup } from './setup';
import { armParam, readArms } from './url-arms';
import { type Note, readBase, readSeeds, type UrlNotice } from './url-fields';
import { decodeSetupV1 } from './url-v1';

export type { UrlNotice } from './url-fields';

export const URL_VERSION = 2;

const KNOWN_PARAMS = new Set<string>(['v', 'arm', 'seeds', ...BASE_FIELDS]);

/** The URL's query string ('?v=2&…'), or '' when everything is at its default. */
export function encodeSetup({ config, arms, seeds }: PageSetup): string {
  const pairs: [string, string][] = [];
  for (const name of BASE_FIELDS) if (config[name] !== DEFAULT_RUN_CONFIG[name]) pairs.push([name, String(config[name])]);
  if (!sameArms(arms, defaultArms())) for (const arm of arms) pairs.push(['arm', armParam(arm)]);
  if (seeds !== DEFAULT_SETUP.seeds) pairs.push(['seeds', String(seeds)]);
  if (pairs.length === 0) return '';
  // Commas and equals signs stay literal so that arm=tic-grpo,clipMode=zero-grad reads as written.
  const all: [string, string][] = [['v', String(URL_VERSION)], ...pairs];
  const query = all.map(([key, value]) => `${key}=${encodeURIComponent(value).replaceAll('%2C', ',').replaceAll('%3D', '=')}`);
  return `?${query.join('&')}`;
}

/** Why a parameter is not one of this version's: a field an arm sets says how to set it. */
function unknownParam(key: string): string {
  if (key === 'algo') return 'each arm names its preset (arm=tic-grpo)';
  if ((RUN_FIELD_NAMES as readonly string[]).includes(key)) return `set per arm (arm=grpo,${key}=…)`;
  return 'unknown parameter';
}

function sameArms(a: readonly Arm[], b: readonly Arm[]): boolean {
  return a.map(armParam).join('&') === b.map(armParam).join('&');
}

/** The setup a query string asks for, with a notice for every parameter that could not be used. */
export function decodeSetup(search: string): { setup: PageSetup; notices: UrlNotice[] } {
  const params = new URLSearchParams(search);
  const notices: UrlNotice[] = [];
  const note: Note = (param, message) => notices.push({ param, message: `${param}: ${message}` });

  // Version 1 links always said so; one written by hand is known by its compare list.
  const version = params.get('v') ?? (params.has('compare') ? '1' : String(URL_VERSION));
  if (version === '1') return decodeSetupV1(params);
  if (version !== String(URL_VERSION)) {
    note('v', `this page reads link versions 1 and ${URL_VERSION}, not ${JSON.stringify(version)}; reading the parameters of version ${URL_VERSION}`);
  }
  for (const key of new Set(params.keys())) if (!KNOWN_PARAMS.has(key)) note(key, `${unknownParam(key)}; ignored`);

  const config = readBase(params, note);
  const arms = readArms(params.getAll('arm'), config, notices);
  return { setup: { config, arms, seeds: readSeeds(params, DEFAULT_SETUP.seeds, note) }, notices };
}
