import { makeDigitStringTask } from './digit-string';
import type { Task, TaskOptions } from './task';

/** sort: `▸31415=` → the digits in ascending order, `11345⏎`. */
export function makeSortTask(options: TaskOptions): Task {
  return makeDigitStringTask('sort', (xs) => [...xs].sort((a, b) => a - b), options);
}
