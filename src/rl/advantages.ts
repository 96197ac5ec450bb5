import { ADVANTAGE_MODES, type AdvantageMode } from '../loss/config';

/** Added to the group's std before dividing (docs/design.md §3), so a nearly uniform group does not blow up. */
export const STD_EPSILON = 1e-4;

/**
 * Group-relative advantages (docs/design.md §3). `rewards` holds consecutive groups of G completions of
 * one prompt each; per group, `group-std`: Â = (r − mean)/(std + 1e-4) with the sample std (n − 1,
 * as TRL); `group-mean`: Â = r − mean (Dr.GRPO); `none`: Â = r. A group whose rewards are all
 * equal carries no signal and gets exactly 0 under both baselines (rounding in the mean would
 * otherwise leave residues of order 1e-13 that the zero-std metric could not see as zero).
 */
export function computeAdvantages(rewards: ArrayLike<number>, G: number, mode: AdvantageMode): Float64Array {
  const N = rewards.length;
  if (!Number.isInteger(G) || G < 1) throw new Error(`computeAdvantages: group size G must be a positive integer, got ${G}`);
  if (!ADVANTAGE_MODES.includes(mode)) throw new Error(`computeAdvantages: mode must be one of ${ADVANTAGE_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  if (N % G !== 0) throw new Error(`computeAdvantages: ${N} rewards do not split into groups of G = ${G} (${N} is not a multiple of ${G})`);
  for (let i = 0; i < N; i++) {
    if (!Number.isFinite(rewards[i])) throw new Error(`computeAdvantages: reward ${i} is ${rewards[i]}, not a finite number`);
  }
  const out = Float64Array.from(rewards);
  if (mode === 'none') return out;
  for (let g = 0; g < N; g += G) {
    const group = out.subarray(g, g + G); // [G]
    if (group.every((r) => r === group[0])) {
      group.fill(0);
      continue;
    }
    const mean = group.reduce((s, r) => s + r, 0) / G;
    const std = Math.sqrt(group.reduce((s, r) => s + (r - mean) ** 2, 0) / (G - 1)); // G ≥ 2 here: a single reward is a uniform group
    const divisor = mode === 'group-std' ? std + STD_EPSILON : 1;
    for (let i = 0; i < G; i++) group[i] = (group[i]! - mean) / divisor;
  }
  return out;
}
