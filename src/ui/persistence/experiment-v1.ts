// Experiments as version 1 of the page exported and stored them — a setup of one config and a compare
// list, runs keyed by their preset — migrated as a version-1 link is (src/experiment/setup-v1.ts): each
// compared preset an arm without overrides, each run keyed by its arm's label.
import { armLabels } from '../../experiment/arms';
import { migrateSetupV1, type SetupV1 } from '../../experiment/setup-v1';
import { type PresetName, PRESETS } from '../../loss/presets';
import type { RunRecord } from '../training/runs';
import type { ShownExperiment } from '../training/store';

export interface ExperimentV1 extends Omit<ShownExperiment, 'setup' | 'runs'> {
  setup: SetupV1;
  runs: (Omit<RunRecord, 'arm'> & { arm: PresetName })[];
}

/** Whether a stored experiment is of version 1: its setup has a compare list, not arms. */
export function isExperimentV1(experiment: object): experiment is ExperimentV1 {
  return 'setup' in experiment && typeof experiment.setup === 'object' && experiment.setup !== null && 'compare' in experiment.setup;
}

/** The experiment with arms; anything else it holds (a saved one's savedAt) is kept. */
export function migrateExperimentV1<E extends ExperimentV1>({
  setup: old,
  runs,
  ...rest
}: E): Omit<E, 'setup' | 'runs'> & Pick<ShownExperiment, 'setup' | 'runs'> {
  const setup = migrateSetupV1(old);
  const labels = armLabels(setup.arms, setup.config);
  // Version 1 never compared a preset twice, so its runs' presets name their arms.
  const label = (algo: PresetName) => labels[old.compare.indexOf(algo)] ?? PRESETS[algo].label;
  return { ...rest, setup, runs: runs.map((run) => ({ ...run, arm: label(run.arm) })) };
}
