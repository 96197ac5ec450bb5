import type { ExperimentSummary, SavedExperiment } from './saved-experiment';

/** Where saved experiments live: IndexedDB in the page; memory where IndexedDB is refused, and in tests. */
export interface ExperimentArchive {
  /** Why what is saved here will not outlive the page; null when it will. */
  readonly volatile: string | null;
  /** Every saved experiment's summary, newest first. */
  list(): Promise<ExperimentSummary[]>;
  load(id: string): Promise<SavedExperiment | null>;
  /** Adds or replaces the experiment with its id. */
  save(experiment: SavedExperiment): Promise<void>;
  remove(id: string): Promise<void>;
}

/** Newest first: the order of the list of saved runs. */
export function newestFirst(summaries: ExperimentSummary[]): ExperimentSummary[] {
  return summaries.sort((a, b) => b.createdAt - a.createdAt);
}

/** What to tell the user when storage fails: a full quota says what to do about it. */
export function storageProblem(what: string, error: unknown): string {
  if (error instanceof DOMException && error.name === 'QuotaExceededError') {
    return `${what} failed: the browser's storage for this page is full. Export and delete some saved runs; the runs on the page are kept meanwhile.`;
  }
  return `${what} failed: ${error instanceof Error ? error.message : String(error)}. The runs on the page are kept.`;
}
