import { describe, expect, it } from 'vitest';
import { type FieldKind, RUN_FIELDS, type RunConfig } from '../../src/config/fields';
import { ARM_FIELDS, type Arm, type ArmOverrides, armProblem } from '../../src/experiment/arms';
import { applyPreset, DEFAULT_RUN_CONFIG, makeRunConfig } from '../../src/experiment/config';
import { BASE_FIELDS, DEFAULT_SETUP, defaultArms, type PageSetup, seedsSchema } from '../../src/experiment/setup';
import { decodeSetup, encodeSetup } from '../../src/experiment/url';
import { V1_DEFAULTS } from '../../src/experiment/url-v1';
import { PRESET_NAMES } from '../../src/loss/presets';
import { testSeed, uniformRng } from '../helpers/random';

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const divisors = (n: number) => Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);

/** A value anywhere in a field's range. */
function randomValue(rng: Rng, kind: FieldKind): number | string {
  if (kind.type === 'enum') return pick(rng, kind.options);
  if (kind.type === 'int') return kind.min + Math.floor(rng() * (kind.max - kind.min + 1));
  if (kind.log) return kind.min * (kind.max / kind.min) ** rng();
  return kind.min + rng() * (kind.max - kind.min);
}

/** An arm with up to three overrides (M always fitting its N), able to train over `base`. */
function randomArm(rng: Rng, base: RunConfig): Arm {
  const overrides: Record<string, unknown> = {};
  for (let k = Math.floor(rng() * 4); k > 0; k--) {
    const name = pick(rng, ARM_FIELDS);
    if (name !== 'M') overrides[name] = randomValue(rng, RUN_FIELDS[name].kind);
  }
  const arm: Arm = { algo: pick(rng, PRESET_NAMES), overrides: overrides as ArmOverrides };
  const { B, G, M } = { ...base, ...arm.overrides };
  if (rng() < 0.3 || (B * G) % M !== 0) arm.overrides.M = pick(rng, divisors(B * G));
  return arm;
}

/** A random valid setup: each base field at its default a third of the time (so omission is exercised), else anywhere in range. */
function randomSetup(rng: Rng): PageSetup {
  const fields: Record<string, unknown> = {};
  for (const name of BASE_FIELDS) fields[name] = rng() < 1 / 3 ? DEFAULT_RUN_CONFIG[name] : randomValue(rng, RUN_FIELDS[name].kind);
  fields.M = pick(rng, divisors((fields.B as number) * (fields.G as number)));
  const config = makeRunConfig(fields);
  const arms = rng() < 0.2 ? defaultArms() : Array.from({ length: 1 + Math.floor(rng() * 4) }, () => randomArm(rng, config));
  return { config, arms, seeds: rng() < 0.3 ? DEFAULT_SETUP.seeds : 1 + Math.floor(rng() * 16) };
}

function decodeOk(search: string) {
  const { setup, notices } = decodeSetup(search);
  expect(notices).toEqual([]);
  return setup;
}

/** Whether a setup could run: a valid base, at least one arm, each able to train over it, and seeds in range. */
function runnable({ config, arms, seeds }: PageSetup): boolean {
  makeRunConfig(config as Partial<RunConfig>);
  return arms.length > 0 && arms.every((arm) => armProblem(config, arm) === null) && seedsSchema.safeParse(seeds).success;
}

