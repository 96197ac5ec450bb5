import { runSpecs } from '../../src/experiment/setup';
import type { SavedExperiment } from '../../src/ui/persistence/saved-experiment';
import type { RunRecordState } from '../../src/ui/training/runs';
import type { ShownExperiment } from '../../src/ui/training/store';
import { metrics, SETUP } from './fake-worker';
import { point } from './points';

/** An experiment of SETUP as the page shows it: every run with `done` iterations, in `state`. */
export function shownExperiment(id: string, createdAt: number, done = 2, state: RunRecordState = 'done'): ShownExperiment {
  return {
    id,
    createdAt,
    setup: SETUP,
    notices: [],
    failure: null,
    runs: runSpecs(SETUP).map((spec) => ({
      id: `${id}/${spec.id}`,
      arm: spec.arm,
      seed: spec.seed,
      iterations: SETUP.config.iterations,
      state,
      error: null,
      metrics: Array.from({ length: done }, (_, i) => point(i, { rewardMean: spec.seed + i / 10 })),
      samples: metrics(done - 1).samples,
    })),
  };
}

export function savedExperiment(id: string, createdAt: number, done = 2, state: RunRecordState = 'done'): SavedExperiment {
  return { ...shownExperiment(id, createdAt, done, state), savedAt: createdAt + 1000 };
}
