import { describe, expect, it } from 'vitest';
import { LEGEND_TICKS, RATIO_SPAN, ratioColor, ratioPosition } from '../../src/ui/samples/ratio-scale';

describe('the importance-ratio colour scale', () => {
  it('is white at 1, symmetric in log ratio, and saturates beyond its span', () => {
    expect(ratioColor(1)).toBe('rgb(255, 255, 255)');
    expect(ratioPosition(1.2)).toBeCloseTo(-ratioPosition(1 / 1.2), 12);
    expect(ratioPosition(RATIO_SPAN)).toBe(1);
    expect(ratioColor(100)).toBe(ratioColor(RATIO_SPAN));
    expect(ratioColor(1 / 100)).toBe(ratioColor(1 / RATIO_SPAN));
    expect(ratioPosition(0)).toBe(-1);
  });

  it('runs blue below 1 and red above, deepening away from 1', () => {
    const rgb = (r: number) => ratioColor(r).match(/\d+/g)!.map(Number) as [number, number, number];
    const [r1, , b1] = rgb(0.8);
    const [r2, , b2] = rgb(1.25);
    expect(b1).toBeGreaterThan(r1);
    expect(r2).toBeGreaterThan(b2);
    expect(rgb(1.4)[1]).toBeLessThan(rgb(1.1)[1]);
  });

  it('labels the legend from 1/span to span through 1', () => {
    expect(LEGEND_TICKS[0]).toBeCloseTo(1 / RATIO_SPAN);
    expect(LEGEND_TICKS[2]).toBe(1);
    expect(LEGEND_TICKS.at(-1)).toBe(RATIO_SPAN);
  });
});
