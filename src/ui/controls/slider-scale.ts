// A real-valued field's slider runs over integer positions 0…SLIDER_STEPS, linear or logarithmic as
// RUN_FIELDS says, and lands on round values so that the URL stays readable (lr=0.000316, not 0.00031622776…).
import type { FieldKind } from '../../config/fields';

export type RealKind = Extract<FieldKind, { type: 'number' }>;

export const SLIDER_STEPS = 1000;

/** The value at slider position `position`, rounded to the slider's resolution. */
export function valueAt(kind: RealKind, position: number): number {
  const t = position / SLIDER_STEPS;
  if (kind.log) {
    const value = Math.exp(Math.log(kind.min) + t * (Math.log(kind.max) - Math.log(kind.min)));
    return clamp(Number(value.toPrecision(3)), kind);
  }
  const span = kind.max - kind.min;
  const decimals = Math.max(0, -Math.floor(Math.log10(span / SLIDER_STEPS)));
  return clamp(Number((kind.min + t * span).toFixed(decimals)), kind);
}

/** The slider position nearest to `value` (values off the slider's grid keep their exact value elsewhere). */
export function positionOf(kind: RealKind, value: number): number {
  if (!Number.isFinite(value)) return 0;
  const v = clamp(value, kind);
  const t = kind.log ? Math.log(v / kind.min) / Math.log(kind.max / kind.min) : (v - kind.min) / (kind.max - kind.min);
  return Math.round(t * SLIDER_STEPS);
}

function clamp(value: number, kind: RealKind): number {
  return Math.min(kind.max, Math.max(kind.min, value));
}
