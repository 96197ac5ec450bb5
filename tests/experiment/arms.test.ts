import { describe, expect, it } from 'vitest';
import { armConfig, armLabels, armsOfGrid } from '../../src/experiment/arms';
import { makeRunConfig } from '../../src/experiment/config';
import { PRESETS } from '../../src/loss/presets';

const base = makeRunConfig({ task: 'reverse', K: 4, seed: 3 });

describe('arms', () => {
  it('train with the base, their preset over the loss fields, then their overrides', () => {
    const config = armConfig(base, { algo: 'tic-grpo', overrides: { clipMode: 'zero-grad', K: 1 } });
    expect(config).toMatchObject({ ...PRESETS['tic-grpo'].loss, clipMode: 'zero-grad', algo: 'tic-grpo', K: 1, task: 'reverse', seed: 3 });
    expect(() => armConfig(base, { algo: 'grpo', overrides: { K: 0 } })).toThrow(/K: must be an integer in \[1, 64\]/);
  });

  it('are labelled by their preset and what they change, repeats told apart', () => {
    const labels = armLabels(
      [
        { algo: 'grpo', overrides: {} },
        { algo: 'grpo', overrides: { K: 1 } },
        { algo: 'tic-grpo', overrides: { clipMode: 'zero-grad', epsHigh: 0.5 } },
        // What the preset sets anyway is not news.
        { algo: 'tic-grpo', overrides: { level: 'trajectory' } },
        { algo: 'grpo', overrides: {} },
      ],
      base,
    );
    expect(labels).toEqual(['GRPO', 'GRPO K=1', 'TIC-GRPO ε_high=0.5 zero-grad', 'TIC-GRPO', 'GRPO #2']);
  });

  it("of a sweep's grid are its points without the seed, labelled by what varies", () => {
    const grid = ['grpo', 'tic-grpo'].flatMap((algo) =>
      [1, 4].flatMap((K) => [1, 2, 3].map((seed) => makeRunConfig({ ...base, ...PRESETS[algo as 'grpo'].loss, algo: algo as 'grpo', K, seed }))),
    );
    const arms = armsOfGrid(grid);
    expect(arms.map((a) => a.label)).toEqual(['GRPO K=1', 'GRPO K=4', 'TIC-GRPO K=1', 'TIC-GRPO K=4']);
    expect(arms.map((a) => a.configs.map((c) => c.seed))).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(arms[2]!.arm).toEqual({ algo: 'tic-grpo', overrides: expect.objectContaining({ K: 1, level: 'trajectory' }) });
  });
});
