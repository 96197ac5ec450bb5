// The experiment's metrics as CSV: one row per run × iteration, with the run's arm (its label), seed and
// every other field of its configuration (as `sweep.csv` from the CLI has them), then every metric.
import { RUN_FIELD_NAMES } from '../../config/fields';
import { runSpecs } from '../../experiment/setup';
import { configColumnName, METRIC_COLUMNS } from '../../experiment/metric-columns';
import type { ShownExperiment } from '../training/store';

/** Config fields after arm and seed: each run has one seed of its own. */
const CONFIG_COLUMNS = RUN_FIELD_NAMES.filter((name) => name !== 'seed');

/**
 * A CSV cell: every value is a number, null (accuracy where not measured: empty), an enum key or an arm's
 * label (a preset's name and overrides such as K=1), none of which needs quoting.
 */
function cell(value: string | number | null): string {
  return value === null ? '' : String(value);
}

export function metricsCsv({ setup, runs }: ShownExperiment): string {
  const configs = new Map(runSpecs(setup).map((spec) => [`${spec.arm}:${spec.seed}`, spec.config]));
  const lines = [['arm', 'seed', ...CONFIG_COLUMNS.map(configColumnName), ...METRIC_COLUMNS].join(',')];
  for (const run of runs) {
    const config = configs.get(`${run.arm}:${run.seed}`);
    if (!config) throw new Error(`run ${run.id} (${run.arm}, seed ${run.seed}) is not one of the setup's runs`);
    const fixed = [run.arm, run.seed, ...CONFIG_COLUMNS.map((name) => config[name])];
    for (const point of run.metrics) lines.push([...fixed, ...METRIC_COLUMNS.map((name) => point[name])].map(cell).join(','));
  }
  return `${lines.join('\n')}\n`;
}
