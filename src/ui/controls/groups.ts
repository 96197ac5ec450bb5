import type { SetupField } from '../../experiment/setup';

export type GroupId = 'optimisation' | 'sampling' | 'run';

/**
 * How the base's controls are grouped; every base field and the seeds appear exactly once (tests/ui
 * check). The algorithm and its loss fields belong to each arm: the arms editor sets them.
 */
export const CONTROL_GROUPS: readonly { id: GroupId; title: string; fields: readonly SetupField[] }[] = [
  { id: 'optimisation', title: 'Optimisation', fields: ['K', 'G', 'B', 'M', 'optimizer', 'lr', 'gradClip'] },
  { id: 'sampling', title: 'Sampling and task', fields: ['temperature', 'maxCompletion', 'task', 'reward', 'model'] },
  { id: 'run', title: 'Run', fields: ['iterations', 'evalEvery', 'seed', 'seeds'] },
];
