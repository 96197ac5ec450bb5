import { RUN_FIELDS } from '../../config/fields';
import { ARM_FIELDS, type ArmField } from '../../experiment/arms';

/** A select over the fields an arm may set, each by the name a user reads. */
export function ArmFieldSelect({ id, value, onValue }: { id: string; value: ArmField; onValue(field: ArmField): void }) {
  return (
    <select id={id} value={value} onChange={(e) => onValue(e.target.value as ArmField)}>
      {ARM_FIELDS.map((name) => (
        <option key={name} value={name}>
          {RUN_FIELDS[name].label}
        </option>
      ))}
    </select>
  );
}
