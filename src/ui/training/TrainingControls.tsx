import { usePage } from '../use-page';
import { useTraining } from './use-training';

/** Start, Pause / Resume, Step and Reset: every command the worker takes. */
export function TrainingControls() {
  const setup = usePage((s) => s.setup);
  const mode = useTraining((s) => s.mode);
  const hasRuns = useTraining((s) => s.runs.length > 0);
  const start = useTraining((s) => s.start);
  const pause = useTraining((s) => s.pause);
  const resume = useTraining((s) => s.resume);
  const step = useTraining((s) => s.step);
  const reset = useTraining((s) => s.reset);
  const runs = setup.arms.length * setup.seeds;
  return (
    <fieldset className="training__controls" aria-label="Training controls">
      <button type="button" className="button" onClick={() => start(setup)} title={`Trains ${runs} runs: every arm × every seed, from the setup above.`}>
        Start
      </button>
      <button type="button" className="button button--quiet" disabled={mode === 'idle'} onClick={mode === 'running' ? pause : resume}>
        {mode === 'paused' ? 'Resume' : 'Pause'}
      </button>
      <button
        type="button"
        className="button button--quiet"
        disabled={mode === 'idle'}
        onClick={step}
        title="One iteration of every unfinished run, then paused."
      >
        Step
      </button>
      <button type="button" className="button button--quiet" disabled={!hasRuns} onClick={reset} title="Stops training and clears the curves.">
        Reset
      </button>
    </fieldset>
  );
}
