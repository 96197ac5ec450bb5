import type { IterationMetrics } from '../rl/metrics';

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
  'wallMs',
  'tokensPerSecond',
  'samplesSeen',
  'elapsedMs',
] as const satisfies readonly Exclude<keyof IterationMetrics, 'inner' | 'samples'>[];

/** A config field's CSV column; one named like a metric (kl: the estimator, not the measured KL) is prefixed, so every column name is unique. */
export const configColumnName = (name: string): string => ((METRIC_COLUMNS as readonly string[]).includes(name) ? `config.${name}` : name);
