import { describe, expect, it } from 'vitest';
import { makeTask } from '../../src/tasks/index';
import { uniformRng } from '../../src/util/rng';
import { problem, tokens } from './tokens';

const sort = makeTask('sort');
const reverse = makeTask('reverse');

describe('sort and reverse', () => {
  it('prompt ▸x₁…x₅=: 14 tokens, prompt 7, completion 6', () => {
    for (const task of [sort, reverse]) {
      expect(task.vocab).toHaveLength(14);
      expect([task.promptLength, task.maxCompletion, task.seqLen]).toEqual([7, 6, 13]);
    }
  });

  it('answer the digits sorted ascending / reversed', () => {
    const rng = uniformRng(0);
    expect(sort.decode(sort.solution(problem(sort, '▸31415='), rng))).toBe('11345⏎');
    expect(reverse.decode(reverse.solution(problem(reverse, '▸31415='), rng))).toBe('51413⏎');
    for (const q of sort.evalSet()) {
      const digits = sort.decode(q.prompt).slice(1, -1);
      expect(sort.decode(sort.solution(q, rng))).toBe(`${[...digits].sort().join('')}⏎`);
      expect(reverse.decode(reverse.solution(q, rng))).toBe(`${[...digits].reverse().join('')}⏎`);
    }
  });

  it('give dense credit per position of answer + EOS', () => {
    const p = problem(sort, '▸31415=');
    const dense = (text: string) => sort.reward(p, tokens(sort, text), 'dense');
    expect(dense('11345⏎')).toBe(1);
    expect(dense('11354⏎')).toBe(4 / 6);
    expect(dense('31415⏎')).toBe(3 / 6); // the prompt copied: 1, 5 and EOS in place
    expect(dense('1134⏎')).toBe(4 / 6);
    expect(dense('11345')).toBe(5 / 6);
    expect(dense('113455')).toBe(5 / 6);
    expect(dense('13450⏎')).toBe(2 / 6); // a shift loses the shifted positions
    expect(sort.reward(p, tokens(sort, '11354⏎'), 'sparse')).toBe(0);
  });

  it('take the string length as an option', () => {
    const rev3 = makeTask('reverse', { digits: 3, evalSize: 16 });
    expect([rev3.promptLength, rev3.maxCompletion, rev3.evalSet().length]).toEqual([5, 4, 16]);
    expect(rev3.decode(rev3.solution(problem(rev3, '▸120='), uniformRng(0)))).toBe('021⏎');
  });
});
