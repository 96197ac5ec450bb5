import { describe, expect, it } from 'vitest';
import { CLIP_CODE, SEQ_STATS } from '../../src/loss/codes';
import { effectiveSampleFraction, innerStepMetrics } from '../../src/rl/metrics';

describe('the effective sample size of importance weights', () => {
  it('is (Σw)²/(n·Σw²): 1 for equal weights, 1/n when one weight carries all', () => {
    expect(effectiveSampleFraction([0.7, 0.7, 0.7])).toBeCloseTo(1, 12);
    expect(effectiveSampleFraction([2, 0, 0, 0])).toBeCloseTo(0.25, 12);
    // ŵ = (0.5, 1.5): mean(ŵ²) = 1.25.
    expect(effectiveSampleFraction([1, 3])).toBeCloseTo(1 / 1.25, 12);
    expect(effectiveSampleFraction([])).toBeNaN();
  });
});

describe("an inner step's metrics", () => {
  it('give the smallest ratio beside the largest, and the ESS, over counted tokens only', () => {
    // Two sequences of three positions; the last position of the second is after EOS (mask 0, ratio 9 ignored).
    const ratio = Float32Array.from([0.5, 1, 2, 1, 1, 9]);
    const clip = Float32Array.from([CLIP_CODE.low, 0, CLIP_CODE.high, 0, 0, 0]);
    const kl = new Float32Array(6);
    const mask = Float32Array.from([1, 1, 1, 1, 1, 0]);
    const seqStats = new Float32Array(2 * SEQ_STATS.width);
    const m = innerStepMetrics('token', 0, ratio, clip, kl, seqStats, mask, 3, 1);
    expect(m.ratioMin).toBe(0.5);
    expect(m.ratioMax).toBe(2);
    expect(m.clipLow).toBeCloseTo(1 / 5, 7);
    expect(m.clipHigh).toBeCloseTo(1 / 5, 7);
    expect(m.ess).toBeCloseTo(effectiveSampleFraction([0.5, 1, 2, 1, 1]), 6);
  });
});
