import { type FieldSpec, RUN_FIELDS } from '../../config/fields';
import { ARM_FIELDS, type Arm, type ArmField } from '../../experiment/arms';
import { PRESET_NAMES, type PresetName, PRESETS } from '../../loss/presets';
import { armColor } from '../charts/arm-colors';
import { usePage } from '../use-page';
import { EnumSelect } from './EnumSelect';
import { OverrideForm } from './OverrideForm';

/** "K=1", "ε_high=0.28", "clipMode=zero-grad": an override as its chip reads. */
function overrideChip(name: ArmField, value: number | string): string {
  const spec: FieldSpec = RUN_FIELDS[name];
  return `${spec.symbol ?? name}=${value}`;
}

/** One arm: its label and colour, its preset, its overrides as removable chips, and Duplicate / Remove. */
export function ArmRow({ index, arm, label, removable }: { index: number; arm: Arm; label: string; removable: boolean }) {
  const error = usePage((s) => s.armErrors[index]);
  const setArmPreset = usePage((s) => s.setArmPreset);
  const removeOverride = usePage((s) => s.removeOverride);
  const duplicateArm = usePage((s) => s.duplicateArm);
  const removeArm = usePage((s) => s.removeArm);
  const id = `arm-${index}`;
  const overrides = ARM_FIELDS.filter((name) => arm.overrides[name] !== undefined);
  const name = `arm ${index + 1} (${label})`;

  return (
    <li className={error ? 'arm arm--invalid' : 'arm'} data-testid={id} aria-label={`Arm ${index + 1}: ${label}`}>
      <div className="arm__head">
        <span className="legend__swatch" style={{ background: armColor(index) }} aria-hidden="true" />
        <span className="arm__label">{label}</span>
        <label className="arm__preset" htmlFor={`${id}-preset`}>
          Preset
        </label>
        <EnumSelect
          id={`${id}-preset`}
          options={PRESET_NAMES}
          value={arm.algo}
          describedBy={error ? `${id}-error` : undefined}
          invalid={false}
          optionLabel={(option) => PRESETS[option as PresetName].label}
          onValue={(algo) => setArmPreset(index, algo as PresetName)}
        />
        <button type="button" className="button button--quiet" aria-label={`Duplicate ${name}`} onClick={() => duplicateArm(index)}>
          Duplicate
        </button>
        <button type="button" className="button button--quiet" aria-label={`Remove ${name}`} disabled={!removable} onClick={() => removeArm(index)}>
          Remove
        </button>
      </div>
      <ul className="arm__overrides" aria-label={`Overrides of ${name}`}>
        {overrides.map((field) => {
          const chip = overrideChip(field, arm.overrides[field]!);
          return (
            <li key={field} className="chip">
              {chip}
              <button type="button" className="chip__remove" aria-label={`Remove ${chip} from ${name}`} onClick={() => removeOverride(index, field)}>
                ×
              </button>
            </li>
          );
        })}
        <li>
          <OverrideForm index={index} arm={arm} label={label} />
        </li>
      </ul>
      {error && (
        <p className="field__error" id={`${id}-error`} role="alert">
          {error}; the link keeps the arm as it was.
        </p>
      )}
    </li>
  );
}
