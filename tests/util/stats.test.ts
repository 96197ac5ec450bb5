import { describe, expect, it } from 'vitest';
import { meanInterval, pairedDifference, studentTCdf, studentTQuantile } from '../../src/util/stats';

describe("Student's t", () => {
  it('has the tabulated 97.5% quantiles', () => {
    // From printed t tables (two-sided 95%).
    const table: [number, number][] = [
      [1, 12.7062047],
      [2, 4.30265273],
      [4, 2.77644511],
      [9, 2.26215716],
      [30, 2.04227246],
      [1000, 1.96233908],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 6);
  });

  it('has a CDF that is symmetric and matches the Cauchy distribution at one degree of freedom', () => {
    for (const t of [-3, -0.5, 0, 0.7, 5]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
      expect(studentTCdf(t, 7) + studentTCdf(-t, 7)).toBeCloseTo(1, 12);
    }
  });
});

describe('intervals over seeds', () => {
  it('are t₀.₉₇₅,ₙ₋₁·sd/√n, worked by hand', () => {
    // sd = √2.5; half-width 2.77644511·√2.5/√5 = 2.77644511/√2.
    const five = meanInterval([1, 2, 3, 4, 5]);
    expect(five.mean).toBe(3);
    expect(five.ci95).toBeCloseTo(2.77644511 / Math.SQRT2, 7);
    // Two seeds: sd = 0.1/√2, so the half-width is 12.7062047 · 0.05.
    const two = meanInterval([0.4, 0.5]);
    expect(two.mean).toBeCloseTo(0.45, 12);
    expect(two.ci95).toBeCloseTo(0.635310235, 7);
  });

  it('are zero-width for an arm that never varies, and undefined for one seed', () => {
    expect(meanInterval([0.3, 0.3, 0.3])).toEqual({ mean: 0.3, ci95: 0, n: 3 });
    const one = meanInterval([0.3]);
    expect(one.mean).toBe(0.3);
    expect(one.ci95).toBeNaN();
  });
});

describe('paired differences', () => {
  it('pair seed with seed and say which way the interval lies', () => {
    // Differences 0.1, 0.2, 0.2: mean 1/6, sd 0.057735, half-width 4.30265273·0.057735/√3 = 0.1434218.
    const d = pairedDifference([0.5, 0.6, 0.7], [0.4, 0.4, 0.5]);
    expect(d.perSeed.map((x) => Number(x.toFixed(12)))).toEqual([0.1, 0.2, 0.2]);
    expect(d.mean).toBeCloseTo(1 / 6, 12);
    expect(d.ci95).toBeCloseTo(0.1434218, 6);
    expect(d.verdict).toBe('better');
    expect(pairedDifference([0.4, 0.4, 0.5], [0.5, 0.6, 0.7]).verdict).toBe('worse');
  });

  it('find no difference where the interval holds 0, even when every arm alone is tight', () => {
    const d = pairedDifference([0.5, 0.3, 0.45], [0.4, 0.4, 0.4]);
    expect(d.mean - d.ci95).toBeLessThan(0);
    expect(d.mean + d.ci95).toBeGreaterThan(0);
    expect(d.verdict).toBe('no difference detectable');
  });

  it('call arms identical when every seed agrees exactly, and a constant shift a difference', () => {
    expect(pairedDifference([0.2, 0.7], [0.2, 0.7]).verdict).toBe('identical');
    const shifted = pairedDifference([0.3, 0.8], [0.2, 0.7]);
    expect(shifted.ci95).toBeCloseTo(0, 12);
    expect(shifted.verdict).toBe('better');
  });

  it('need two seeds, and equal numbers of them', () => {
    expect(pairedDifference([0.5], [0.4]).verdict).toBe('too few seeds');
    expect(() => pairedDifference([0.5, 0.6], [0.4])).toThrow(/pair them by seed/);
  });
});
