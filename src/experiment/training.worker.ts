// The training worker: owns the WebGPU device and the engine, so the page's thread only draws.
// Messages are handled strictly in arrival order (a pause sent right after a start applies to it).
import { openBrowserGpu } from '../gpu/browser';
import { httpCheckpointLoader } from './browser-checkpoints';
import type { PageToWorker, WorkerToPage } from './worker-protocol';
import { WorkerSession } from './worker-session';

/** The parts of a dedicated worker's global scope used here (the project's lib is DOM, not WebWorker). */
interface WorkerScope {
  postMessage(message: WorkerToPage): void;
  onmessage: ((event: MessageEvent<PageToWorker>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const session = new WorkerSession({
  openGpu: () => openBrowserGpu(),
  checkpointLoader: (base) => httpCheckpointLoader(base),
  post: (message) => scope.postMessage(message),
});

let inbox: Promise<void> = Promise.resolve();
scope.onmessage = ({ data }) => {
  inbox = inbox.then(() => session.handle(data));
};
