// What the training worker does, apart from being a worker: it owns the device, the base models and the
// engine, answers the page's commands, and lives through a lost device (docs/design.md §5): the runs pause, a new
// device is opened, and each run goes on from its snapshot after its last completed iteration.
import type { Gpu } from '../gpu/gpu';
import type { TrainerSnapshot } from '../rl/trainer';
import { baseModelCache } from './base-model';
import { Engine } from './engine';
import { gpuTrainerFactory } from './gpu-trainers';
import type { CheckpointLoader } from './base-model';
import type { PageToWorker, WorkerToPage } from './worker-protocol';
import { unreachable } from '../util/unreachable';

export interface WorkerSessionDeps {
  /** A new device; rejects with the reason where none can be had. */
  openGpu(): Promise<Gpu>;
  /** Fetches base checkpoints from the folder at the absolute URL `base`. */
  checkpointLoader(base: string): CheckpointLoader;
  post(message: WorkerToPage): void;
}

type BaseModels = ReturnType<typeof baseModelCache>;

/** What the page is told when there is no device to train on. */
type Unavailable = Extract<WorkerToPage, { type: 'noWebGpu' | 'error' }>;

export class WorkerSession {
  private readonly engine: Engine<TrainerSnapshot>;
  /** The device (never rejects: null, with `unavailable` saying why); replaced at once when it is lost. */
  private device: Promise<Gpu | null>;
  private unavailable: Unavailable = { type: 'noWebGpu', message: '' };
  /** The latest experiment's base models, which its runs are rebuilt from after a loss. */
  private bases: BaseModels | null = null;

  constructor(private readonly deps: WorkerSessionDeps) {
    this.engine = new Engine(deps.post);
    this.device = this.openDevice((why) => ({ type: 'noWebGpu', message: why }));
    void this.device.then((gpu) => {
      if (!gpu) deps.post(this.unavailable);
    });
  }

  /** Handles one command; the worker calls it in arrival order, each after the one before has been handled. */
  async handle(command: PageToWorker): Promise<void> {
    switch (command.type) {
      case 'start': {
        const gpu = await this.device;
        if (!gpu) return this.deps.post(this.unavailable);
        this.bases = baseModelCache(this.deps.checkpointLoader(command.checkpointBase), (notice) => this.deps.post({ type: 'notice', message: notice }));
        void this.engine.start(command.runs, gpuTrainerFactory(gpu, this.bases));
        return;
      }
      case 'pause':
        return this.engine.pause();
      case 'resume':
        return void this.engine.resume();
      case 'step':
        return void this.engine.step();
      case 'reset':
        return void this.engine.reset();
      default:
        return unreachable(command, 'worker command');
    }
  }

  /** Resolves once the engine has nothing queued (for tests). */
  idle(): Promise<void> {
    return this.engine.idle();
  }

  /** Opens a device and routes its loss and errors; where none can be had, resolves to null and sets `unavailable`. */
  private openDevice(unavailable: (why: string) => Unavailable): Promise<Gpu | null> {
    return this.deps.openGpu().then(
      (gpu) => {
        this.deps.post({ type: 'ready', adapter: gpu.adapter });
        gpu.onLost((reason) => void this.recover(reason));
        gpu.onError((error) => this.deps.post({ type: 'notice', message: `WebGPU reported an error; the numbers after it may be wrong: ${error.message}` }));
        return gpu;
      },
      (error: unknown) => {
        this.unavailable = unavailable(error instanceof Error ? error.message : String(error));
        return null;
      },
    );
  }

  /** Called as the device is lost: suspends the runs at once, then rebuilds them on a new device. */
  private async recover(reason: string): Promise<void> {
    this.engine.suspend();
    const runs = this.engine.unfinishedRuns();
    const post = this.deps.post;
    if (runs.length > 0) post({ type: 'notice', message: `${reason}. The runs are paused while a new device is opened.` });
    this.device = this.openDevice((why) => ({
      type: 'error',
      message: `${reason}, and no new device could be had (${why}). The curves so far are kept; reload the page to train again.`,
    }));
    const gpu = await this.device;
    if (!gpu) return this.engine.halt(this.unavailable.message);
    if (runs.length === 0 || !this.bases) return;
    post({ type: 'notice', message: 'A new device is open: every unfinished run resumes from its last completed iteration.' });
    await this.engine.recover(gpuTrainerFactory(gpu, this.bases));
  }
}
