import { describe, expect, it } from 'vitest';
import { makeTask } from '../../src/tasks/index';
import { uniformRng } from '../../src/util/rng';
import { problem, tokens } from './tokens';

const add = makeTask('add');
const p = problem(add, '▸57+12=');
const reward = (text: string) => [add.reward(p, tokens(add, text), 'sparse'), add.reward(p, tokens(add, text), 'dense')];

describe('add', () => {
  it('prompts ▸a+b= with zero-padded operands: 15 tokens, prompt 7, completion 4', () => {
    expect(add.vocab).toHaveLength(15);
    expect([add.promptLength, add.maxCompletion, add.seqLen]).toEqual([7, 4, 11]);
    expect(add.decode(problem(add, '▸07+00=').prompt)).toBe('▸07+00=');
  });

  it('answers with the sum least-significant digit first, and decode says how it reads', () => {
    expect(add.solution(p, uniformRng(0))).toEqual(tokens(add, '960⏎'));
    expect(add.decode(tokens(add, '960⏎'))).toBe('960⏎ (reads 069)');
    expect(add.decode(tokens(add, '▸57+12=960⏎'))).toBe('▸57+12=960⏎ (reads 069)');
    expect(add.decode(tokens(add, '▸99+99=891⏎'))).toBe('▸99+99=891⏎ (reads 198)');
    // The sum the usual way round is not the answer.
    expect(reward('069⏎')[0]).toBe(0);
  });

  it('solves every eval problem: the reversed answer is a + b', () => {
    const rng = uniformRng(0);
    for (const q of add.evalSet()) {
      const [a, b] = add.decode(q.prompt).slice(1, -1).split('+').map(Number) as [number, number];
      expect(add.decode(add.solution(q, rng))).toBe(
        `${String(a + b)
          .padStart(3, '0')
          .split('')
          .reverse()
          .join('')}⏎ (reads ${String(a + b).padStart(3, '0')})`,
      );
    }
  });

  it('gives dense credit per position of answer + EOS, over the longer of the two', () => {
    expect(reward('960⏎')).toEqual([1, 1]);
    expect(reward('961⏎')).toEqual([0, 3 / 4]);
    expect(reward('861⏎')).toEqual([0, 2 / 4]);
    expect(reward('960')).toEqual([0, 3 / 4]); // missing EOS
    expect(reward('9600⏎')).toEqual([0, 3 / 4]); // the 4th token is past maxCompletion: no EOS
    expect(reward('96⏎')).toEqual([0, 2 / 4]);
    expect(reward('9⏎')).toEqual([0, 1 / 4]);
    expect(reward('⏎')).toEqual([0, 0]);
    expect(reward('+=⏎')).toEqual([0, 0]);
  });

  it('takes the number of digits as an option', () => {
    const add3 = makeTask('add', { digits: 3 });
    expect([add3.promptLength, add3.maxCompletion]).toEqual([9, 5]);
    const q = problem(add3, '▸999+001=');
    expect(add3.decode(add3.solution(q, uniformRng(0)))).toBe('0001⏎ (reads 1000)');
  });
});
