import { useMemo, useState } from 'react';
import { ExperimentExport } from '../export/ExperimentExport';
import { SummaryTable } from '../summary/SummaryTable';
import { byArm } from '../training/progress';
import { armsByLabel, type LabelledArm } from '../training/setup-arms';
import { useTraining } from '../training/use-training';
import { armColor } from './arm-colors';
import { bandNote, smoothingNote } from './chart-note';
import { METRICS } from './metric-table';
import { MetricChart } from './MetricChart';
import { BANDS, type BandKind, type ChartView, SMOOTHING_WINDOWS, X_AXES, type XAxisKind } from './series';

const AXES = Object.keys(X_AXES) as XAxisKind[];
const BAND_KINDS = Object.keys(BANDS) as BandKind[];

/** Every metric of the table as a small chart, one series per arm, over a chosen x axis, band and moving average; the summary under them. */
export function ChartGrid() {
  const runs = useTraining((s) => s.runs);
  const experiment = useTraining((s) => s.experiment);
  const setupArms = useMemo(() => (experiment ? armsByLabel(experiment.setup) : new Map<string, LabelledArm>()), [experiment]);
  const [view, setView] = useState<ChartView>({ axis: 'iteration', band: 'ci95', smoothing: 0 });
  const change = (part: Partial<ChartView>) => setView((v) => ({ ...v, ...part }));
  // A new runs array arrives with every batch of metrics: that is when the charts redraw.
  const arms = useMemo(() => byArm(runs), [runs]);
  const seeds = Math.max(...arms.map((a) => a.runs.length));
  const smoothing = smoothingNote(view.smoothing);
  const note = `${bandNote(seeds, view.band)}${smoothing ? `; ${smoothing} (held-out accuracy as measured)` : ''}. Long series are shown in buckets.`;

  return (
    <>
      <section className="charts" aria-label="Training curves">
        <div className="charts__bar">
          <ul className="legend" aria-label="Legend">
            {arms.map(({ arm }, i) => (
              <li key={arm}>
                <span className="legend__swatch" style={{ background: armColor(i) }} aria-hidden="true" />
                {arm}
              </li>
            ))}
          </ul>
          <p className="charts__note" data-testid="charts-note">
            {note.charAt(0).toUpperCase() + note.slice(1)}
          </p>
          <ExperimentExport />
          <label className="charts__axis">
            x axis{' '}
            <select value={view.axis} onChange={(e) => change({ axis: e.target.value as XAxisKind })}>
              {AXES.map((a) => (
                <option key={a} value={a}>
                  {X_AXES[a].label}
                </option>
              ))}
            </select>
          </label>
          <label className="charts__axis">
            band{' '}
            <select value={view.band} onChange={(e) => change({ band: e.target.value as BandKind })}>
              {BAND_KINDS.map((b) => (
                <option key={b} value={b}>
                  {BANDS[b].label}
                </option>
              ))}
            </select>
          </label>
          <label className="charts__axis">
            moving average{' '}
            <select value={view.smoothing} onChange={(e) => change({ smoothing: Number(e.target.value) })}>
              {SMOOTHING_WINDOWS.map((w) => (
                <option key={w} value={w}>
                  {w === 0 ? 'off' : `${w} iterations`}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="charts__grid">
          {METRICS.map((spec) => (
            <MetricChart key={spec.id} spec={spec} arms={arms} setupArms={setupArms} view={view} />
          ))}
        </div>
      </section>
      <SummaryTable />
    </>
  );
}
