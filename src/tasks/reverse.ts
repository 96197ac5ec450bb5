import { makeDigitStringTask } from './digit-string';
import type { Task, TaskOptions } from './task';

/** reverse: `▸31415=` → the digits in reverse order, `51413⏎`. */
export function makeReverseTask(options: TaskOptions): Task {
  return makeDigitStringTask('reverse', (xs) => [...xs].reverse(), options);
}
