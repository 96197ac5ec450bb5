import { type RefObject, useState } from 'react';
import { PRESETS } from '../../loss/presets';
import { ARM_COLORS } from '../charts/arm-colors';
import type { ArmRuns } from '../charts/MetricChart';
import { X_AXES, type XAxisKind } from '../charts/series';
import { useTraining } from '../training/use-training';
import { chartSvg, svgToPng } from './chart-image';
import type { ChartFigure } from './chart-svg';
import { download, exportName } from './download';

interface ChartExportProps {
  figure: RefObject<HTMLElement | null>;
  id: string;
  title: string;
  arms: readonly ArmRuns[];
  axis: XAxisKind;
  /** Whether the chart has anything drawn. */
  drawn: boolean;
}

/** SVG and PNG downloads of one chart, with its title and legend drawn in. */
export function ChartExport({ figure, id, title, arms, axis, drawn }: ChartExportProps) {
  const experiment = useTraining((s) => s.experiment);
  const [error, setError] = useState<string | null>(null);
  if (!experiment) return null;

  const seeds = Math.max(...arms.map((a) => a.runs.length));
  const about: ChartFigure = {
    title,
    xLabel: X_AXES[axis].label + (X_AXES[axis].unit ? ` (${X_AXES[axis].unit})` : ''),
    legend: arms.map(({ arm }) => ({ label: PRESETS[arm].label, color: ARM_COLORS[arm] })),
    note: `${experiment.setup.config.task}, ${experiment.setup.config.model} model; ${seeds > 1 ? `line: mean over ${seeds} seeds, band: min–max` : 'one seed per arm'}`,
  };
  async function save(kind: 'svg' | 'png') {
    try {
      const image = chartSvg(figure.current!, about);
      const blob = kind === 'svg' ? new Blob([image.svg], { type: 'image/svg+xml' }) : await svgToPng(image);
      download(blob, exportName(experiment!, id, kind));
      setError(null);
    } catch (e) {
      setError(`Could not export the chart: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return (
    <span className="chart__export">
      {(['svg', 'png'] as const).map((kind) => (
        <button
          key={kind}
          type="button"
          className="chart__export-button"
          disabled={!drawn}
          onClick={() => void save(kind)}
          aria-label={`Download the ${title} chart as ${kind.toUpperCase()}`}
        >
          {kind.toUpperCase()}
        </button>
      ))}
      {error && <span role="alert">{error}</span>}
    </span>
  );
}
