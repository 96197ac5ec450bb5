import { describe, expect, it } from 'vitest';
import { applyPreset, DEFAULT_RUN_CONFIG, lossConfig, makeRunConfig, reuses } from '../../src/experiment/config';
import { RUN_FIELD_NAMES, RUN_FIELDS } from '../../src/config/fields';
import { PRESETS } from '../../src/loss/presets';

describe('run config', () => {
  it('has a label, a one-sentence help and a valid default for every field', () => {
    expect(makeRunConfig()).toEqual(DEFAULT_RUN_CONFIG);
    for (const name of RUN_FIELD_NAMES) {
      expect(RUN_FIELDS[name].label.length, name).toBeGreaterThan(0);
      expect(RUN_FIELDS[name].help, name).toMatch(/\.$/);
    }
  });

  it.each([
    [{ K: -1 }, /K: must be an integer in \[1, 64\] \(got -1\)/],
    [{ K: 2.5 }, /K: must be an integer/],
    [{ epsHigh: -0.1 }, /epsHigh: must be a number in \[0, 10\] \(got -0.1\)/],
    [{ G: 1 }, /G: must be an integer in \[2, 64\] \(got 1\)/],
    [{ B: 3, G: 5, M: 4 }, /M: must divide N = B·G = 15/],
    [{ B: 2, G: 2, M: 8 }, /M: must divide N = B·G = 4/],
    [{ algo: 'ppo' }, /algo: must be one of grpo, tic-grpo, no-is, gspo, dr-grpo, dapo \(got "ppo"\)/],
    [{ lr: Number.NaN }, /lr: must be a number/],
    [{ Kk: 3 } as never, /unknown field Kk/],
  ])('refuses %o, naming the field', (overrides, message) => {
    expect(() => makeRunConfig(overrides)).toThrow(message);
  });

  it('reports every bad field at once', () => {
    expect(() => makeRunConfig({ K: 0, temperature: -1 })).toThrow(/K: .*; temperature: /);
  });

  it('applies a preset to the loss fields and keeps the rest', () => {
    const config = applyPreset(makeRunConfig({ K: 4, seed: 9 }), 'tic-grpo');
    expect(lossConfig(config)).toEqual(PRESETS['tic-grpo'].loss);
    expect(config.advantage).toBe(PRESETS['tic-grpo'].advantage);
    expect(config).toMatchObject({ algo: 'tic-grpo', K: 4, seed: 9 });
  });

  it('derives reuses = K·M/(B·G)', () => {
    expect(reuses({ K: 8, M: 16, B: 8, G: 8 })).toBe(2);
  });
});
