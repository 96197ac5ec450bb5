// The training worker: owns the WebGPU device and the engine, so the page's thread only draws.
// Messages are handled strictly in arrival order (a pause sent right after a start applies to it).
import { openBrowserGpu } from '../gpu/browser';
import type { Gpu } from '../gpu/gpu';
import { GrpoTrainer } from '../rl/trainer';
import { makeTask } from '../tasks';
import { type BaseModel, httpCheckpointLoader, loadBaseModel } from './browser-checkpoints';
import { Engine, type TrainerFactory } from './engine';
import { trainerConfig } from './run';
import type { PageToWorker, WorkerToPage } from './worker-protocol';

/** The parts of a dedicated worker's global scope used here (the project's lib is DOM, not WebWorker). */
interface WorkerScope {
  postMessage(message: WorkerToPage): void;
  onmessage: ((event: MessageEvent<PageToWorker>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const post = (message: WorkerToPage) => scope.postMessage(message);
const engine = new Engine(post);

/** Why the worker has no device, for every later Start. */
let noWebGpu = '';
/** Set once the device is lost: nothing more can be trained on it. */
let lost: string | null = null;
const device: Promise<Gpu | null> = openBrowserGpu().then(
  (gpu) => {
    post({ type: 'ready', adapter: gpu.adapter });
    gpu.onLost((reason) => {
      lost = `${reason}. The curves so far are kept; reload the page to train again.`;
      engine.halt(lost);
    });
    gpu.onError((error) => post({ type: 'notice', message: `WebGPU reported an error; the numbers after it may be wrong: ${error.message}` }));
    return gpu;
  },
  (error: unknown) => {
    noWebGpu = error instanceof Error ? error.message : String(error);
    post({ type: 'noWebGpu', message: noWebGpu });
    return null;
  },
);

/** Trainers for one experiment: every run of a task and model shares one base model, loaded once. */
function trainerFactory(gpu: Gpu, checkpointBase: string): TrainerFactory {
  const load = httpCheckpointLoader(checkpointBase);
  const bases = new Map<string, Promise<BaseModel>>();
  return async ({ config }) => {
    const task = makeTask(config.task);
    const key = `${config.task}/${config.model}`;
    let base = bases.get(key);
    if (!base) {
      base = loadBaseModel(task, config.model, load);
      bases.set(key, base);
      const { notice } = await base;
      if (notice) post({ type: 'notice', message: notice });
    }
    const { model, params } = await base;
    return GrpoTrainer.create(gpu, task, model, params, trainerConfig(config, task));
  };
}

async function handle(message: PageToWorker): Promise<void> {
  switch (message.type) {
    case 'start': {
      const gpu = await device;
      if (!gpu) return post({ type: 'noWebGpu', message: noWebGpu });
      if (lost) return post({ type: 'error', message: lost });
      void engine.start(message.runs, trainerFactory(gpu, message.checkpointBase));
      return;
    }
    case 'pause':
      return engine.pause();
    case 'resume':
      return void engine.resume();
    case 'step':
      return void engine.step();
    case 'reset':
      return void engine.reset();
  }
}

let inbox: Promise<void> = Promise.resolve();
scope.onmessage = ({ data }) => {
  inbox = inbox.then(() => handle(data));
};
