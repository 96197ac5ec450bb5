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
  worker.onmessage = (event: MessageEvent<WorkerToPage>) => {
    pending.push(event.data);
    timer ??= setTimeout(flush, BATCH_MS);
  };
  worker.onerror = (event) => {
    pending.push({ type: 'error', message: `The training worker failed: ${event.message || 'it could not be loaded'}` });
    timer ??= setTimeout(flush, BATCH_MS);
  };
  return (message: PageToWorker) => worker.postMessage(message);
};

/** Where the worker fetches base checkpoints: public/checkpoints/ beside the page, wherever the site is hosted. */
export function checkpointFolder(): string {
  return new URL(`${CHECKPOINT_DIR}/`, document.baseURI).href;
}
