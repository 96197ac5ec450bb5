import { makeAddTask } from './add';
import { makeReverseTask } from './reverse';
import { makeSortTask } from './sort';
import { makeSumToTask } from './sum-to';
import type { Task, TaskName, TaskOptions } from './task';

export type { Problem, RewardKind, Task, TaskName, TaskOptions } from './task';
export { REWARD_KINDS } from './task';
export { BOS, EOS, PAD } from './task';

export const TASK_NAMES: readonly TaskName[] = ['add', 'sort', 'reverse', 'sum-to'];

export function isTaskName(name: string): name is TaskName {
  return (TASK_NAMES as readonly string[]).includes(name);
}

/**
 * Small enough that a tiny GPT learns each task in minutes on a laptop GPU; 512 held-out problems, so that
 * one eval's standard error is ≤ 2.2 points at 50% accuracy.
 */
export const DEFAULT_TASK_OPTIONS: Readonly<Record<TaskName, Readonly<TaskOptions>>> = {
  add: { digits: 2, evalSize: 512, minDigits: 2 },
  sort: { digits: 5, evalSize: 512, minDigits: 5 },
  reverse: { digits: 5, evalSize: 512, minDigits: 5 },
  // Only 592 sum-to problems exist at these sizes, and the eval set may hold half: SE ≤ 2.9 points at 50%.
  'sum-to': { digits: 4, evalSize: 296, minDigits: 3 },
};

const MAKERS: Record<TaskName, (options: TaskOptions) => Task> = {
  add: makeAddTask,
  sort: makeSortTask,
  reverse: makeReverseTask,
  'sum-to': makeSumToTask,
};

/** The task `name` with `options` over its defaults (an option given as undefined keeps the default). */
export function makeTask(name: TaskName, options: Partial<TaskOptions> = {}): Task {
  const defaults = DEFAULT_TASK_OPTIONS[name];
  return MAKERS[name]({
    digits: options.digits ?? defaults.digits,
    evalSize: options.evalSize ?? defaults.evalSize,
    minDigits: options.minDigits ?? defaults.minDigits,
  });
}
