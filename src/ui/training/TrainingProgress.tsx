import { useMemo } from 'react';
import { armColor } from '../charts/arm-colors';
import { armProgress, formatDuration, timeLeftMs } from './progress';
import type { RunRecord, RunRecordState } from './runs';
import { useTraining } from './use-training';

const STATE_WORDS: Record<RunRecordState, string> = {
  loading: 'loading',
  running: 'training',
  paused: 'paused',
  done: 'done',
  failed: 'stopped',
  interrupted: 'interrupted',
};

/** Per arm: iteration n of N, tokens/s, and the state of each seed; overall: the time left; and why any run stopped. */
export function TrainingProgress() {
  const runs = useTraining((s) => s.runs);
  const mode = useTraining((s) => s.mode);
  const arms = useMemo(() => armProgress(runs), [runs]);
  const left = useMemo(() => timeLeftMs(runs), [runs]);
  if (runs.length === 0) return null;

  return (
    <div className="progress" data-testid="progress">
      <table>
        <thead>
          <tr>
            <th scope="col">Arm</th>
            <th scope="col">Progress</th>
            <th scope="col">Tokens/s</th>
            <th scope="col">Per iteration</th>
            <th scope="col">Seeds</th>
          </tr>
        </thead>
        <tbody>
          {arms.map(({ arm, runs: group, done, total, tokensPerSecond, msPerIteration }, i) => (
            <tr key={arm} data-testid={`progress-${arm}`}>
              <th scope="row">
                <span className="legend__swatch" style={{ background: armColor(i) }} aria-hidden="true" />
                {arm}
              </th>
              <td>
                <progress max={total} value={done} aria-label={`${arm} progress`} /> iteration {done} of {total}
              </td>
              <td>{tokensPerSecond === null ? '–' : Math.round(tokensPerSecond).toLocaleString('en')}</td>
              <td data-testid={`pace-${arm}`}>{msPerIteration === null ? '–' : `${(msPerIteration / 1000).toFixed(2)} s`}</td>
              <td>{seedStates(group)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="progress__left" role="status">
        {mode === 'running'
          ? left === null
            ? 'Timing the first iteration…'
            : `About ${formatDuration(left)} left.`
          : mode === 'paused'
            ? 'Paused.'
            : runs.some((r) => r.state === 'interrupted')
              ? 'Interrupted: the page was closed before every run finished.'
              : 'Finished.'}
      </p>
      <RunErrors runs={runs} />
    </div>
  );
}

/** "seed 1 training, seed 2 stopped". */
function seedStates(runs: readonly RunRecord[]): string {
  return runs.map((r) => `seed ${r.seed} ${STATE_WORDS[r.state]}`).join(', ');
}

function RunErrors({ runs }: { runs: readonly RunRecord[] }) {
  const failed = runs.filter((r) => r.error !== null);
  if (failed.length === 0) return null;
  return (
    <ul className="progress__errors" role="alert">
      {failed.map((r) => (
        <li key={r.id}>
          {r.arm}, seed {r.seed}: {r.error}
        </li>
      ))}
    </ul>
  );
}
