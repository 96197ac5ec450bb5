import type { InnerStepMetrics, IterationMetrics } from '../rl/metrics';

/** What an inner step measures, in the order of its columns (the iteration's means over its steps sit in the same order). */
export const INNER_METRIC_COLUMNS = [
  'objective',
  'kl',
  'clipLow',
  'clipHigh',
  'ratioMean',
  'ratioMin',
  'ratioMax',
  'ratioP95',
  'ess',
  'gradNorm',
] as const satisfies readonly (keyof InnerStepMetrics)[];

/**
 * Every number an iteration measures, in the order of a CSV's columns: all of IterationMetrics but the
 * per-inner-step list and the samples. `accuracy` is null on iterations that did not evaluate.
 */
export const METRIC_COLUMNS = [
  'iteration',
  'rewardMean',
  'rewardStd',
  'accuracy',
  'startAccuracy',
  'zeroStdGroups',
  'completionLength',
  'entropy',
  ...INNER_METRIC_COLUMNS,
  'wallMs',
  'tokensPerSecond',
  'samplesSeen',
  'elapsedMs',
] as const satisfies readonly Exclude<keyof IterationMetrics, 'inner' | 'samples'>[];

/** A config field's CSV column; one named like a metric (kl: the estimator, not the measured KL) is prefixed, so every column name is unique. */
export const configColumnName = (name: string): string => ((METRIC_COLUMNS as readonly string[]).includes(name) ? `config.${name}` : name);
