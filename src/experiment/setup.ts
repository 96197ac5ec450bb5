// What the page is set to — one run's configuration and the presets compared with it — and the runs
// it asks for: the one place that maps a setup to its runs, for the engine, the export and the store.
import { z } from 'zod';
import type { RunConfig } from '../config/fields';
import { PRESET_NAMES, type PresetName } from '../loss/presets';
import { applyPreset, DEFAULT_RUN_CONFIG } from './config';
import type { RunSpec } from './worker-protocol';

/** What the page is set to: one run's configuration, and the presets run side by side with it. */
export interface PageSetup {
  config: RunConfig;
  /** At least two presets, no repeats, in the order the user listed them. */
  compare: PresetName[];
}

export const DEFAULT_COMPARE: readonly PresetName[] = ['grpo', 'tic-grpo'];

export const DEFAULT_SETUP: PageSetup = { config: DEFAULT_RUN_CONFIG, compare: [...DEFAULT_COMPARE] };

/** The presets run side by side: at least two, none twice. */
export const compareSchema = z
  .array(z.enum(PRESET_NAMES, { error: (issue) => `lists ${JSON.stringify(issue.input)}, which is not a preset: choose from ${PRESET_NAMES.join(', ')}` }))
  .min(2, { error: () => 'must list at least two presets' })
  .refine((names) => new Set(names).size === names.length, { error: () => 'must not list a preset twice' });

/**
 * Every run a setup asks for: each compared preset applied to the setup's config, with seeds seed,
 * seed+1, …. Seed-major order, so that the arms alternate and same-seed runs (same prompts) sit together.
 */
export function runSpecs({ config, compare }: PageSetup): RunSpec[] {
  const specs: RunSpec[] = [];
  for (let s = 0; s < config.seeds; s++) {
    const seed = config.seed + s;
    for (const arm of compare) specs.push({ id: `${arm}:${seed}`, arm, seed, config: { ...applyPreset(config, arm), seed, seeds: 1 } });
  }
  return specs;
}
