import type { TaskSpec } from './build-task';
import { EOS, positionalCredit } from './task';

/**
 * solve and score for a task with exactly one correct answer.
 * Dense reward: fraction of the positions of answer+EOS matched, over the longer of the two (so a
 * wrong digit, a missing EOS, or an extra or missing token each cost one position).
 */
export function uniqueAnswer<P>(answerOf: (problem: P) => number[]): Pick<TaskSpec<P>, 'solve' | 'score'> {
  return {
    solve: (problem) => answerOf(problem),
    score: (problem, completion, kind) => {
      const target = [...answerOf(problem), EOS];
      if (kind === 'dense') return positionalCredit(completion.tokens, target.length, (token, i) => token === target[i]);
      // Matching answer+EOS token for token implies the completion terminated.
      const exact = completion.tokens.length === target.length && completion.tokens.every((token, i) => token === target[i]);
      return exact ? 1 : 0;
    },
  };
}
