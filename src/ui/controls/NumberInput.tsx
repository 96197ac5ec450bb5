import type { FieldKind } from '../../config/fields';
import { positionOf, SLIDER_STEPS, valueAt } from './slider-scale';
import { ValueBox } from './ValueBox';

interface Props {
  id: string;
  label: string;
  kind: Exclude<FieldKind, { type: 'enum' }>;
  value: number;
  describedBy: string;
  invalid: boolean;
  onValue(value: number): void;
}

/** A slider (the labelled control) and a box that shows the exact value and takes a typed one. */
export function NumberInput({ id, label, kind, value, describedBy, invalid, onValue }: Props) {
  // Integers slide over their own range; real values over positions that map to round values (log for lr).
  const slider =
    kind.type === 'int'
      ? { min: kind.min, max: kind.max, position: value, toValue: (p: number) => p }
      : { min: 0, max: SLIDER_STEPS, position: positionOf(kind, value), toValue: (p: number) => valueAt(kind, p) };
  return (
    <>
      <input
        className="field__input field__slider"
        type="range"
        id={id}
        min={slider.min}
        max={slider.max}
        step={1}
        value={Number.isFinite(slider.position) ? slider.position : slider.min}
        aria-valuetext={String(value)}
        aria-describedby={describedBy}
        aria-invalid={invalid}
        onChange={(e) => onValue(slider.toValue(Number(e.target.value)))}
      />
      <ValueBox label={label} value={value} min={kind.min} max={kind.max} step={kind.type === 'int' ? 1 : 'any'} invalid={invalid} onValue={onValue} />
    </>
  );
}
