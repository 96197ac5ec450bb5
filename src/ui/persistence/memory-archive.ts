import { type ExperimentArchive, newestFirst } from './archive';
import { type ExperimentSummary, type SavedExperiment, summarize } from './saved-experiment';

/** Saved experiments in memory, copied in and out as IndexedDB does: for tests, and where IndexedDB is refused. */
export class MemoryArchive implements ExperimentArchive {
  private readonly experiments = new Map<string, SavedExperiment>();

  constructor(readonly volatile: string) {}

  async list(): Promise<ExperimentSummary[]> {
    return newestFirst([...this.experiments.values()].map(summarize));
  }

  async load(id: string): Promise<SavedExperiment | null> {
    const experiment = this.experiments.get(id);
    return experiment ? structuredClone(experiment) : null;
  }

  async save(experiment: SavedExperiment): Promise<void> {
    this.experiments.set(experiment.id, structuredClone(experiment));
  }

  async remove(id: string): Promise<void> {
    this.experiments.delete(id);
  }
}
