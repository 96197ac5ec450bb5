import { buildTask } from './build-task';
import { digitSumCounts, drawDigitString } from './digit-sums';
import {
  type Completion,
  type Task,
  type TaskOptions,
  BOS,
  EOS,
  checkOption,
  digitToken,
  digitVocab,
  digitsValue,
  numberTokens,
  positionalCredit,
  randomInt,
  readDigits,
  symbolToken,
  tokenDigit,
} from './task';

interface SumProblem {
  target: number;
  length: number;
  banned: number;
}

/** Every problem has at least this many correct answers (the task is about many right answers). */
const MIN_ANSWERS = 2;

/**
 * sum-to: prompt `▸ Σ t n L ¬ b =` (t zero-padded) → any L digits, none of them b, that sum to t, then EOS.
 * ▸Σ12n4¬5= → 3072⏎, 9300⏎, 2226⏎, … The banned digit b multiplies the problem space (~600 problems at the
 * defaults) so that a 128-problem eval set is a small held-out slice, not half the task.
 * Dense reward: format × mean(1, 1/(1 + |digit sum − t|), fraction of digits that are not b), where format
 * is the fraction of the L digit positions + EOS filled with a digit / EOS (see positionalCredit).
 */
export function makeSumToTask({ digits, minDigits, evalSize }: TaskOptions): Task {
  checkOption('sum-to digits', digits, 2, 9);
  const shortest = checkOption('sum-to minDigits', Math.min(minDigits, digits), 1, digits);
  const targetWidth = String(9 * digits).length;
  const vocab = digitVocab(['=', 'Σ', 'n', '¬']);
  const [equals, sigma, n, not] = ['=', 'Σ', 'n', '¬'].map((s) => symbolToken(vocab, s)) as [number, number, number, number];
  const problems = problemSpace(shortest, digits);
  const lengthAt = targetWidth + 3;
  return buildTask<SumProblem>(
    {
      name: 'sum-to',
      vocab,
      promptLength: targetWidth + 7,
      maxCompletion: digits + 1,
      problemCount: problems.length,
      drawProblem: (rng) => problems[randomInt(rng, problems.length)]!,
      encode: ({ target, length, banned }) => [BOS, sigma, ...numberTokens(target, targetWidth), n, digitToken(length), not, digitToken(banned), equals],
      parse: (prompt) => ({
        target: digitsValue(readDigits(prompt, 2, targetWidth)),
        length: readDigits(prompt, lengthAt, 1)[0]!,
        banned: readDigits(prompt, lengthAt + 2, 1)[0]!,
      }),
      solve: (p, rng) => drawDigitString(p.length, p.target, allowedDigits(p.banned), rng).map(digitToken),
      score: (p, completion, kind) => (kind === 'sparse' ? (isCorrect(p, completion) ? 1 : 0) : denseScore(p, completion)),
    },
    evalSize,
  );
}

function allowedDigits(banned: number): number[] {
  return [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((d) => d !== banned);
}

/** Every (target, length, banned) with at least MIN_ANSWERS correct answers, lengths shortest…longest. */
function problemSpace(shortest: number, longest: number): SumProblem[] {
  const problems: SumProblem[] = [];
  for (let length = shortest; length <= longest; length++) {
    for (let banned = 0; banned <= 9; banned++) {
      digitSumCounts(length, allowedDigits(banned)).forEach((count, target) => {
        if (count >= MIN_ANSWERS) problems.push({ target, length, banned });
      });
    }
  }
  return problems;
}

function answerDigits(completion: Completion): number[] {
  return completion.answer.map(tokenDigit).filter((d): d is number => d !== undefined);
}

function isCorrect(p: SumProblem, completion: Completion): boolean {
  const digits = answerDigits(completion);
  return (
    completion.terminated &&
    completion.answer.length === p.length &&
    digits.length === p.length &&
    !digits.includes(p.banned) &&
    digits.reduce((s, d) => s + d, 0) === p.target
  );
}

function denseScore(p: SumProblem, completion: Completion): number {
  const format = positionalCredit(completion.tokens, p.length + 1, (token, i) => (i < p.length ? tokenDigit(token) !== undefined : token === EOS));
  const digits = answerDigits(completion);
  const closeness = 1 / (1 + Math.abs(digits.reduce((s, d) => s + d, 0) - p.target));
  const avoidance = digits.length === 0 ? 1 : digits.filter((d) => d !== p.banned).length / digits.length;
  return (format * (1 + closeness + avoidance)) / 3;
}