describe('the URL codec', () => {
  it('encodes the default setup as the empty string, and reads the empty string back as it', () => {
    expect(encodeSetup(DEFAULT_SETUP)).toBe('');
    expect(decodeOk('')).toEqual(DEFAULT_SETUP);
    expect(decodeOk('?')).toEqual(DEFAULT_SETUP);
    expect(DEFAULT_SETUP.seeds).toBe(3);
  });

  it('writes the non-default base fields, each arm as preset and overrides, and the seeds, readable, after the version', () => {
    const setup: PageSetup = {
      config: { ...DEFAULT_RUN_CONFIG, task: 'sort' },
      arms: [
        { algo: 'grpo', overrides: {} },
        { algo: 'tic-grpo', overrides: { clipMode: 'zero-grad' } },
        { algo: 'grpo', overrides: { K: 1 } },
      ],
      seeds: 3,
    };
    const search = encodeSetup(setup);
    expect(search).toBe('?v=2&task=sort&arm=grpo&arm=tic-grpo,clipMode=zero-grad&arm=grpo,K=1');
    expect(decodeOk(search)).toEqual(setup);
    const more = { ...setup, arms: [{ algo: 'gspo' as const, overrides: { lr: 0.002, epsHigh: 0.0005, M: 8 } }], seeds: 5 };
    expect(encodeSetup(more)).toBe('?v=2&task=sort&arm=gspo,epsHigh=0.0005,M=8,lr=0.002&seeds=5');
    expect(decodeOk(encodeSetup(more))).toEqual(more);
    // The default arms are left out; other arms list every arm.
    expect(encodeSetup({ ...DEFAULT_SETUP, seeds: 1 })).toBe('?v=2&seeds=1');
    expect(encodeSetup({ ...DEFAULT_SETUP, arms: [{ algo: 'tic-grpo', overrides: {} }] })).toBe('?v=2&arm=tic-grpo');
  });

  it('round-trips random valid setups exactly', () => {
    const rng = uniformRng(testSeed('url round trip'));
    for (let i = 0; i < 300; i++) {
      const setup = randomSetup(rng);
      const search = encodeSetup(setup);
      expect(search === '' || search.startsWith('?v=2'), search).toBe(true);
      expect(decodeOk(search), search).toEqual(setup);
      expect(encodeSetup(decodeOk(search))).toBe(search);
    }
  });

  it.each([
    ['?K=-3', 'K', new RegExp(`^K: must be an integer in \\[1, 64\\] \\(got "-3"\\); using ${DEFAULT_RUN_CONFIG.K}$`), {}],
    ['?K=abc', 'K', new RegExp(`^K: must be an integer .*\\(got "abc"\\); using ${DEFAULT_RUN_CONFIG.K}$`), {}],
    ['?K=2.5', 'K', /^K: must be an integer/, {}],
    ['?K=', 'K', new RegExp(`^K: .*\\(got ""\\); using ${DEFAULT_RUN_CONFIG.K}$`), {}],
    ['?task=chess', 'task', /^task: must be one of add, /, {}],
    ['?M=7', 'M', /^M: must divide N = B·G = 64 \(got "7"\); using 16$/, { M: 16 }],
    ['?B=3&G=5', 'M', /^M: must divide N = B·G = 15; using 15$/, { B: 3, G: 5, M: 15 }],
    ['?lr=1e-9', 'lr', /^lr: must be a number in \[0.000001, 1\]/, {}],
  ])('%s: names %s and uses its default', (search, param, message, expected) => {
    const { setup, notices } = decodeSetup(search);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.param).toBe(param);
    expect(notices[0]!.message).toMatch(message);
    expect(setup).toEqual({ ...DEFAULT_SETUP, config: { ...DEFAULT_RUN_CONFIG, ...expected } });
  });

  it('names bad seeds and uses the default', () => {
    const { setup, notices } = decodeSetup('?v=2&seeds=0');
    expect(notices).toEqual([{ param: 'seeds', message: 'seeds: must be an integer in [1, 16] (got "0"); using 3' }]);
    expect(setup).toEqual(DEFAULT_SETUP);
  });

  it.each([
    [
      '?v=2&arm=grpo&arm=tic-grpo,clipMode=zero,K=2',
      ['arm 2 (tic-grpo): clipMode: must be one of truncate, zero-grad (got "zero"); using truncate'],
      [
        { algo: 'grpo', overrides: {} },
        { algo: 'tic-grpo', overrides: { K: 2 } },
      ],
    ],
    ['?v=2&arm=tic-grpo,epsHigh=-1', ['arm 1 (tic-grpo): epsHigh: must be a number in [0, 10] (got "-1"); using 0.28'], [{ algo: 'tic-grpo', overrides: {} }]],
    ['?v=2&arm=ppo&arm=gspo', [/^arm 1: "ppo" is not a preset \(choose from grpo, tic-grpo, .*\); arm dropped$/], [{ algo: 'gspo', overrides: {} }]],
    ['?v=2&arm=ppo', [/^arm 1: "ppo" is not a preset/, 'arm: no arm could be used; using the default arms grpo and tic-grpo'], defaultArms()],
    ['?v=2&arm=', [/^arm 1: "" is not a preset/, /^arm: no arm could be used/], defaultArms()],
    [
      '?v=2&arm=grpo,K,seed=3,algo=dapo,zz=1',
      [
        'arm 1 (grpo): "K" is not field=value; ignored',
        'arm 1 (grpo): seed: every arm runs the same seeds, set outside the arms; ignored',
        'arm 1 (grpo): algo: the preset is the first entry of an arm; ignored',
        'arm 1 (grpo): zz: not a field; ignored',
      ],
      [{ algo: 'grpo', overrides: {} }],
    ],
    ['?v=2&arm=grpo,K=1,K=2', ['arm 1 (grpo): K is given twice; using the last'], [{ algo: 'grpo', overrides: { K: 2 } }]],
    // Each override is in range, but together with the base's B = 8 they make N = 24, which M = 16 does not divide.
    ['?v=2&arm=grpo,G=3', ['arm 1 (grpo): M: must divide N = B·G = 24 (got 16); using M=12'], [{ algo: 'grpo', overrides: { G: 3, M: 12 } }]],
  ])('%s: names the arm and the field, drops what is bad and keeps the rest', (search, messages, arms) => {
    const { setup, notices } = decodeSetup(search);
    expect(notices.map((n) => n.param)).toEqual(messages.map(() => 'arm'));
    notices.forEach((notice, i) => expect(notice.message).toMatch(messages[i]!));
    expect(setup).toEqual({ ...DEFAULT_SETUP, arms });
  });

  it('names a field an arm sets given as a base parameter, and ignores it', () => {
    const { setup, notices } = decodeSetup('?v=2&algo=tic-grpo&epsHigh=0.3&K=4');
    expect(notices).toEqual([
      { param: 'algo', message: 'algo: each arm names its preset (arm=tic-grpo); ignored' },
      { param: 'epsHigh', message: 'epsHigh: set per arm (arm=grpo,epsHigh=…); ignored' },
    ]);
    expect(setup).toEqual({ ...DEFAULT_SETUP, config: { ...DEFAULT_RUN_CONFIG, K: 4 } });
  });

  it('names an unknown parameter and ignores it', () => {
    const { setup, notices } = decodeSetup('?v=2&zz=1&K=4');
    expect(notices).toEqual([{ param: 'zz', message: 'zz: unknown parameter; ignored' }]);
    expect(setup.config).toEqual({ ...DEFAULT_RUN_CONFIG, K: 4 });
  });

  it('names an unknown version and reads the parameters of the current one', () => {
    const { setup, notices } = decodeSetup('?v=3&K=4&arm=gspo');
    expect(notices.map((n) => n.param)).toEqual(['v']);
    expect(notices[0]!.message).toMatch(/link versions 1 and 2, not "3"/);
    expect(setup).toEqual({ ...DEFAULT_SETUP, config: { ...DEFAULT_RUN_CONFIG, K: 4 }, arms: [{ algo: 'gspo', overrides: {} }] });
  });

  it('reports every bad parameter of one URL, keeping the good ones', () => {
    const { setup, notices } = decodeSetup('?v=9&K=999&algo=nope&G=4&arm=x&arm=dapo,K=0&epsLow=abc&zz=&seed=42&seeds=many');
    expect(notices.map((n) => n.param).sort()).toEqual(['K', 'algo', 'arm', 'arm', 'epsLow', 'seeds', 'v', 'zz']);
    expect(setup).toEqual({ config: { ...DEFAULT_RUN_CONFIG, G: 4, seed: 42 }, arms: [{ algo: 'dapo', overrides: {} }], seeds: 3 });
  });

  it('never throws, and always yields a setup that can run, whatever the query', () => {
    const rng = uniformRng(testSeed('url garbage'));
    const junk = ['', '-1', 'NaN', 'Infinity', '1e400', '0x10', ' 8 ', '%', '&', '=', 'grpo,', ',,', '💥', 'constructor', '__proto__', 'toString'];
    const arms = ['grpo', 'tic-grpo,K=0', 'gspo,M=7', 'grpo,G=3,B=5', 'dapo,lr=', 'no-is,,', 'grpo,__proto__=1', 'x,K=1', 'grpo,M=64,B=1'];
    const keys = [...BASE_FIELDS, 'v', 'arm', 'arm', 'seeds', 'compare', 'algo', 'epsHigh', '__proto__', 'constructor', ''];
    for (let i = 0; i < 300; i++) {
      const parts = Array.from({ length: 1 + Math.floor(rng() * 6) }, () => {
        const key = pick(rng, keys);
        const value = key === 'arm' && rng() < 0.7 ? pick(rng, arms) : key === 'v' && rng() < 0.5 ? pick(rng, ['1', '2']) : pick(rng, junk);
        return `${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
      });
      const search = `?${parts.join('&')}`;
      const { setup } = decodeSetup(search);
      expect(runnable(setup), search).toBe(true);
    }
  });
});

describe('version-1 links', () => {
  it('open migrated: the compared presets become arms without overrides, the base and the seeds carry over', () => {
    const { setup, notices } = decodeSetup('?v=1&K=12&G=4&seeds=3&compare=grpo,tic-grpo,dapo');
    expect(notices).toEqual([]);
    expect(setup).toEqual({
      config: { ...V1_DEFAULTS, K: 12, G: 4 },
      arms: [
        { algo: 'grpo', overrides: {} },
        { algo: 'tic-grpo', overrides: {} },
        { algo: 'dapo', overrides: {} },
      ],
      seeds: 3,
    });
    // Rewritten as version 2, the fields whose default has changed since are spelled out: the link means what it did.
    expect(encodeSetup(setup)).toBe('?v=2&K=12&G=4&lr=0.0003&temperature=1&task=add&reward=sparse&iterations=200&arm=grpo&arm=tic-grpo&arm=dapo');
    expect(decodeOk(encodeSetup(setup))).toEqual(setup);
  });

  it('are read against the defaults of their day, not today’s', () => {
    expect(V1_DEFAULTS).toMatchObject({ task: 'add', reward: 'sparse', temperature: 1, K: 8, lr: 3e-4, iterations: 200, G: 8, B: 8, M: 16, evalEvery: 5 });
    expect(decodeOk('?v=1&compare=grpo,tic-grpo').config).toEqual(V1_DEFAULTS);
  });

  it('ignore the algorithm and loss fields, which never affected a comparison, with one notice', () => {
    const { setup, notices } = decodeSetup('?v=1&algo=tic-grpo&epsHigh=0.3&kl=k1&K=8&compare=grpo,gspo');
    expect(notices).toEqual([
      {
        param: 'algo,epsHigh,kl',
        message:
          'algo,epsHigh,kl: a version-1 link’s algorithm and loss fields never changed a comparison (each compared preset set its own); ignored. Set them per arm.',
      },
    ]);
    expect(setup.config).toEqual(V1_DEFAULTS);
    expect(setup.arms.map((arm) => arm.algo)).toEqual(['grpo', 'gspo']);
  });

  it('mean one seed and GRPO against TIC-GRPO where they did not say otherwise', () => {
    expect(decodeOk('?v=1&K=4')).toEqual({ config: { ...V1_DEFAULTS, K: 4 }, arms: defaultArms(), seeds: 1 });
    // A link without a version but with a compare list was written for version 1.
    expect(decodeOk('?compare=gspo,dapo').arms.map((arm) => arm.algo)).toEqual(['gspo', 'dapo']);
  });

  it('name what they got wrong as before, keeping what they got right', () => {
    const { setup, notices } = decodeSetup('?v=1&K=999&compare=grpo,nope&seeds=0&zz=1');
    expect(notices.map((n) => n.message)).toEqual([
      'zz: unknown parameter; ignored',
      'K: must be an integer in [1, 64] (got "999"); using 8',
      'compare: lists "nope", not a preset (choose from grpo, tic-grpo, no-is, gspo, dr-grpo, dapo) (got "grpo,nope"); dropped',
      'seeds: must be an integer in [1, 16] (got "0"); using 1',
    ]);
    expect(setup).toEqual({ config: V1_DEFAULTS, arms: [{ algo: 'grpo', overrides: {} }], seeds: 1 });
    expect(decodeSetup('?v=1&compare=').setup.arms).toEqual(defaultArms());
  });

  it('never throw, and always yield a setup that can run', () => {
    for (const search of ['?v=1&compare=,,', '?v=1&M=7&B=3', '?v=1&seeds=1e400&algo=ppo', '?v=1&compare=__proto__']) {
      expect(runnable(decodeSetup(search).setup), search).toBe(true);
    }
    expect(applyPreset(DEFAULT_RUN_CONFIG, 'grpo')).toEqual(DEFAULT_RUN_CONFIG);
  });
});
