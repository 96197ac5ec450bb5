// Charts that are flat by construction for an arm: what its config makes constant whatever it learns. Such
// an arm's line is not drawn (a line at 1 or 0 would read as a measurement); the chart says why instead.
import type { RunConfig } from '../../config/fields';

/** Why a chart is flat for an arm of this config, or null where it is not. */
export type FlatRule = (config: RunConfig) => string | null;

/** Every importance ratio is 1, so the ratios, their ESS and the clip fractions are constant. */
export const ratiosAreOne: FlatRule = (config) => {
  if (config.level === 'none-at-old') return 'No-IS: the gradient is taken at θ_old, so every ratio is 1 by definition';
  if (config.K === 1) return 'K = 1: θ = θ_old at every step';
  return null;
};

/** Nothing is clipped below: ratios of 1, or the trajectory level, whose weight is clipped from above only. */
export const neverClipsLow: FlatRule = (config) =>
  ratiosAreOne(config) ?? (config.level === 'trajectory' ? 'trajectory level: the weight is clipped from above only' : null);

/** Each arm the rule holds for, by label, with why; none without a rule. An arm `arms` lacks is never flat. */
export function flatArms(rule: FlatRule | undefined, labels: readonly string[], arms: ReadonlyMap<string, { config: RunConfig }>): Map<string, string> {
  const flat = new Map<string, string>();
  if (!rule) return flat;
  for (const label of labels) {
    const config = arms.get(label)?.config;
    const reason = config && rule(config);
    if (reason) flat.set(label, reason);
  }
  return flat;
}

/** "flat by construction for GRPO, TIC-GRPO (K = 1: θ = θ_old at every step)", arms grouped by reason; '' when none is flat. */
export function flatNote(flat: ReadonlyMap<string, string>): string {
  const byReason = new Map<string, string[]>();
  for (const [label, reason] of flat) byReason.set(reason, [...(byReason.get(reason) ?? []), label]);
  const parts = [...byReason].map(([reason, labels]) => `${labels.join(', ')} (${reason})`);
  return parts.length > 0 ? `flat by construction for ${parts.join('; for ')}` : '';
}
