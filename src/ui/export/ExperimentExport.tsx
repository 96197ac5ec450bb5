import { summaryChoiceStore } from '../summary/summary-choice';
import { useTraining } from '../training/use-training';
import { download, exportName } from './download';
import { writeExperimentFile } from './experiment-file';
import { metricsCsv } from './metrics-csv';

/** Downloads the experiment on the page: its metrics as CSV, or everything (setup, runs, metrics, samples, the summary as chosen) as JSON. */
export function ExperimentExport() {
  const experiment = useTraining((s) => s.experiment);
  const runs = useTraining((s) => s.runs);
  const notices = useTraining((s) => s.notices);
  const failure = useTraining((s) => s.failure);
  if (!experiment) return null;
  const shown = { ...experiment, runs, notices, failure };
  return (
    <fieldset className="export" aria-label="Export the experiment">
      <button
        type="button"
        className="button button--quiet"
        title="One row per run and iteration: arm, seed, the run's configuration and every metric."
        onClick={() => download(new Blob([metricsCsv(shown)], { type: 'text/csv' }), exportName(experiment, 'metrics', 'csv'))}
      >
        Export CSV
      </button>
      <button
        type="button"
        className="button button--quiet"
        title="Setup, runs, every metric, the latest samples and the summary; Import JSON in Saved runs reads it back."
        onClick={() =>
          download(
            new Blob([writeExperimentFile(shown, new Date(), summaryChoiceStore.getState())], { type: 'application/json' }),
            exportName(experiment, '', 'json'),
          )
        }
      >
        Export JSON
      </button>
    </fieldset>
  );
}
