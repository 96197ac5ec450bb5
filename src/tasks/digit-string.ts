import { buildTask } from './build-task';
import { type Task, type TaskOptions, BOS, checkOption, digitToken, digitVocab, randomInt, readDigits, symbolToken } from './task';
import { uniqueAnswer } from './unique-answer';

/**
 * A task that rewrites a digit string: prompt `▸ x₁…xₙ =` (n = digits), answer transform(x) then EOS.
 * Dense reward: positional match of transform(x) + EOS (see uniqueAnswer).
 */
export function makeDigitStringTask(name: 'sort' | 'reverse', transform: (digits: readonly number[]) => number[], { digits, evalSize }: TaskOptions): Task {
  checkOption(`${name} digits`, digits, 2, 12);
  const vocab = digitVocab(['=']);
  const equals = symbolToken(vocab, '=');
  return buildTask<number[]>(
    {
      name,
      vocab,
      promptLength: digits + 2,
      maxCompletion: digits + 1,
      problemCount: 10 ** digits,
      drawProblem: (rng) => Array.from({ length: digits }, () => randomInt(rng, 10)),
      encode: (xs) => [BOS, ...xs.map(digitToken), equals],
      parse: (prompt) => readDigits(prompt, 1, digits),
      ...uniqueAnswer((xs) => transform(xs).map(digitToken)),
    },
    evalSize,
  );
}
