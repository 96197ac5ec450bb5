import { type ChangeEvent, useRef } from 'react';
import { useTraining } from '../training/use-training';
import { outcome } from './saved-experiment';
import { useSavedRuns } from './use-saved-runs';

const COLUMNS = ['Started', 'Arms', 'Task', 'Iterations', 'Outcome'];

/**
 * Past experiments, saved in the browser as they train: reopen one (curves, samples and setup), delete
 * one, or import an exported JSON file. Works without WebGPU: nothing here trains.
 */
export function SavedRunsPanel() {
  const summaries = useSavedRuns((s) => s.summaries);
  const volatile = useSavedRuns((s) => s.volatile);
  const problem = useSavedRuns((s) => s.problem);
  const importError = useSavedRuns((s) => s.importError);
  const open = useSavedRuns((s) => s.open);
  const remove = useSavedRuns((s) => s.remove);
  const importFile = useSavedRuns((s) => s.importFile);
  const shownId = useTraining((s) => s.experiment?.id);
  const busy = useTraining((s) => s.mode !== 'idle');
  const fileInput = useRef<HTMLInputElement>(null);

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = ''; // the same file may be chosen again
    if (file) importFile(await file.text(), file.name);
  }

  const whileBusy = 'Training is under way: pause and reset it first.';
  return (
    <section className="saved" aria-labelledby="saved-title" data-testid="saved-runs">
      <div className="saved__bar">
        <h2 id="saved-title">Saved runs</h2>
        <button
          type="button"
          className="button button--quiet"
          disabled={busy}
          title={busy ? whileBusy : 'Show an experiment exported as JSON by this page, and save it here.'}
          onClick={() => fileInput.current?.click()}
        >
          Import JSON…
        </button>
        <input ref={fileInput} type="file" accept=".json,application/json" hidden aria-label="Import an exported experiment" onChange={onFile} />
      </div>
      {volatile && (
        <p className="notices" role="status" data-testid="saved-volatile">
          Saved runs last only while this page is open: {volatile}.
        </p>
      )}
      {problem && (
        <p className="training__failure" role="alert" data-testid="saved-problem">
          {problem}
        </p>
      )}
      {importError && (
        <p className="training__failure" role="alert" data-testid="import-error">
          Nothing was imported from {importError}
        </p>
      )}
      {summaries === null ? (
        <p className="saved__empty">Reading the saved runs…</p>
      ) : summaries.length === 0 ? (
        <p className="saved__empty">None yet: every experiment you start is saved here as it trains.</p>
      ) : (
        <div className="saved__table">
          <table>
            <thead>
              <tr>
                {COLUMNS.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {summaries.map((s) => {
                const started = new Date(s.createdAt).toLocaleString();
                const shown = s.id === shownId;
                return (
                  <tr key={s.id} data-testid="saved-run" aria-current={shown ? 'true' : undefined}>
                    <td>
                      {started}
                      {shown && <span className="saved__shown"> (on the page)</span>}
                    </td>
                    <td>{s.arms.join(' vs ')}</td>
                    <td>
                      {s.task}, {s.model}
                    </td>
                    <td>
                      {s.completed} of {s.iterations} × {s.seeds} seed{s.seeds > 1 ? 's' : ''}
                    </td>
                    <td>{shown && busy ? 'training now' : outcome(s)}</td>
                    <td className="saved__actions">
                      <button
                        type="button"
                        className="button button--quiet"
                        disabled={busy}
                        onClick={() => void open(s.id)}
                        aria-label={`Open the runs started ${started}`}
                        title={busy ? whileBusy : 'Show these runs’ curves and samples, and set the controls to their setup.'}
                      >
                        Open
                      </button>
                      <button
                        type="button"
                        className="button button--quiet"
                        disabled={shown && busy}
                        onClick={() => void remove(s.id)}
                        aria-label={`Delete the runs started ${started}`}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
