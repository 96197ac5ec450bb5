import { describe, expect, it } from 'vitest';
import { applyPreset, DEFAULT_RUN_CONFIG, makeRunConfig } from '../../src/experiment/config';
import type { RunConfig } from '../../src/config/fields';
import { type FieldKind, RUN_FIELD_NAMES, RUN_FIELDS } from '../../src/config/fields';
import { decodeSetup, encodeSetup } from '../../src/experiment/url';
import { DEFAULT_SETUP, type PageSetup } from '../../src/experiment/setup';
import { type PresetName, PRESETS } from '../../src/loss/presets';
import { testSeed, uniformRng } from '../helpers/random';

const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** A random valid setup: each field at its preset value a third of the time (so omission is exercised), else anywhere in range. */
function randomSetup(rng: () => number): PageSetup {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const algo = pick(PRESET_NAMES);
  const base = applyPreset(DEFAULT_RUN_CONFIG, algo);
  const fields: Record<string, unknown> = { algo };
  for (const name of RUN_FIELD_NAMES) {
    if (name === 'algo') continue;
    const kind: FieldKind = RUN_FIELDS[name].kind;
    if (rng() < 1 / 3) fields[name] = base[name];
    else if (kind.type === 'enum') fields[name] = pick(kind.options);
    else if (kind.type === 'int') fields[name] = kind.min + Math.floor(rng() * (kind.max - kind.min + 1));
    else if (kind.log) fields[name] = kind.min * (kind.max / kind.min) ** rng();
    else fields[name] = kind.min + rng() * (kind.max - kind.min);
  }
  const N = (fields.B as number) * (fields.G as number);
  const divisors = Array.from({ length: N }, (_, i) => i + 1).filter((d) => N % d === 0);
  fields.M = pick(divisors);
  const shuffled = [...PRESET_NAMES].sort(() => rng() - 0.5);
  return { config: makeRunConfig(fields), compare: shuffled.slice(0, 2 + Math.floor(rng() * (PRESET_NAMES.length - 1))) };
}

function decodeOk(search: string) {
  const { setup, notices } = decodeSetup(search);
  expect(notices).toEqual([]);
  return setup;
}

