// Saved experiments in the browser's IndexedDB, with the raw API: one store of whole experiments and one
// of their summaries, so that listing them does not read every series.
import { type ExperimentArchive, newestFirst } from './archive';
import { isExperimentV1, migrateExperimentV1 } from './experiment-v1';
import { type ExperimentSummary, type SavedExperiment, summarize } from './saved-experiment';

const DB_NAME = 'grpo-lab';
/** 1: setups with a compare list; 2: setups with arms. */
const DB_VERSION = 2;
const EXPERIMENTS = 'experiments';
const SUMMARIES = 'summaries';

function requested<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Resolves when the transaction has committed: only then is what it wrote on disk. */
function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('the transaction was aborted'));
  });
}

function openDatabase(factory: IDBFactory): Promise<IDBDatabase> {
  const request = factory.open(DB_NAME, DB_VERSION);
  request.onupgradeneeded = (event) => {
    if (event.oldVersion < 1) {
      request.result.createObjectStore(EXPERIMENTS, { keyPath: 'id' });
      request.result.createObjectStore(SUMMARIES, { keyPath: 'id' });
    } else if (event.oldVersion < 2) {
      migrateToArms(request.transaction!);
    }
  };
  return requested(request).then((db) => {
    db.onversionchange = () => db.close(); // let a newer page in another tab upgrade the database
    return db;
  });
}

/** Rewrites every experiment saved with a compare list as one with arms (as a version-1 link migrates), and its summary. */
function migrateToArms(upgrade: IDBTransaction) {
  const summaries = upgrade.objectStore(SUMMARIES);
  const cursor = upgrade.objectStore(EXPERIMENTS).openCursor();
  cursor.onsuccess = () => {
    const at = cursor.result;
    if (!at) return;
    if (isExperimentV1(at.value)) {
      const experiment = migrateExperimentV1(at.value) as SavedExperiment;
      at.update(experiment);
      summaries.put(summarize(experiment));
    }
    at.continue();
  };
}

class IndexedDbArchive implements ExperimentArchive {
  readonly volatile = null;

  constructor(private readonly db: IDBDatabase) {}

  async list(): Promise<ExperimentSummary[]> {
    return newestFirst(await requested(this.db.transaction(SUMMARIES).objectStore(SUMMARIES).getAll() as IDBRequest<ExperimentSummary[]>));
  }

  async load(id: string): Promise<SavedExperiment | null> {
    const experiment = await requested(this.db.transaction(EXPERIMENTS).objectStore(EXPERIMENTS).get(id) as IDBRequest<SavedExperiment | undefined>);
    return experiment ?? null;
  }

  save(experiment: SavedExperiment): Promise<void> {
    const tx = this.db.transaction([EXPERIMENTS, SUMMARIES], 'readwrite');
    tx.objectStore(EXPERIMENTS).put(experiment);
    tx.objectStore(SUMMARIES).put(summarize(experiment));
    return committed(tx);
  }

  remove(id: string): Promise<void> {
    const tx = this.db.transaction([EXPERIMENTS, SUMMARIES], 'readwrite');
    tx.objectStore(EXPERIMENTS).delete(id);
    tx.objectStore(SUMMARIES).delete(id);
    return committed(tx);
  }
}

/** The page's archive in IndexedDB; rejects where the browser offers none or refuses it (some private modes). */
export async function openIndexedDbArchive(factory: IDBFactory | undefined = globalThis.indexedDB): Promise<ExperimentArchive> {
  if (!factory) throw new Error('this browser offers no IndexedDB');
  return new IndexedDbArchive(await openDatabase(factory));
}
