// Setups as version 1 held them — one config with its seeds, and the presets compared over it — and their
// migration, the one used by links (url-v1.ts) and by files and storage (src/ui/persistence/experiment-v1.ts).
// Each compared preset overwrote the config's algorithm and loss fields, so those never affected a
// comparison: the migration drops them, and each compared preset becomes an arm without overrides.
import type { RunConfig } from '../config/fields';
import type { PresetName } from '../loss/presets';
import { baseConfig, type PageSetup } from './setup';

export interface SetupV1 {
  config: RunConfig & { seeds: number };
  compare: PresetName[];
}

/** What version 1 compared where it said nothing: GRPO against TIC-GRPO. */
export const DEFAULT_COMPARE_V1: readonly PresetName[] = ['grpo', 'tic-grpo'];

export function migrateSetupV1({ config: { seeds, ...config }, compare }: SetupV1): PageSetup {
  return { config: baseConfig(config), arms: compare.map((algo) => ({ algo, overrides: {} })), seeds };
}
