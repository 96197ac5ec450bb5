import { type PresetName, PRESETS } from '../../loss/presets';
import { usePage } from '../use-page';

const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** Which algorithm presets run side by side (at least two), and how many runs that makes. */
export function ComparePicker() {
  const compare = usePage((s) => s.setup.compare);
  const error = usePage((s) => s.compareError);
  const seeds = usePage((s) => s.setup.config.seeds);
  const setCompare = usePage((s) => s.setCompare);
  // Toggling keeps the user's order: a preset is appended or removed.
  const toggle = (name: PresetName) => setCompare(compare.includes(name) ? compare.filter((n) => n !== name) : [...compare, name]);
  return (
    <fieldset className="group compare" data-testid="compare">
      <legend>Compare side by side</legend>
      <div className="compare__options">
        {PRESET_NAMES.map((name) => (
          <label key={name} className="compare__option">
            <input type="checkbox" name="compare" value={name} checked={compare.includes(name)} onChange={() => toggle(name)} />
            {PRESETS[name].label}
          </label>
        ))}
      </div>
      <p className="compare__count">
        {compare.length} algorithms × {seeds} {seeds === 1 ? 'seed' : 'seeds'} = {compare.length * seeds} runs
      </p>
      {error && (
        <p className="field__error" role="alert">
          The comparison {error}.
        </p>
      )}
    </fieldset>
  );
}
