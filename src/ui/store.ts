// The page's state, free of React: the setup (always valid, mirrored in the URL), what the controls
// show, and the actions that change them. Every change takes one path: validate → keep → write the URL.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { applyPreset, runConfigSchema } from '../experiment/config';
import type { RunConfig } from '../config/fields';
import type { RunField } from '../config/fields';
import { decodeSetup, encodeSetup, type UrlNotice } from '../experiment/url';
import { compareSchema, DEFAULT_SETUP, type PageSetup } from '../experiment/setup';
import { type PresetName, PRESETS } from '../loss/presets';

/** A run's fields as the controls hold them: RunConfig's shape, not yet checked against its ranges. */
export type DraftConfig = { [F in RunField]: RunConfig[F] extends number ? number : string };

export interface PageState {
  /** The last valid setup: what the URL says and what runs will use. */
  setup: PageSetup;
  /** What the controls show; it differs from setup.config only while some field is invalid. */
  draft: DraftConfig;
  /** Why a field of the draft is refused, by field. */
  fieldErrors: Partial<Record<RunField, string>>;
  /** Why the last compare list was refused (the setup keeps the one before). */
  compareError: string | null;
  /** What the URL the page opened with got wrong. */
  notices: UrlNotice[];
  setField(name: RunField, value: number | string): void;
  /** Selects an algorithm and applies its preset to the loss fields. */
  setAlgo(name: PresetName): void;
  setCompare(names: PresetName[]): void;
  /** Sets every control to `setup`, e.g. a reopened experiment's, so that Start runs it again. */
  loadSetup(setup: PageSetup): void;
  resetDefaults(): void;
  dismissNotices(): void;
}

/** Where the store reads its first setup and writes every later one: `window`, or a stand-in in tests. */
export interface Address {
  location: { readonly search: string; readonly pathname: string; readonly hash: string };
  history: { replaceState(data: unknown, unused: string, url: string): void };
}

export function createPageStore(address: Address): StoreApi<PageState> {
  const { setup, notices } = decodeSetup(address.location.search);
  // The address bar says what the page shows: a link with bad parameters is rewritten at once.
  writeUrl(address, setup);

  return createStore<PageState>()((set, get) => {
    function change(draft: DraftConfig, compare: PresetName[], compareError: string | null) {
      const checked = runConfigSchema.safeParse(draft);
      const next: PageSetup = { config: checked.success ? (checked.data as RunConfig) : get().setup.config, compare };
      writeUrl(address, next);
      set({ draft, setup: next, compareError, fieldErrors: checked.success ? {} : errorsByField(checked.error.issues) });
    }

    return {
      setup,
      draft: setup.config,
      fieldErrors: {},
      compareError: null,
      notices,
      setField(name, value) {
        if (name === 'algo' && typeof value === 'string' && Object.hasOwn(PRESETS, value)) return get().setAlgo(value as PresetName);
        change({ ...get().draft, [name]: value }, get().setup.compare, get().compareError);
      },
      setAlgo(name) {
        change(applyPreset(get().draft as RunConfig, name), get().setup.compare, get().compareError);
      },
      setCompare(names) {
        const checked = compareSchema.safeParse(names);
        if (checked.success) change(get().draft, checked.data, null);
        else change(get().draft, get().setup.compare, checked.error.issues[0]?.message ?? 'is not valid');
      },
      loadSetup(next) {
        change(next.config, [...next.compare], null);
      },
      resetDefaults() {
        change(DEFAULT_SETUP.config, [...DEFAULT_SETUP.compare], null);
        set({ notices: [] });
      },
      dismissNotices() {
        set({ notices: [] });
      },
    };
  });
}

function writeUrl(address: Address, setup: PageSetup) {
  const search = encodeSetup(setup);
  if (search === address.location.search) return;
  address.history.replaceState(null, '', `${address.location.pathname}${search}${address.location.hash}`);
}

/** The first problem with each field, e.g. { M: 'must divide N = B·G = 24' }. */
function errorsByField(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Partial<Record<RunField, string>> {
  const errors: Partial<Record<RunField, string>> = {};
  for (const issue of issues) {
    const field = issue.path[0] as RunField;
    errors[field] ??= issue.message;
  }
  return errors;
}
