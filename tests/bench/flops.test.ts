import { describe, expect, it } from 'vitest';
import { forwardFlops, trainStepFlops } from '../../src/bench/flops';

describe('the FLOP count of a training step', () => {
  it('matches a count of every matrix product for one small config', () => {
    // D=4, L=1, H=2, V=3, one sequence of T=2 tokens: each product [m×k]·[k×n] costs 2·m·k·n.
    const config = { vocabSize: 3, maxSeqLen: 2, dim: 4, layers: 1, heads: 2 };
    const products: [number, number, number][] = [
      [2, 4, 12], // QKV
      [2, 4, 4], // attention output projection
      [2, 4, 16], // MLP up
      [2, 16, 4], // MLP down
      [2, 4, 3], // LM head
      // causal attention per head (hd = 2): the query at position t meets t + 1 keys, in QKᵀ and in A·V
      ...[0, 1].flatMap((t): [number, number, number][] => [
        [1, 2, t + 1],
        [1, t + 1, 2],
        [1, 2, t + 1],
        [1, t + 1, 2],
      ]),
    ];
    const byHand = products.reduce((sum, [m, k, n]) => sum + 2 * m * k * n, 0);
    expect(byHand).toBe(864);
    expect(forwardFlops(config, 1, 2)).toBe(byHand);
    expect(trainStepFlops(config, 1, 2)).toBe(3 * byHand);
  });

  it('grows linearly with the batch', () => {
    const config = { vocabSize: 16, maxSeqLen: 16, dim: 64, layers: 2, heads: 4 };
    expect(forwardFlops(config, 64, 16)).toBe(64 * forwardFlops(config, 1, 16));
  });
});
