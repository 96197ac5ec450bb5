import type { RunField } from '../../config/fields';
import { type PresetName, PRESETS } from '../../loss/presets';

interface Props {
  id: string;
  name: RunField;
  options: readonly string[];
  value: string;
  describedBy: string;
  invalid: boolean;
  onValue(value: string): void;
}

/** A select over an enum field's options; presets show their names (TIC-GRPO), other options their stable keys. */
export function EnumSelect({ id, name, options, value, describedBy, invalid, onValue }: Props) {
  return (
    <select className="field__input" id={id} value={value} aria-describedby={describedBy} aria-invalid={invalid} onChange={(e) => onValue(e.target.value)}>
      {options.map((option) => (
        <option key={option} value={option}>
          {name === 'algo' ? PRESETS[option as PresetName].label : option}
        </option>
      ))}
    </select>
  );
}
