import { makeRunConfig } from '../../src/experiment/config';
import { defaultArms, type PageSetup } from '../../src/experiment/setup';
import type { PageToWorker, WorkerToPage } from '../../src/experiment/worker-protocol';
import type { IterationMetrics } from '../../src/rl/metrics';
import { createTrainingStore } from '../../src/ui/training/store';
import { point } from './points';

/** Two arms (GRPO and TIC-GRPO) × two seeds of three iterations. */
export const SETUP: PageSetup = { config: makeRunConfig({ task: 'add', K: 8, iterations: 3, seed: 5 }), arms: defaultArms(), seeds: 2 };

/** What the worker reports of iteration `iteration`, with one sample. */
export function metrics(iteration: number): IterationMetrics {
  return { ...point(iteration), samples: [{ prompt: '12+3=', completion: ['1', '5', '<eos>'], reward: 1, ratios: [1, 1.1, 0.9] }] };
}

/** A training store on a stand-in worker (experiment ids 1, 2, …): what the page posted, and a way to deliver the worker's messages. */
export function storeOnFakeWorker() {
  const posted: PageToWorker[] = [];
  let deliver: (messages: readonly WorkerToPage[]) => void = () => {
    throw new Error('the worker was never started');
  };
  let connections = 0;
  let experiments = 0;
  const store = createTrainingStore(
    (d) => {
      connections++;
      deliver = d;
      return (message) => posted.push(message);
    },
    'https://lab.example/checkpoints/',
    () => String(++experiments),
  );
  return { store, posted, deliver: (...messages: WorkerToPage[]) => deliver(messages), connections: () => connections };
}
