import { useMemo, useState } from 'react';
import { PRESETS } from '../../loss/presets';
import { ExperimentExport } from '../export/ExperimentExport';
import { byArm } from '../training/progress';
import { useTraining } from '../training/use-training';
import { ARM_COLORS } from './arm-colors';
import { METRICS } from './metric-table';
import { MetricChart } from './MetricChart';
import { X_AXES, type XAxisKind } from './series';

const AXES = Object.keys(X_AXES) as XAxisKind[];

/** Every metric of the table as a small chart, one series per arm, over a chosen x axis. */
export function ChartGrid() {
  const runs = useTraining((s) => s.runs);
  const [axis, setAxis] = useState<XAxisKind>('iteration');
  // A new runs array arrives with every batch of metrics: that is when the charts redraw.
  const arms = useMemo(() => byArm(runs), [runs]);
  const seeds = Math.max(...arms.map((a) => a.runs.length));

  return (
    <section className="charts" aria-label="Training curves">
      <div className="charts__bar">
        <ul className="legend" aria-label="Legend">
          {arms.map(({ arm }) => (
            <li key={arm}>
              <span className="legend__swatch" style={{ background: ARM_COLORS[arm] }} aria-hidden="true" />
              {PRESETS[arm].label}
            </li>
          ))}
        </ul>
        <p className="charts__note">
          {seeds > 1 ? `Line: mean over ${seeds} seeds; band: their min–max.` : 'One seed per arm.'} Long series are shown in buckets (mean, band min–max).
        </p>
        <ExperimentExport />
        <label className="charts__axis">
          x axis{' '}
          <select value={axis} onChange={(e) => setAxis(e.target.value as XAxisKind)}>
            {AXES.map((a) => (
              <option key={a} value={a}>
                {X_AXES[a].label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="charts__grid">
        {METRICS.map((spec) => (
          <MetricChart key={spec.id} spec={spec} arms={arms} axis={axis} />
        ))}
      </div>
    </section>
  );
}
