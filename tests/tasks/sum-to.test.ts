import { describe, expect, it } from 'vitest';
import { makeTask } from '../../src/tasks/index';
import { uniformRng } from '../../src/util/rng';
import { problem, tokens } from './tokens';

const sumTo = makeTask('sum-to');

/** Every `length`-digit string without `banned` whose digits sum to `target`, by brute force. */
function answers(target: number, length: number, banned: number): string[] {
  const all: string[] = [];
  for (let i = 0; i < 10 ** length; i++) {
    const s = String(i).padStart(length, '0');
    if (!s.includes(String(banned)) && [...s].reduce((t, c) => t + Number(c), 0) === target) all.push(s);
  }
  return all;
}

/** target, length and banned digit of a prompt ▸Σttn L¬b=. */
const parse = (prompt: number[]) => {
  const m = /^▸Σ(\d\d)n(\d)¬(\d)=$/.exec(sumTo.decode(prompt))!;
  return [Number(m[1]), Number(m[2]), Number(m[3])] as const;
};

describe('sum-to', () => {
  it('prompts ▸Σ t n L ¬ b =: 17 tokens, prompt 9, completion 5', () => {
    expect(sumTo.vocab).toHaveLength(17);
    expect([sumTo.promptLength, sumTo.maxCompletion, sumTo.seqLen]).toEqual([9, 5, 14]);
  });

  it('draws lengths 3 and 4, every banned digit, and only problems with several answers', () => {
    const rng = uniformRng(0);
    const seen = Array.from({ length: 300 }, () => parse(sumTo.sample(rng).prompt));
    expect(new Set(seen.map(([, length]) => length))).toEqual(new Set([3, 4]));
    expect(new Set(seen.map(([, , banned]) => banned)).size).toBe(10);
    for (const [target, length, banned] of seen.slice(0, 60)) expect(answers(target, length, banned).length).toBeGreaterThanOrEqual(2);
  });

  it('has many correct answers, and solution() draws them uniformly', () => {
    const p = problem(sumTo, '▸Σ12n4¬5=');
    const correct = answers(12, 4, 5);
    expect(correct.length).toBeGreaterThan(200);
    const rng = uniformRng(1);
    const drawn = Array.from({ length: 300 }, () => sumTo.decode(sumTo.solution(p, rng)).slice(0, -1));
    expect(new Set(drawn).size).toBeGreaterThan(150);
    for (const s of drawn) expect(correct).toContain(s);

    // 3 digits, none 9, summing to 3: the 10 compositions of 3, each drawn ~1000 times in 10 000.
    const small = problem(sumTo, '▸Σ03n3¬9=');
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const s = sumTo.decode(sumTo.solution(small, rng));
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    expect(counts.size).toBe(10);
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(150); // ~5 standard deviations
  });

  it('rewards exactly the correct answers, checked against brute force over all 4-digit strings', () => {
    const p = problem(sumTo, '▸Σ12n4¬5=');
    const correct = new Set(answers(12, 4, 5));
    const disagreements = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0')).filter((s) => {
      const completion = tokens(sumTo, `${s}⏎`);
      const sparse = sumTo.reward(p, completion, 'sparse');
      return sparse !== (correct.has(s) ? 1 : 0) || (sumTo.reward(p, completion, 'dense') === 1) !== (sparse === 1);
    });
    expect(disagreements).toEqual([]);
  });

  it('gives dense credit: format × mean(1, closeness of the sum, share of digits not banned)', () => {
    const p = problem(sumTo, '▸Σ12n4¬5=');
    const dense = (text: string) => sumTo.reward(p, tokens(sumTo, text), 'dense');
    expect(dense('3333⏎')).toBe(1);
    expect(dense('3334⏎')).toBeCloseTo((1 + 1 / 2 + 1) / 3, 12); // sum off by one
    expect(dense('3339⏎')).toBeCloseTo((1 + 1 / 7 + 1) / 3, 12); // off by six
    expect(dense('0552⏎')).toBeCloseTo((1 + 1 + 2 / 4) / 3, 12); // two banned digits
    expect(dense('3333')).toBeCloseTo(4 / 5, 12); // missing EOS: format 4/5
    expect(dense('336⏎')).toBeCloseTo((3 / 5) * (3 / 3), 12); // too short, right sum: format 3/5
    expect(dense('⏎')).toBe(0);
    // Closer sums score higher.
    expect(dense('3335⏎')).toBeLessThan(dense('3334⏎'));
  });

  it('clamps minDigits to digits and takes longer answers as an option', () => {
    const fixed = makeTask('sum-to', { digits: 3, minDigits: 5, evalSize: 64 });
    expect([fixed.promptLength, fixed.maxCompletion]).toEqual([9, 4]);
    const rng = uniformRng(2);
    for (let i = 0; i < 100; i++) expect(fixed.decode(fixed.sample(rng).prompt)).toMatch(/n3¬/);
  });
});
