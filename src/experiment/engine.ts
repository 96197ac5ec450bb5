// The engine behind the page: the runs of one experiment (every arm × every seed), trained
// one iteration at a time in turn on one device, so that all their curves grow together. It knows
// nothing of workers or WebGPU: trainers come from a factory, and what happens is reported as
// protocol messages. Each run keeps a snapshot after every iteration, so that after a device loss
// (suspend) its trainer can be rebuilt on a new device and go on from there (recover).
import type { IterationMetrics } from '../rl/metrics';
import type { EngineMessage, RunSpec, RunState } from './worker-protocol';

/** What the engine needs of a trainer (GrpoTrainer has it); `S` is its snapshot, where it stands between iterations. */
export interface EngineTrainer<S> {
  /** One iteration; the run's last one measures held-out accuracy too. */
  step(): Promise<IterationMetrics>;
  snapshot(): Promise<S>;
  destroy(): void;
}

/** Builds a run's trainer: fresh (`from` null), or going on from a snapshot of an earlier trainer of the same run. */
export type TrainerFactory<S> = (spec: RunSpec, from: S | null) => Promise<EngineTrainer<S>>;

/** A run that still has iterations to train. */
export function isLive(state: RunState): boolean {
  return state === 'running' || state === 'paused';
}

/** The live runs' indices in turn, starting at `from` and wrapping around: the order of one round. */
export function roundOrder(states: readonly RunState[], from: number): number[] {
  const order: number[] = [];
  for (let k = 0; k < states.length; k++) {
    const i = (from + k) % states.length;
    if (isLive(states[i]!)) order.push(i);
  }
  return order;
}

/** A run that will produce no more metrics. */
function isFinished(state: RunState): boolean {
  return state === 'done' || state === 'failed';
}

interface Slot<S> {
  spec: RunSpec;
  trainer: EngineTrainer<S> | null;
  state: RunState;
  /** Iterations completed. */
  iteration: number;
  /** Where the run stood after them (null: at its start), kept on the CPU to rebuild it from after a device loss. */
  snapshot: S | null;
}

export class Engine<S> {
  private slots: Slot<S>[] = [];
  /** Whether the user wants training to go on (start, resume) or to stop after the iteration in flight (pause, step). */
  private playing = false;
  /** The run whose turn is next. */
  private cursor = 0;
  /** Bumped by start, reset, suspend and halt: work begun under an older generation reports nothing. */
  private generation = 0;
  /** Everything that touches trainers runs in this chain, one task at a time. */
  private work: Promise<void> = Promise.resolve();

  constructor(private readonly emit: (message: EngineMessage) => void) {}

  /** Replaces the current experiment with `specs`: builds every trainer with `makeTrainer`, then trains them in turn. */
  start(specs: readonly RunSpec[], makeTrainer: TrainerFactory<S>): Promise<void> {
    const generation = this.reset();
    this.playing = true;
    return this.enqueue(async () => {
      this.slots = specs.map((spec) => ({ spec, trainer: null, state: 'loading', iteration: 0, snapshot: null }));
      for (const slot of this.slots) this.report(slot);
      await this.build(this.slots, makeTrainer, generation);
    });
  }

  /**
   * The device is gone: work in flight on it reports nothing, and every unfinished run drops its trainer
   * (its buffers died with the device) and waits, loading, with its snapshot, for `recover`.
   */
  suspend(): void {
    this.generation++;
    for (const slot of this.slots) {
      if (isFinished(slot.state)) continue;
      slot.trainer?.destroy();
      slot.trainer = null;
      slot.state = 'loading';
      this.report(slot);
    }
  }

  /** Rebuilds every suspended run from its last snapshot with `makeTrainer` (on a new device), then goes on as before: training if it was. */
  recover(makeTrainer: TrainerFactory<S>): Promise<void> {
    const generation = this.generation;
    return this.enqueue(() =>
      this.build(
        this.slots.filter((slot) => slot.state === 'loading'),
        makeTrainer,
        generation,
      ),
    );
  }

  /** The runs that may still produce metrics. */
  unfinishedRuns(): RunSpec[] {
    return this.slots.filter((slot) => !isFinished(slot.state)).map((slot) => slot.spec);
  }

  /** Stops after the iteration in flight. */
  pause(): void {
    this.playing = false;
  }

  resume(): Promise<void> {
    if (this.playing) return this.work;
    this.playing = true;
    const generation = this.generation;
    return this.enqueue(() => this.play(generation));
  }

