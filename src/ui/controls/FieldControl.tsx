import type { FieldKind } from '../../config/fields';
import { type SetupField, setupFieldSpec, setupFieldValue } from '../../experiment/setup';
import { usePage } from '../use-page';
import { EnumSelect } from './EnumSelect';
import { NumberInput } from './NumberInput';

/** One field of the base or the experiment: its label, the input its kind calls for, its help on hover and focus, and why it is refused. */
export function FieldControl({ name }: { name: SetupField }) {
  const { label, help, kind } = setupFieldSpec(name);
  const value = usePage((s) => s.draft[name]);
  const error = usePage((s) => s.fieldErrors[name]);
  const kept = usePage((s) => setupFieldValue(s.setup, name));
  const setField = usePage((s) => s.setField);

  const id = `field-${name}`;
  const input = { id, describedBy: error ? `${id}-help ${id}-error` : `${id}-help`, invalid: error !== undefined };
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {kind.type === 'enum' ? (
        <EnumSelect {...input} options={kind.options} value={String(value)} onValue={(v) => setField(name, v)} />
      ) : (
        <NumberInput {...input} label={label} kind={kind} value={Number(value)} onValue={(v) => setField(name, v)} />
      )}
      <span className="field__help" role="tooltip" id={`${id}-help`}>
        {help}
        {kind.type !== 'enum' && <span className="field__range"> Range {rangeText(kind)}.</span>}
      </span>
      {error && (
        <p className="field__error" id={`${id}-error`}>
          {label} {error}; the link keeps {String(kept)}.
        </p>
      )}
    </div>
  );
}

export function rangeText(kind: Exclude<FieldKind, { type: 'enum' }>): string {
  const scale = kind.type === 'number' && kind.log ? ', log scale' : '';
  return `${kind.min} to ${kind.max}${kind.type === 'int' ? ', whole numbers' : ''}${scale}`;
}
