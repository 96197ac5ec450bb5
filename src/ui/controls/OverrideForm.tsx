import { useState } from 'react';
import { type FieldKind, RUN_FIELDS } from '../../config/fields';
import { type Arm, type ArmField, armConfig } from '../../experiment/arms';
import { usePage } from '../use-page';
import { ArmFieldSelect } from './ArmFieldSelect';
import { rangeText } from './FieldControl';

/** "+ override": choose a field and a value for one arm; the store checks the value with the field's schema. */
export function OverrideForm({ index, arm, label }: { index: number; arm: Arm; label: string }) {
  const [open, setOpen] = useState(false);
  const [field, setField] = useState<ArmField>('K');
  const base = usePage((s) => s.setup.config);
  const setOverride = usePage((s) => s.setOverride);
  const current = String(armConfig(base, arm)[field]);
  const [text, setText] = useState(current);
  const id = `arm-${index}-override`;

  if (!open) {
    return (
      <button
        type="button"
        className="button button--quiet arm__add"
        aria-label={`Add an override to arm ${index + 1} (${label})`}
        onClick={() => setOpen(true)}
      >
        + override
      </button>
    );
  }
  const { kind, help } = RUN_FIELDS[field];
  const choose = (next: ArmField) => {
    setField(next);
    setText(String(armConfig(base, arm)[next]));
  };
  return (
    <form
      className="arm__form"
      aria-label={`Override of arm ${index + 1} (${label})`}
      onSubmit={(e) => {
        e.preventDefault();
        setOverride(index, field, text.trim());
      }}
      onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
    >
      <label htmlFor={`${id}-field`}>Field</label>
      <ArmFieldSelect id={`${id}-field`} value={field} onValue={choose} />
      <label htmlFor={`${id}-value`}>Value</label>
      <ValueInput id={`${id}-value`} kind={kind} text={text} describedBy={`${id}-help`} onText={setText} />
      <button type="submit" className="button">
        Set
      </button>
      <button type="button" className="button button--quiet" onClick={() => setOpen(false)}>
        Done
      </button>
      <span className="arm__help" id={`${id}-help`}>
        {help}
        {kind.type !== 'enum' && ` Range ${rangeText(kind)}.`}
      </span>
    </form>
  );
}

/** An enum field's options as a select, a number as text (checked when it is set). */
function ValueInput({ id, kind, text, describedBy, onText }: { id: string; kind: FieldKind; text: string; describedBy: string; onText(text: string): void }) {
  if (kind.type === 'enum') {
    return (
      <select id={id} value={text} aria-describedby={describedBy} onChange={(e) => onText(e.target.value)}>
        {kind.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  }
  return <input id={id} type="text" inputMode="decimal" size={8} value={text} aria-describedby={describedBy} onChange={(e) => onText(e.target.value)} />;
}
