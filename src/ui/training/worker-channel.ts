import { CHECKPOINT_DIR } from '../../experiment/checkpoints';
import type { PageToWorker, WorkerToPage } from '../../experiment/worker-protocol';
import type { Connect } from './store';

/** How long the page gathers the worker's messages before drawing them: at most four redraws a second, however fast the GPU. */
const BATCH_MS = 250;

/** The training worker, started on first use; its messages reach `deliver` in batches. */
export const connectWorker: Connect = (deliver) => {
  const worker = new Worker(new URL('../../experiment/training.worker.ts', import.meta.url), { type: 'module', name: 'grpo-lab-training' });
  let pending: WorkerToPage[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    const batch = pending;
    pending = [];
    deliver(batch);
  };
  const receive = (message: WorkerToPage) => {
    pending.push(message);
    if (timer === null) timer = setTimeout(flush, BATCH_MS);
  };
  worker.onmessage = (event: MessageEvent<WorkerToPage>) => receive(event.data);
  worker.onerror = (event) => receive({ type: 'error', message: `The training worker failed: ${event.message || 'it could not be loaded'}` });
  return (message: PageToWorker) => worker.postMessage(message);
};

/** Where the worker fetches base checkpoints: public/checkpoints/ beside the page, wherever the site is hosted. */
export function checkpointFolder(): string {
  return new URL(`${CHECKPOINT_DIR}/`, document.baseURI).href;
}
