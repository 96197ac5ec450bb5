// Version-1 links, still opened: one config with its seeds, and `compare=a,b,…`, the presets applied over
// it, migrated by migrateSetupV1. Their algorithm and loss parameters never affected a comparison: they
// are ignored, with one notice.
import { RUN_FIELD_NAMES } from '../config/fields';
import { PRESET_NAMES, type PresetName } from '../loss/presets';
import { makeRunConfig, PRESET_FIELDS } from './config';
import type { PageSetup } from './setup';
import { DEFAULT_COMPARE_V1, migrateSetupV1 } from './setup-v1';
import { got, type Note, readBase, readSeeds, type UrlNotice } from './url-fields';

/** What a version-1 link meant without `seeds`: one run per compared preset. */
const V1_DEFAULT_SEEDS = 1;

/**
 * The defaults version-1 links were written against (before the defaults chosen by measurement,
 * bench/RESULTS.md session 8): a link that left a field out meant these, so it still trains them.
 */
export const V1_DEFAULTS = makeRunConfig({ task: 'add', reward: 'sparse', temperature: 1, K: 8, lr: 3e-4, iterations: 200 });

const KNOWN_PARAMS = new Set<string>(['v', 'compare', 'seeds', ...RUN_FIELD_NAMES]);

/** The setup of a version-1 link's parameters, with a notice for every one that could not be used. */
export function decodeSetupV1(params: URLSearchParams): { setup: PageSetup; notices: UrlNotice[] } {
  const notices: UrlNotice[] = [];
  const note: Note = (param, message) => notices.push({ param, message: `${param}: ${message}` });
  for (const key of new Set(params.keys())) if (!KNOWN_PARAMS.has(key)) note(key, 'unknown parameter; ignored');
  const ignored = ['algo', ...PRESET_FIELDS].filter((name) => params.has(name));
  if (ignored.length > 0) {
    note(
      ignored.join(','),
      'a version-1 link’s algorithm and loss fields never changed a comparison (each compared preset set its own); ignored. Set them per arm.',
    );
  }
  const config = readBase(params, note, V1_DEFAULTS);
  const compare = readCompare(params.get('compare'), note);
  const seeds = readSeeds(params, V1_DEFAULT_SEEDS, note);
  return { setup: migrateSetupV1({ config: { ...config, seeds }, compare }), notices };
}

/** The compared presets; a name that is no preset is dropped. */
function readCompare(raw: string | null, note: Note): PresetName[] {
  if (raw === null) return [...DEFAULT_COMPARE_V1];
  const names = raw.split(',');
  const unknown = names.filter((name) => !(PRESET_NAMES as readonly string[]).includes(name));
  const presets = names.filter((name): name is PresetName => !unknown.includes(name));
  if (unknown.length > 0) {
    const used = presets.length > 0 ? 'dropped' : `using ${DEFAULT_COMPARE_V1.join(',')}`;
    note(
      'compare',
      `lists ${unknown.map((name) => JSON.stringify(name)).join(', ')}, not a preset (choose from ${PRESET_NAMES.join(', ')})${got(raw)}; ${used}`,
    );
  }
  return presets.length > 0 ? presets : [...DEFAULT_COMPARE_V1];
}