describe('the URL codec', () => {
  it('encodes the default setup as the empty string, and reads the empty string back as it', () => {
    expect(encodeSetup(DEFAULT_SETUP)).toBe('');
    expect(decodeOk('')).toEqual(DEFAULT_SETUP);
    expect(decodeOk('?')).toEqual(DEFAULT_SETUP);
  });

  it('writes only non-default fields, readable, after the version', () => {
    const config = { ...applyPreset(DEFAULT_RUN_CONFIG, 'tic-grpo'), K: 8, epsHigh: 0.3, seeds: 3 };
    const search = encodeSetup({ config, compare: ['grpo', 'tic-grpo', 'dapo'] });
    expect(search).toBe('?v=1&algo=tic-grpo&epsHigh=0.3&seeds=3&compare=grpo,tic-grpo,dapo');
    expect(decodeOk(search)).toEqual({ config, compare: ['grpo', 'tic-grpo', 'dapo'] });
  });

  it("reads loss fields against the chosen algorithm's preset: ?algo=tic-grpo alone restores its ε high", () => {
    for (const algo of PRESET_NAMES) {
      const preset = applyPreset(DEFAULT_RUN_CONFIG, algo);
      const search = encodeSetup({ config: preset, compare: ['grpo', 'tic-grpo'] });
      expect(search).toBe(algo === 'grpo' ? '' : `?v=1&algo=${algo}`);
      expect(decodeOk(`?algo=${algo}`).config).toEqual(preset);
    }
    expect(decodeOk('?v=1&algo=tic-grpo').config.epsHigh).toBe(0.28);
    // A GRPO value differing from TIC-GRPO's preset must travel explicitly.
    const ticWithGrpoEps = { ...applyPreset(DEFAULT_RUN_CONFIG, 'tic-grpo'), epsHigh: 0.2 };
    expect(encodeSetup({ config: ticWithGrpoEps, compare: ['grpo', 'tic-grpo'] })).toBe('?v=1&algo=tic-grpo&epsHigh=0.2');
  });

  it('round-trips random valid setups exactly', () => {
    const rng = uniformRng(testSeed('url round trip'));
    for (let i = 0; i < 300; i++) {
      const setup = randomSetup(rng);
      const search = encodeSetup(setup);
      expect(decodeOk(search), search).toEqual(setup);
      expect(encodeSetup(decodeOk(search))).toBe(search);
    }
  });

  it.each([
    ['?K=-3', 'K', /^K: must be an integer in \[1, 64\] \(got "-3"\); using 8$/, { K: 8 }],
    ['?K=abc', 'K', /^K: must be an integer .*\(got "abc"\); using 8$/, { K: 8 }],
    ['?K=2.5', 'K', /^K: must be an integer/, { K: 8 }],
    ['?K=', 'K', /^K: .*\(got ""\); using 8$/, { K: 8 }],
    ['?epsHigh=99', 'epsHigh', /^epsHigh: must be a number in \[0, 10\] \(got "99"\); using 0.2$/, { epsHigh: 0.2 }],
    ['?algo=tic-grpo&epsHigh=-1', 'epsHigh', /using 0.28$/, { algo: 'tic-grpo', epsHigh: 0.28 }],
    ['?algo=ppo', 'algo', /^algo: must be one of grpo, .* \(got "ppo"\); using grpo$/, { algo: 'grpo' }],
    ['?task=chess', 'task', /^task: must be one of add, /, { task: 'add' }],
    ['?M=7', 'M', /^M: must divide N = B·G = 64 \(got "7"\); using 16$/, { M: 16 }],
    ['?B=3&G=5', 'M', /^M: must divide N = B·G = 15; using 15$/, { B: 3, G: 5, M: 15 }],
    ['?lr=1e-9', 'lr', /^lr: must be a number in \[0.000001, 1\]/, { lr: 3e-4 }],
  ])('%s: names %s and uses its default', (search, param, message, expected) => {
    const { setup, notices } = decodeSetup(search);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.param).toBe(param);
    expect(notices[0]!.message).toMatch(message);
    const algo = (expected as Partial<RunConfig>).algo ?? 'grpo';
    expect(setup.config).toEqual({ ...applyPreset(DEFAULT_RUN_CONFIG, algo), ...expected });
    expect(setup.compare).toEqual(DEFAULT_SETUP.compare);
  });

  it.each([
    ['?compare=grpo', /^compare: must list at least two presets \(got "grpo"\); using grpo,tic-grpo$/],
    ['?compare=grpo,nope', /^compare: lists "nope", which is not a preset/],
    ['?compare=grpo,grpo', /^compare: must not list a preset twice/],
    ['?compare=', /^compare: /],
  ])('%s: names compare and uses the default pair', (search, message) => {
    const { setup, notices } = decodeSetup(search);
    expect(notices.map((n) => n.param)).toEqual(['compare']);
    expect(notices[0]!.message).toMatch(message);
    expect(setup).toEqual(DEFAULT_SETUP);
  });

  it('names an unknown parameter and ignores it', () => {
    const { setup, notices } = decodeSetup('?v=1&zz=1&K=4');
    expect(notices).toEqual([{ param: 'zz', message: 'zz: unknown parameter; ignored' }]);
    expect(setup.config).toEqual({ ...DEFAULT_RUN_CONFIG, K: 4 });
  });

  it('names an unknown version and still reads what it knows', () => {
    const { setup, notices } = decodeSetup('?v=2&K=4&algo=gspo');
    expect(notices.map((n) => n.param)).toEqual(['v']);
    expect(notices[0]!.message).toMatch(/link version 1, not "2"/);
    expect(setup.config).toEqual({ ...applyPreset(DEFAULT_RUN_CONFIG, 'gspo'), K: 4 });
  });

  it('reports every bad parameter of one URL, keeping the good ones', () => {
    const { setup, notices } = decodeSetup('?v=9&K=999&algo=nope&G=4&compare=x&epsLow=abc&zz=&seed=42');
    expect(notices.map((n) => n.param).sort()).toEqual(['K', 'algo', 'compare', 'epsLow', 'v', 'zz']);
    expect(setup).toEqual({ config: { ...DEFAULT_RUN_CONFIG, G: 4, seed: 42 }, compare: DEFAULT_SETUP.compare });
  });

  it('never throws, and always yields a valid setup, whatever the query', () => {
    const rng = uniformRng(testSeed('url garbage'));
    const junk = ['', '-1', 'NaN', 'Infinity', '1e400', '0x10', ' 8 ', '%', '&', '=', 'grpo,', ',,', '💥', 'constructor', '__proto__', 'toString'];
    const keys = [...RUN_FIELD_NAMES, 'v', 'compare', '__proto__', 'constructor', ''];
    for (let i = 0; i < 300; i++) {
      const parts = Array.from({ length: 1 + Math.floor(rng() * 6) }, () => {
        const key = keys[Math.floor(rng() * keys.length)]!;
        const value = junk[Math.floor(rng() * junk.length)]!;
        return `${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
      });
      const search = `?${parts.join('&')}`;
      const { setup } = decodeSetup(search);
      expect(() => makeRunConfig(setup.config as Partial<RunConfig>), search).not.toThrow();
      expect(setup.compare.length, search).toBeGreaterThanOrEqual(2);
    }
  });
});
