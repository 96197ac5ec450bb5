import type { PolicyLossConfig } from '../../src/loss/config';
import type { TrainerConfig } from '../../src/rl/trainer';
import type { Task } from '../../src/tasks';

/** A trainer config small enough for SwiftShader: 2 prompts × 4 completions, one mini-batch of all 8, two inner steps; no eval past the first. */
export function smallTrainerConfig(task: Task, loss: PolicyLossConfig, overrides: Partial<TrainerConfig> = {}): TrainerConfig {
  return {
    loss,
    advantage: 'group-std',
    K: 2,
    G: 4,
    B: 2,
    M: 8,
    optimizer: 'adamw',
    lr: 3e-3,
    gradClip: 1,
    temperature: 1,
    completionLength: task.maxCompletion,
    reward: 'dense',
    iterations: 1000,
    evalEvery: 1000,
    seed: 3,
    ...overrides,
  };
}
