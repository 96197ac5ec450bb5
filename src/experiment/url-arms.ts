// An arm in a link: `arm=PRESET[,field=value…]`, e.g. arm=tic-grpo,clipMode=zero-grad. Each override is
// checked with its field's schema; a bad one is named with its arm and dropped, the rest of the arm kept.
import { RUN_FIELDS, type RunConfig } from '../config/fields';
import { PRESET_NAMES, type PresetName } from '../loss/presets';
import { ARM_FIELDS, type Arm, type ArmField, armProblem } from './arms';
import { applyPreset, parseFieldText, runConfigSchema } from './config';
import { defaultArms } from './setup';
import { got, largestDivisorAtMost, type UrlNotice } from './url-fields';

/** The `arm` parameter's value: the preset, then each override in RUN_FIELDS order. */
export function armParam({ algo, overrides }: Arm): string {
  return [algo, ...ARM_FIELDS.filter((name) => overrides[name] !== undefined).map((name) => `${name}=${overrides[name]}`)].join(',');
}

/** The arms of a link's `arm` parameters (1-based in notices); none given, or none usable, gives the default arms. */
export function readArms(raws: readonly string[], base: RunConfig, notices: UrlNotice[]): Arm[] {
  if (raws.length === 0) return defaultArms();
  const arms = raws.flatMap((raw, i) => readArm(raw, i + 1, base, notices) ?? []);
  if (arms.length > 0) return arms;
  notices.push({ param: 'arm', message: `arm: no arm could be used; using the default arms ${defaultArms().map(armParam).join(' and ')}` });
  return defaultArms();
}

/** Why an entry of an arm is not an override: the fields an arm cannot set, by name. */
function notAnArmField(field: string): string {
  if (field === 'algo') return 'the preset is the first entry of an arm';
  if (field === 'seed' || field === 'seeds') return 'every arm runs the same seeds, set outside the arms';
  return 'not a field';
}

function readArm(raw: string, n: number, base: RunConfig, notices: UrlNotice[]): Arm | null {
  const [name = '', ...entries] = raw.split(',');
  if (!(PRESET_NAMES as readonly string[]).includes(name)) {
    notices.push({ param: 'arm', message: `arm ${n}: ${JSON.stringify(name)} is not a preset (choose from ${PRESET_NAMES.join(', ')}); arm dropped` });
    return null;
  }
  const algo = name as PresetName;
  const tell = (message: string) => notices.push({ param: 'arm', message: `arm ${n} (${algo}): ${message}` });
  const fallback = applyPreset(base, algo);
  const overrides: Record<string, unknown> = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    const field = equals < 0 ? entry : entry.slice(0, equals);
    if (equals < 0) {
      tell(`${JSON.stringify(entry)} is not field=value; ignored`);
      continue;
    }
    if (!(ARM_FIELDS as readonly string[]).includes(field)) {
      tell(`${field}: ${notAnArmField(field)}; ignored`);
      continue;
    }
    const text = entry.slice(equals + 1);
    const result = runConfigSchema.shape[field as ArmField].safeParse(parseFieldText(RUN_FIELDS[field as ArmField], text));
    if (!result.success) {
      tell(`${field}: ${result.error.issues[0]?.message ?? 'invalid'}${got(text)}; using ${fallback[field as ArmField]}`);
      continue;
    }
    if (field in overrides) tell(`${field} is given twice; using the last`);
    overrides[field] = result.data;
  }
  const arm: Arm = { algo, overrides };
  // Every override is in range now, so what remains wrong involves several fields: M against N = B·G.
  const problem = armProblem(base, arm);
  if (problem === null) return arm;
  const { B, G, M } = { ...fallback, ...arm.overrides };
  const fitted = largestDivisorAtMost(B * G, M);
  tell(`${problem}; using M=${fitted}`);
  const fixed: Arm = { algo, overrides: { ...arm.overrides, M: fitted } };
  return armProblem(base, fixed) === null ? fixed : null;
}
