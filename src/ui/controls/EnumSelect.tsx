interface Props {
  id: string;
  options: readonly string[];
  value: string;
  describedBy?: string;
  invalid: boolean;
  /** What an option reads as; its stable key by default. */
  optionLabel?: (option: string) => string;
  onValue(value: string): void;
}

/** A select over an enum field's options, which show their stable keys unless `optionLabel` names them (presets: TIC-GRPO). */
export function EnumSelect({ id, options, value, describedBy, invalid, optionLabel = (o) => o, onValue }: Props) {
  return (
    <select className="field__input" id={id} value={value} aria-describedby={describedBy} aria-invalid={invalid} onChange={(e) => onValue(e.target.value)}>
      {options.map((option) => (
        <option key={option} value={option}>
          {optionLabel(option)}
        </option>
      ))}
    </select>
  );
}
