import { useEffect, useState } from 'react';

interface Props {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number | 'any';
  invalid: boolean;
  onValue(value: number): void;
}

/** The exact value of a numeric field, editable: every parsable keystroke is sent, half-typed text ("0.", "1e") is kept. */
export function ValueBox({ label, value, min, max, step, invalid, onValue }: Props) {
  const [text, setText] = useState(String(value));
  // Follow the slider and resets, but never rewrite text that already reads as the value.
  useEffect(() => setText((current) => (Number(current) === value && current.trim() !== '' ? current : String(value))), [value]);
  return (
    <input
      className="field__value"
      type="number"
      inputMode="decimal"
      aria-label={`${label} value`}
      min={min}
      max={max}
      step={step}
      value={text}
      aria-invalid={invalid}
      onChange={(e) => {
        setText(e.target.value);
        const number = Number(e.target.value);
        if (e.target.value.trim() !== '' && Number.isFinite(number)) onValue(number);
      }}
    />
  );
}
