import { type RefObject, useState } from 'react';
import { armColor } from '../charts/arm-colors';
import { bandNote, smoothingNote } from '../charts/chart-note';
import { type ChartView, X_AXES } from '../charts/series';
import type { ArmRuns } from '../training/progress';
import { useTraining } from '../training/use-training';
import { chartSvg, svgToPng } from './chart-image';
import type { ChartFigure } from './chart-svg';
import { download, exportName } from './download';

interface ChartExportProps {
  figure: RefObject<HTMLElement | null>;
  id: string;
  title: string;
  arms: readonly ArmRuns[];
  /** How the chart is drawn, its own moving average included (none for a metric measured only now and then). */
  view: ChartView;
  /** Which arms are not drawn, being flat by construction, and why; '' when every arm is drawn. */
  flat: string;
  /** Whether the chart has anything drawn. */
  drawn: boolean;
}

/** SVG and PNG downloads of one chart, with its title and legend drawn in. */
export function ChartExport({ figure, id, title, arms, view, flat, drawn }: ChartExportProps) {
  const experiment = useTraining((s) => s.experiment);
  const [error, setError] = useState<string | null>(null);
  if (!experiment) return null;

  const seeds = Math.max(...arms.map((a) => a.runs.length));
  const { label, unit } = X_AXES[view.axis];
  const about: ChartFigure = {
    title,
    xLabel: label + (unit ? ` (${unit})` : ''),
    legend: arms.map(({ arm }, i) => ({ label: arm, color: armColor(i) })),
    note: [`${experiment.setup.config.task}, ${experiment.setup.config.model} model`, bandNote(seeds, view.band), smoothingNote(view.smoothing), flat]
      .filter(Boolean)
      .join('; '),
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