  /** One iteration of each live run, in turn, then paused. */
  step(): Promise<void> {
    this.playing = false;
    const generation = this.generation;
    return this.enqueue(async () => {
      for (const i of roundOrder(this.states(), this.cursor)) {
        if (generation !== this.generation) return;
        await this.advance(i, generation);
      }
    });
  }

  /** Stops everything and frees every trainer once the iteration in flight is over; returns the new generation. */
  reset(): number {
    const generation = ++this.generation;
    this.playing = false;
    void this.enqueue(async () => {
      for (const slot of this.slots) slot.trainer?.destroy();
      this.slots = [];
      this.cursor = 0;
    });
    return generation;
  }

  /** Ends every unfinished run at once with `message` (the device was lost and no new one could be had). */
  halt(message: string): void {
    this.generation++;
    this.playing = false;
    for (const slot of this.slots) {
      if (isFinished(slot.state)) continue;
      slot.state = 'failed';
      this.report(slot);
    }
    this.emit({ type: 'error', message });
    this.reset();
  }

  /** Resolves once every queued task has run. */
  idle(): Promise<void> {
    return this.work;
  }

  /** Builds the trainers of `slots` (in state loading), then trains if the user wants it. */
  private async build(slots: readonly Slot<S>[], makeTrainer: TrainerFactory<S>, generation: number): Promise<void> {
    for (const slot of slots) {
      let trainer: EngineTrainer<S>;
      try {
        trainer = await makeTrainer(slot.spec, slot.snapshot);
      } catch (error) {
        if (generation !== this.generation) return;
        this.fail(slot, error);
        continue;
      }
      if (generation !== this.generation) return trainer.destroy(); // reset or lost meanwhile
      slot.trainer = trainer;
    }
    for (const slot of slots) {
      if (slot.state !== 'loading') continue;
      slot.state = this.playing ? 'running' : 'paused';
      this.report(slot);
    }
    if (this.playing) await this.play(generation);
  }

  private async play(generation: number): Promise<void> {
    this.setLive('running');
    while (this.playing && generation === this.generation) {
      const next = roundOrder(this.states(), this.cursor)[0];
      if (next === undefined) break;
      await this.advance(next, generation);
    }
    if (generation === this.generation) this.setLive('paused');
  }

  /**
   * One iteration of run `i`, then its snapshot (none after its last). The turn passes to the next run only once this one's iteration counts: one dropped by a
   * device loss is trained again first.
   */
  private async advance(i: number, generation: number): Promise<void> {
    const slot = this.slots[i]!;
    const trainer = slot.trainer;
    if (!trainer) return;
    let metrics: IterationMetrics;
    let snapshot: S | null = null;
    try {
      metrics = await trainer.step();
      const last = slot.iteration + 1 >= slot.spec.config.iterations;
      if (!last) snapshot = await trainer.snapshot();
    } catch (error) {
      if (generation !== this.generation) return;
      this.cursor = i + 1;
      return this.fail(slot, error);
    }
    if (generation !== this.generation) return;
    this.cursor = i + 1;
    slot.snapshot = snapshot;
    slot.iteration++;
    this.emit({ type: 'metrics', runId: slot.spec.id, metrics });
    if (slot.iteration < slot.spec.config.iterations) return;
    trainer.destroy();
    slot.trainer = null;
    slot.state = 'done';
    this.report(slot);
    this.emit({ type: 'done', runId: slot.spec.id });
  }

  private fail(slot: Slot<S>, error: unknown): void {
    slot.trainer?.destroy();
    slot.trainer = null;
    slot.state = 'failed';
    this.emit({ type: 'error', runId: slot.spec.id, message: error instanceof Error ? error.message : String(error) });
    this.report(slot);
  }

  private setLive(state: 'running' | 'paused'): void {
    for (const slot of this.slots) {
      if (!isLive(slot.state) || slot.state === state) continue;
      slot.state = state;
      this.report(slot);
    }
  }

  private report(slot: Slot<S>): void {
    this.emit({ type: 'status', runId: slot.spec.id, state: slot.state, iteration: slot.iteration });
  }

  private states(): RunState[] {
    return this.slots.map((s) => s.state);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.work = this.work.then(task).catch((error: unknown) => {
      this.emit({ type: 'error', message: `The training engine stopped: ${error instanceof Error ? error.message : String(error)}` });
    });
    return this.work;
  }
}
