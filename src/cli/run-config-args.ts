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

/** A RunConfig from `--preset NAME` and `--<field> value` flags (any field of src/experiment/fields.ts). */
export function runConfigFromArgs(args: Args): RunConfig {
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
export function runGridFromArgs(args: Args): RunConfig[] {
  const axes: [RunField, unknown[]][] = [];
  for (const name of RUN_FIELD_NAMES) {
    const values = args.list(name === 'algo' ? 'presets' : name, '');
    if (values.length > 0) axes.push([name, values.map((v) => parseField(name, v))]);
  }
  let grid: Overrides[] = [{}];
  for (const [name, values] of axes) grid = grid.flatMap((point) => values.map((value) => ({ ...point, [name]: value })));
  return grid.map((point) => configFor(String(point.algo ?? RUN_FIELDS.algo.default), point));
}
