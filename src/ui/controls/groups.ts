import type { RunField } from '../../config/fields';

export type GroupId = 'algorithm' | 'optimisation' | 'sampling' | 'run';

/** How the controls are grouped on the page; every field of RUN_FIELDS appears exactly once (tests/ui check). */
export const CONTROL_GROUPS: readonly { id: GroupId; title: string; fields: readonly RunField[] }[] = [
  { id: 'algorithm', title: 'Algorithm', fields: ['algo', 'level', 'epsLow', 'epsHigh', 'clipMode', 'aggregation', 'advantage', 'beta', 'kl'] },
  { id: 'optimisation', title: 'Optimisation', fields: ['K', 'G', 'B', 'M', 'optimizer', 'lr', 'gradClip'] },
  { id: 'sampling', title: 'Sampling and task', fields: ['temperature', 'maxCompletion', 'task', 'reward', 'model'] },
  { id: 'run', title: 'Run', fields: ['iterations', 'evalEvery', 'seed', 'seeds'] },
];
