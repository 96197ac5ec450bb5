import { describe, expect, it } from 'vitest';
import { computeAdvantages, STD_EPSILON } from '../../src/rl/advantages';

describe('computeAdvantages', () => {
  it('group-std divides by the sample std (n − 1) plus 1e-4, group by group', () => {
    // Group 1: mean 0.5, sample std √(4·0.25/3) = 1/√3. Group 2: mean 2, sample std √((1+0+1+0)/3) = √(2/3).
    const got = computeAdvantages([1, 0, 0, 1, 1, 2, 3, 2], 4, 'group-std');
    const s1 = 1 / Math.sqrt(3) + STD_EPSILON;
    const s2 = Math.sqrt(2 / 3) + STD_EPSILON;
    const want = [0.5 / s1, -0.5 / s1, -0.5 / s1, 0.5 / s1, -1 / s2, 0, 1 / s2, 0];
    got.forEach((a, i) => expect(a).toBeCloseTo(want[i]!, 14));
  });

  it('group-mean subtracts the group mean only (Dr.GRPO)', () => {
    expect(Array.from(computeAdvantages([1, 2, 6, 0, 0, 3], 3, 'group-mean'))).toEqual([-2, -1, 3, -1, -1, 2]);
  });

  it('none passes rewards through', () => {
    expect(Array.from(computeAdvantages([0.25, -1, 3], 3, 'none'))).toEqual([0.25, -1, 3]);
  });

  it('gives exactly 0 to groups whose rewards are all equal, and to groups of one', () => {
    // 0.1·3/3 is not 0.1 in floating point: without the explicit check these would be ±1e-13.
    for (const mode of ['group-std', 'group-mean'] as const) {
      expect(Array.from(computeAdvantages([0.1, 0.1, 0.1, 1, 0, 1], 3, mode)).slice(0, 3)).toEqual([0, 0, 0]);
      expect(Array.from(computeAdvantages([0.7, 0.2], 1, mode))).toEqual([0, 0]);
    }
  });

  it('refuses a group size that does not divide the rewards, and bad input, with a message', () => {
    expect(() => computeAdvantages([1, 2, 3, 4, 5], 2, 'group-std')).toThrow(/5 rewards do not split into groups of G = 2/);
    expect(() => computeAdvantages([1, 2], 0, 'none')).toThrow(/G must be a positive integer, got 0/);
    expect(() => computeAdvantages([1, Number.NaN], 2, 'group-mean')).toThrow(/reward 1 is NaN/);
    expect(() => computeAdvantages([1, 2], 2, 'group-sd' as never)).toThrow(/mode must be one of group-std, group-mean, none/);
  });
});
