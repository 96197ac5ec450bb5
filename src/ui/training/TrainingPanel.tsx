import { lazy, Suspense } from 'react';
import { SampleViewer } from '../samples/SampleViewer';
import { TrainingControls } from './TrainingControls';
import { TrainingNotices } from './TrainingNotices';
import { TrainingProgress } from './TrainingProgress';
import { useTraining } from './use-training';

// recharts is most of the page's code: it loads with the first run, not with the page.
const ChartGrid = lazy(() => import('../charts/ChartGrid').then((m) => ({ default: m.ChartGrid })));

/** The training half of the page: commands, progress, curves and samples. All the work happens in the worker. */
export function TrainingPanel() {
  const adapter = useTraining((s) => s.adapter);
  const hasRuns = useTraining((s) => s.runs.length > 0);
  return (
    <section className="training" aria-labelledby="training-title">
      <div className="training__bar">
        <h2 id="training-title">Training</h2>
        <TrainingControls />
      </div>
      {adapter && (
        <p className="training__device">Training in a worker on {adapter.description || adapter.architecture || adapter.vendor || 'the WebGPU adapter'}.</p>
      )}
      <TrainingNotices />
      <TrainingProgress />
      {hasRuns && (
        <Suspense fallback={<p className="charts__loading">Loading the charts…</p>}>
          <ChartGrid />
        </Suspense>
      )}
      <SampleViewer />
    </section>
  );
}
