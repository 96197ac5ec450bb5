// Trainers on one device for the engine: each run starts from its task's base model, or from the
// snapshot of its trainer on a device that was lost.
import type { Gpu } from '../gpu/gpu';
import type { ModelPreset } from '../model/config';
import { GrpoTrainer, type TrainerSnapshot } from '../rl/trainer';
import { makeTask, type Task } from '../tasks';
import type { BaseModel } from './base-model';
import type { EngineTrainer, TrainerFactory } from './engine';
import { trainerConfig } from './run';
import type { RunSpec } from './worker-protocol';

/** How long a failure waits for the device-lost event that may explain it: browsers report the two in either order. */
const LOSS_GRACE_MS = 1000;

/**
 * `work`, whose failure is held back until the device is known lost or LOSS_GRACE_MS have passed, so that
 * the engine, suspended by the loss by then, drops it instead of blaming the run.
 */
async function settledAfterLoss<T>(gpu: Gpu, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    await Promise.race([gpu.device.lost, new Promise((resolve) => setTimeout(resolve, LOSS_GRACE_MS))]);
    throw error;
  }
}

export function gpuTrainerFactory(gpu: Gpu, baseModel: (task: Task, preset: ModelPreset) => Promise<BaseModel>): TrainerFactory<TrainerSnapshot> {
  const settled = <T>(work: Promise<T>) => settledAfterLoss(gpu, work);
  async function build(spec: RunSpec, from: TrainerSnapshot | null): Promise<EngineTrainer<TrainerSnapshot>> {
    const task = makeTask(spec.config.task);
    const { model, params } = await baseModel(task, spec.config.model);
    const trainer = await GrpoTrainer.create(gpu, task, model, params, trainerConfig(spec.config, task));
    if (from) trainer.restore(from);
    return {
      step: () => settled(trainer.step()),
      snapshot: () => settled(trainer.snapshot()),
      destroy: () => trainer.destroy(),
    };
  }
  return (spec, from) => settled(build(spec, from));
}
