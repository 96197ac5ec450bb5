// The page's state, free of React: the setup (always valid, mirrored in the URL), what the controls
// show, and the actions that change them. Every change takes one path: validate → keep → write the URL.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { type ExperimentField, RUN_FIELDS, type RunConfig, type RunField } from '../config/fields';
import { type Arm, type ArmField, armLabels } from '../experiment/arms';
import { parseFieldText, runConfigSchema } from '../experiment/config';
import { armProblems, DEFAULT_SETUP, type PageSetup, type SetupField, seedsSchema } from '../experiment/setup';
import { decodeSetup, encodeSetup, type UrlNotice } from '../experiment/url';
import { PRESET_NAMES, type PresetName } from '../loss/presets';

/** The setup's fields as the controls hold them: the base's (RunConfig's shape) and the seeds, not yet checked against their ranges. */
export type Draft = { [F in RunField]: RunConfig[F] extends number ? number : string } & { [F in ExperimentField]: number };

export interface PageState {
  /** The last valid setup: what the URL says and what runs will use. */
  setup: PageSetup;
  /** What the base's controls and the seeds show; it differs from the setup only while something is refused. */
  draft: Draft;
  /** Why a field of the draft is refused, by field. */
  fieldErrors: Partial<Record<SetupField, string>>;
  /** Why the last change to an arm was refused, by the arm's index (the setup keeps its arms as they were). */
  armErrors: Partial<Record<number, string>>;
  /** Why the draft's base, valid by itself, is not kept: an arm cannot train over it. */
  baseConflict: string | null;
  /** What the URL the page opened with got wrong. */
  notices: UrlNotice[];
  setField(name: SetupField, value: number | string): void;
  setArms(arms: readonly Arm[]): void;
  /** Appends an arm of the first preset no arm uses yet. */
  addArm(): void;
  /** Inserts a copy of the arm after it. */
  duplicateArm(index: number): void;
  /** Removes the arm, unless it is the last one. */
  removeArm(index: number): void;
  setArmPreset(index: number, algo: PresetName): void;
  /** Sets an override of the arm; text (as typed) is read as the field's kind. */
  setOverride(index: number, field: ArmField, value: number | string): void;
  removeOverride(index: number, field: ArmField): void;
  /** Replaces the arm by one arm per value of `field` (text read as for setOverride). */
  varyField(index: number, field: ArmField, values: readonly (number | string)[]): void;
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

function draftOf({ config, seeds }: PageSetup): Draft {
  return { ...config, seeds };
}

export function createPageStore(address: Address): StoreApi<PageState> {
  const { setup, notices } = decodeSetup(address.location.search);
  // The address bar says what the page shows: a link with bad parameters is rewritten at once.
  writeUrl(address, setup);

  return createStore<PageState>()((set, get) => {
    /**
     * The one path. The draft's base is kept when it is valid and every arm can train over it; `arms`,
     * when given (an arm was edited, blamed on arm `blame`), are kept when every one of them can train over the base.
     */
    function change(draft: Draft, arms?: readonly Arm[], blame?: number) {
      const kept = get().setup;
      const { seeds, ...fields } = draft;
      const checked = runConfigSchema.safeParse(fields);
      const checkedSeeds = seedsSchema.safeParse(seeds);
      const fieldErrors: Partial<Record<SetupField, string>> = checked.success ? {} : errorsByField(checked.error.issues);
      if (!checkedSeeds.success) fieldErrors.seeds = checkedSeeds.error.issues[0]?.message ?? 'is not valid';
      const drafted = checked.success ? (checked.data as RunConfig) : null;
      const fits = (base: RunConfig | null, candidate: readonly Arm[]): base is RunConfig => base !== null && armProblems(base, candidate).size === 0;

      let nextArms = kept.arms;
      let armErrors: PageState['armErrors'] = {};
      if (arms) {
        const base = fits(drafted, arms) ? drafted : kept.config;
        const problems = armProblems(base, arms);
        if (problems.size === 0) nextArms = [...arms];
        else {
          const [first, problem] = [...problems][0]!;
          const at = blame ?? first;
          armErrors = { [at]: problems.get(at) ?? problem };
        }
      }
      const config = fits(drafted, nextArms) ? drafted : kept.config;
      const next: PageSetup = { config, arms: nextArms, seeds: checkedSeeds.success ? (checkedSeeds.data as number) : kept.seeds };
      writeUrl(address, next);
      set({ draft, setup: next, fieldErrors, armErrors, baseConflict: drafted && config !== drafted ? conflict(drafted, nextArms) : null });
    }

    const arms = () => get().setup.arms;
    const changeArms = (next: readonly Arm[], blame?: number) => change(get().draft, next, blame);
    const refuseArm = (index: number, message: string) => set({ armErrors: { [index]: message } });
    const replaceArm = (index: number, by: (arm: Arm) => Arm | Arm[]) =>
      changeArms(
        arms().flatMap((arm, i) => (i === index ? by(arm) : [arm])),
        index,
      );
    /** `value` as one of `field`'s values (text as typed is parsed), or why it is not one. */
    const checkValue = (field: ArmField, value: number | string): { value: unknown } | { refused: string } => {
      const result = runConfigSchema.shape[field].safeParse(typeof value === 'string' ? parseFieldText(RUN_FIELDS[field], value) : value);
      if (result.success) return { value: result.data };
      return { refused: `${field}: ${result.error.issues[0]?.message ?? 'is not valid'} (got ${JSON.stringify(value)})` };
    };

    return {
      setup,
      draft: draftOf(setup),
      fieldErrors: {},
      armErrors: {},
      baseConflict: null,
      notices,
      setField(name, value) {
        change({ ...get().draft, [name]: value });
      },
      setArms(next) {
        changeArms(next);
      },
      addArm() {
        const used = new Set(arms().map((arm) => arm.algo));
        changeArms([...arms(), { algo: PRESET_NAMES.find((name) => !used.has(name)) ?? PRESET_NAMES[0]!, overrides: {} }]);
      },
      duplicateArm(index) {
        replaceArm(index, (arm) => [arm, { algo: arm.algo, overrides: { ...arm.overrides } }]);
      },
      removeArm(index) {
        if (arms().length === 1) return refuseArm(index, 'an experiment needs at least one arm');
        replaceArm(index, () => []);
      },
      setArmPreset(index, algo) {
        replaceArm(index, (arm) => ({ ...arm, algo }));
      },
      setOverride(index, field, value) {
        const checked = checkValue(field, value);
        if ('refused' in checked) return refuseArm(index, checked.refused);
        replaceArm(index, (arm) => ({ ...arm, overrides: { ...arm.overrides, [field]: checked.value } }));
      },
      removeOverride(index, field) {
        replaceArm(index, (arm) => {
          const { [field]: _removed, ...overrides } = arm.overrides;
          return { ...arm, overrides };
        });
      },
      varyField(index, field, values) {
        if (values.length === 0) return refuseArm(index, `${field}: list at least one value`);
        const parsed: unknown[] = [];
        for (const value of values) {
          const checked = checkValue(field, value);
          if ('refused' in checked) return refuseArm(index, checked.refused);
          parsed.push(checked.value);
        }
        replaceArm(index, (arm) => parsed.map((value) => ({ ...arm, overrides: { ...arm.overrides, [field]: value } })));
      },
      loadSetup(next) {
        change(draftOf(next), next.arms);
      },
      resetDefaults() {
        change(draftOf(DEFAULT_SETUP), DEFAULT_SETUP.arms);
        set({ notices: [] });
      },
      dismissNotices() {
        set({ notices: [] });
      },
    };
  });
}

/** Why `base` is not kept: the first arm that cannot train over it, named by number and label. */
function conflict(base: RunConfig, arms: readonly Arm[]): string | null {
  const [first] = armProblems(base, arms);
  if (!first) return null;
  const [index, problem] = first;
  return `arm ${index + 1} (${armLabels(arms, base)[index]}) cannot train with these fields: ${problem}`;
}

function writeUrl(address: Address, setup: PageSetup) {
  const search = encodeSetup(setup);
  if (search === address.location.search) return;
  address.history.replaceState(null, '', `${address.location.pathname}${search}${address.location.hash}`);
}

/** The first problem with each field, e.g. { M: 'must divide N = B·G = 24' }. */
function errorsByField(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Partial<Record<SetupField, string>> {
  const errors: Partial<Record<SetupField, string>> = {};
  for (const issue of issues) {
    const field = issue.path[0] as SetupField;
    errors[field] ??= issue.message;
  }
  return errors;
}
