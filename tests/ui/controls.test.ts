import { describe, expect, it } from 'vitest';
import { RUN_FIELD_NAMES, RUN_FIELDS } from '../../src/config/fields';
import { PRESET_FIELDS } from '../../src/experiment/config';
import { BASE_FIELDS } from '../../src/experiment/setup';
import { CONTROL_GROUPS } from '../../src/ui/controls/groups';
import { positionOf, type RealKind, SLIDER_STEPS, valueAt } from '../../src/ui/controls/slider-scale';

const REAL_FIELDS = RUN_FIELD_NAMES.filter((name) => RUN_FIELDS[name].kind.type === 'number');

describe('the controls', () => {
  it('group every base field and the seeds exactly once; the arms editor sets the algorithm and its loss fields', () => {
    expect(CONTROL_GROUPS.flatMap((g) => g.fields).sort()).toEqual([...BASE_FIELDS, 'seeds'].sort());
    expect(RUN_FIELD_NAMES.filter((name) => !(BASE_FIELDS as readonly string[]).includes(name)).sort()).toEqual(['algo', ...PRESET_FIELDS].sort());
  });

  it.each(REAL_FIELDS)('%s: the slider spans the range, lands on round values, and finds its own positions again', (name) => {
    const kind = RUN_FIELDS[name].kind as RealKind;
    expect(valueAt(kind, 0)).toBe(kind.min);
    expect(valueAt(kind, SLIDER_STEPS)).toBe(kind.max);
    for (let p = 0; p <= SLIDER_STEPS; p++) {
      const value = valueAt(kind, p);
      expect(String(value).replace(/^0\.0*/, '').length, `${name} at ${p}: ${value}`).toBeLessThanOrEqual(6);
      expect(positionOf(kind, value), `${name} at ${p}: ${value}`).toBe(p);
    }
  });

  it('puts the learning rate on a log scale', () => {
    const lr = RUN_FIELDS.lr.kind;
    expect(valueAt(lr, SLIDER_STEPS / 2)).toBe(0.001);
    expect(positionOf(lr, 1e-4)).toBe(Math.round((2 / 6) * SLIDER_STEPS));
  });
});
