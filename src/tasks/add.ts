import { buildTask } from './build-task';
import {
  type Task,
  type TaskOptions,
  BOS,
  checkOption,
  decodeTokens,
  digitVocab,
  digitsValue,
  numberTokens,
  randomInt,
  readDigits,
  symbolToken,
  tokenDigit,
} from './task';
import { uniqueAnswer } from './unique-answer';

interface Addends {
  a: number;
  b: number;
}

/**
 * add: prompt `▸ a + b =`, a and b zero-padded to `digits` digits; answer: the sum as digits+1 digits
 * written LEAST-significant first, then EOS (each digit then depends only on digits already seen, carry
 * included: the trick that makes addition learnable by a small transformer). 57+12 → ▸57+12= 960⏎ (069).
 * Dense reward: positional match of the reversed sum + EOS (see uniqueAnswer).
 */
export function makeAddTask({ digits, evalSize }: TaskOptions): Task {
  checkOption('add digits', digits, 1, 6);
  const vocab = digitVocab(['+', '=']);
  const plus = symbolToken(vocab, '+');
  const equals = symbolToken(vocab, '=');
  return buildTask<Addends>(
    {
      name: 'add',
      vocab,
      promptLength: 2 * digits + 3,
      maxCompletion: digits + 2,
      problemCount: 10 ** (2 * digits),
      drawProblem: (rng) => ({ a: randomInt(rng, 10 ** digits), b: randomInt(rng, 10 ** digits) }),
      encode: ({ a, b }) => [BOS, ...numberTokens(a, digits), plus, ...numberTokens(b, digits), equals],
      parse: (prompt) => ({
        a: digitsValue(readDigits(prompt, 1, digits)),
        b: digitsValue(readDigits(prompt, digits + 2, digits)),
      }),
      ...uniqueAnswer(({ a, b }) => numberTokens(a + b, digits + 1).reverse()),
      decode: (tokens) => decodeTokens(vocab, tokens) + usualOrderNote(tokens, equals),
    },
    evalSize,
  );
}

/** ` (reads 069)` after an answer written least-significant first, so a reader sees the sum the usual way round. */
function usualOrderNote(tokens: readonly number[], equals: number): string {
  // The answer starts after '=', or at the start when decoding a completion alone.
  const start = tokens.indexOf(equals) + 1;
  const answer: number[] = [];
  for (const token of tokens.slice(start)) {
    const digit = tokenDigit(token);
    if (digit === undefined) break;
    answer.push(digit);
  }
  return answer.length > 0 ? ` (reads ${answer.reverse().join('')})` : '';
}
