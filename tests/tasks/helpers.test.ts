import { describe, expect, it } from 'vitest';
import { digitSumCounts } from '../../src/tasks/digit-sums';
import { BOS, EOS, PAD, decodeTokens, digitToken, digitVocab, numberTokens, positionalCredit, readCompletion, readDigits } from '../../src/tasks/task';

describe('task helpers', () => {
  it('reads a completion up to its first EOS within maxCompletion', () => {
    expect(readCompletion([5, 6, EOS, 7, EOS], 4)).toEqual({ tokens: [5, 6, EOS], answer: [5, 6], terminated: true });
    expect(readCompletion([5, 6, 7], 4)).toEqual({ tokens: [5, 6, 7], answer: [5, 6, 7], terminated: false });
    expect(readCompletion([5, 6, 7, 8, EOS], 4)).toEqual({ tokens: [5, 6, 7, 8], answer: [5, 6, 7, 8], terminated: false });
    expect(readCompletion([], 4)).toEqual({ tokens: [], answer: [], terminated: false });
  });

  it('credits positions, counting missing and extra tokens as misses', () => {
    const same = (t: number, i: number) => t === i;
    expect(positionalCredit([0, 1, 2], 3, same)).toBe(1);
    expect(positionalCredit([0, 9, 2], 3, same)).toBe(2 / 3);
    expect(positionalCredit([0, 1], 3, same)).toBe(2 / 3);
    expect(positionalCredit([0, 1, 2, 3], 3, same)).toBe(3 / 4);
    expect(positionalCredit([], 3, same)).toBe(0);
  });

  it('tokenises digits and decodes readably', () => {
    const vocab = digitVocab(['=']);
    expect(vocab).toEqual(['<pad>', '<bos>', '<eos>', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '=']);
    expect(numberTokens(7, 3)).toEqual([0, 0, 7].map(digitToken));
    expect(readDigits(numberTokens(407, 3), 0, 3)).toEqual([4, 0, 7]);
    expect(() => readDigits([BOS, 13], 0, 2)).toThrow(/malformed prompt/);
    expect(decodeTokens(vocab, [PAD, BOS, digitToken(4), 13, EOS, 99])).toBe('▸4=⏎�');
  });

  it('counts digit strings by sum', () => {
    expect(digitSumCounts(2, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(digitSumCounts(3, [1, 2]).slice(0, 7)).toEqual([0, 0, 0, 1, 3, 3, 1]);
  });
});
