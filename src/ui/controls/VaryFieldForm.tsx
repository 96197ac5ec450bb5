import { useState } from 'react';
import type { ArmField } from '../../experiment/arms';
import { usePage } from '../use-page';
import { ArmFieldSelect } from './ArmFieldSelect';

/** "Vary one field": an arm, a field and a comma list of values (K: 1,2,4,8,16) replace the arm by one arm per value. */
export function VaryFieldForm({ labels }: { labels: readonly string[] }) {
  const [chosen, setChosen] = useState(0);
  const [field, setField] = useState<ArmField>('K');
  const [values, setValues] = useState('1,2,4,8,16');
  const varyField = usePage((s) => s.varyField);
  const index = Math.min(chosen, labels.length - 1);
  const error = usePage((s) => s.armErrors[index]);
  const id = 'vary';

  return (
    <form
      className="arms__vary"
      aria-label="Vary one field"
      onSubmit={(e) => {
        e.preventDefault();
        varyField(
          index,
          field,
          values.split(',').map((v) => v.trim()),
        );
      }}
    >
      <span className="arms__vary-title">Vary one field</span>
      <label htmlFor={`${id}-arm`}>of arm</label>
      <select id={`${id}-arm`} value={index} onChange={(e) => setChosen(Number(e.target.value))}>
        {labels.map((label, i) => (
          <option key={label} value={i}>
            {i + 1}: {label}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-field`}>field</label>
      <ArmFieldSelect id={`${id}-field`} value={field} onValue={setField} />
      <label htmlFor={`${id}-values`}>values</label>
      <input
        id={`${id}-values`}
        type="text"
        size={14}
        value={values}
        aria-describedby={`${id}-help${error ? ` ${id}-error` : ''}`}
        onChange={(e) => setValues(e.target.value)}
      />
      <button type="submit" className="button button--quiet">
        Vary
      </button>
      <span className="arms__help" id={`${id}-help`}>
        Comma-separated; the arm becomes one arm per value.
      </span>
      {error && (
        <span className="field__error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </form>
  );
}
