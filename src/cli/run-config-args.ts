import { applyPreset, makeRunConfig } from '../experiment/config';
import type { RunConfig } from '../config/fields';
import { RUN_FIELD_NAMES, RUN_FIELDS, type RunField } from '../config/fields';
import type { PresetName } from '../loss/presets';
import type { Args } from './args';

type Overrides = Partial<Record<RunField, unknown>>;

function parseField(name: RunField, raw: string): unknown {
  return RUN_FIELDS[name].kind.type === 'enum' ? raw : Number(raw);
}

/** The config for `algo` with the preset's loss fields, then `overrides` on top (explicit fields win over the preset). */
function configFor(algo: string, overrides: Overrides): RunConfig {
  const base = applyPreset(makeRunConfig({ algo }), algo as PresetName);
  return makeRunConfig({ ...base, ...overrides, algo });
}

/** Fields a command would read and then not use, each with what to do instead: refused, not silently dropped. */
export type IgnoredFields = Partial<Record<RunField, string>>;

function refuseIgnored(args: Args, ignored: IgnoredFields, flag: (name: RunField) => string = (name) => name): void {
  const given = (Object.keys(ignored) as RunField[]).filter((name) => args.has(flag(name)));
  if (given.length > 0) throw new Error(given.map((name) => `--${flag(name)} is not used by ${args.command}: ${ignored[name]}`).join('; '));
}

/** A RunConfig from `--preset NAME` and `--<field> value` flags (any field of src/config/fields.ts but the `ignored` ones). */
export function runConfigFromArgs(args: Args, ignored: IgnoredFields = {}): RunConfig {
  refuseIgnored(args, ignored);
  const overrides: Overrides = {};
  for (const name of RUN_FIELD_NAMES) {
    const raw = args.string(name, '');
    if (raw !== '') overrides[name] = parseField(name, raw);
  }
  return configFor(args.string('preset', String(overrides.algo ?? RUN_FIELDS.algo.default)), overrides);
}

/**
 * The grid of configs a sweep runs: every field may be given a comma-separated list
 * (`--K 1,4,8,16 --presets grpo,tic-grpo --seed 1,2,3`), and the grid is their product.
 */
export function runGridFromArgs(args: Args, ignored: IgnoredFields = {}): RunConfig[] {
  refuseIgnored(args, ignored, (name) => (name === 'algo' ? 'presets' : name));
  const axes: [RunField, unknown[]][] = [];
  for (const name of RUN_FIELD_NAMES) {
    const values = args.list(name === 'algo' ? 'presets' : name, '');
    if (values.length > 0) axes.push([name, values.map((v) => parseField(name, v))]);
  }
  let grid: Overrides[] = [{}];
  for (const [name, values] of axes) grid = grid.flatMap((point) => values.map((value) => ({ ...point, [name]: value })));
  return grid.map((point) => configFor(String(point.algo ?? RUN_FIELDS.algo.default), point));
}
