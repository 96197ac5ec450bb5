import { describe, expect, it } from 'vitest';
import { armConfig } from '../../src/experiment/arms';
import { makeRunConfig } from '../../src/experiment/config';
import { flatArms, flatNote, neverClipsLow, ratiosAreOne } from '../../src/ui/charts/flat-by-construction';
import { METRICS } from '../../src/ui/charts/metric-table';
import { armsByLabel } from '../../src/ui/training/setup-arms';

const base = makeRunConfig({ task: 'add', K: 4 });
const K1 = 'K = 1: θ = θ_old at every step';
const NO_IS = 'No-IS: the gradient is taken at θ_old, so every ratio is 1 by definition';
const TRAJECTORY = 'trajectory level: the weight is clipped from above only';

describe('charts flat by construction', () => {
  it('are the ratio, ESS and clip charts where every ratio is 1: K = 1, or No-IS at any K', () => {
    expect(ratiosAreOne(armConfig(base, { algo: 'grpo', overrides: {} }))).toBeNull();
    expect(ratiosAreOne(armConfig(base, { algo: 'grpo', overrides: { K: 1 } }))).toBe(K1);
    expect(ratiosAreOne(armConfig(base, { algo: 'gspo', overrides: { K: 1 } }))).toBe(K1);
    expect(ratiosAreOne(armConfig(base, { algo: 'no-is', overrides: {} }))).toBe(NO_IS);
    expect(ratiosAreOne(armConfig(base, { algo: 'no-is', overrides: { K: 1 } }))).toBe(NO_IS);
    // An override of the level counts as the preset would.
    expect(ratiosAreOne(armConfig(base, { algo: 'grpo', overrides: { level: 'none-at-old' } }))).toBe(NO_IS);
  });

  it('include the low clip at trajectory level (TIC-GRPO clips its weight from above only)', () => {
    expect(neverClipsLow(armConfig(base, { algo: 'tic-grpo', overrides: {} }))).toBe(TRAJECTORY);
    expect(neverClipsLow(armConfig(base, { algo: 'tic-grpo', overrides: { K: 1 } }))).toBe(K1);
    expect(neverClipsLow(armConfig(base, { algo: 'gspo', overrides: {} }))).toBeNull();
    expect(neverClipsLow(armConfig(base, { algo: 'dapo', overrides: {} }))).toBeNull();
  });

  it('are marked in the metric table: the clip, ratio and ESS charts, and no other', () => {
    const rule = (id: string) => METRICS.find((m) => m.id === id)!.flat;
    expect(METRICS.filter((m) => m.flat).map((m) => m.id)).toEqual(['clip-low', 'clip-high', 'ratio-mean', 'ratio-p95', 'ratio-min', 'ratio-max', 'ess']);
    expect(rule('clip-low')).toBe(neverClipsLow);
    for (const id of ['clip-high', 'ratio-mean', 'ratio-p95', 'ratio-min', 'ratio-max', 'ess']) expect(rule(id)).toBe(ratiosAreOne);
  });

  it('are decided per arm from its config, and said in one note grouped by reason', () => {
    const setup = {
      config: base,
      arms: [
        { algo: 'grpo', overrides: { K: 1 } },
        { algo: 'tic-grpo', overrides: { K: 1 } },
        { algo: 'grpo', overrides: {} },
        { algo: 'no-is', overrides: {} },
      ] as const,
      seeds: 2,
    };
    const arms = armsByLabel({ ...setup, arms: setup.arms.map((a) => ({ ...a })) });
    const labels = [...arms.keys()];
    expect(labels).toEqual(['GRPO K=1', 'TIC-GRPO K=1', 'GRPO', 'No-IS (gradient at π_old)']);
    const flat = flatArms(ratiosAreOne, labels, arms);
    expect([...flat.keys()]).toEqual(['GRPO K=1', 'TIC-GRPO K=1', 'No-IS (gradient at π_old)']);
    expect(flatNote(flat)).toBe(`flat by construction for GRPO K=1, TIC-GRPO K=1 (${K1}); for No-IS (gradient at π_old) (${NO_IS})`);
    expect(flatNote(flatArms(ratiosAreOne, ['GRPO'], arms))).toBe('');
    // No rule, or an arm the setup does not list: drawn.
    expect(flatArms(undefined, labels, arms).size).toBe(0);
    expect(flatArms(ratiosAreOne, ['DAPO'], arms).size).toBe(0);
  });
});
