import type { ModelPreset } from '../model/config';

/** Where the run happened: the first result of every run. */
export interface SetupResult {
  bench: 'setup';
  mode: 'node' | 'browser';
  adapter: string;
  /** The JavaScript host: Node's version or the browser's user agent. */
  host: string;
  date: string;
  implementations: { name: string; description: string }[];
}

/** One forward + backward + Adam step on B×T tokens. */
export interface TrainStepResult {
  bench: 'train-step';
  impl: string;
  preset: ModelPreset;
  B: number;
  T: number;
  params: number;
  msPerStep: number;
  tokensPerSecond: number;
  gflopPerSecond: number;
  dispatches: number;
  /** The loss of the first step, and of the last: the same computation gives the same numbers in every implementation. */
  firstLoss: number;
  lastLoss: number;
  runs: number;
}

/** Decoding newTokens tokens after a prompt, for all rows at once. */
export interface SamplingResult {
  bench: 'sampling';
  impl: string;
  preset: ModelPreset;
  rows: number;
  promptLength: number;
  newTokens: number;
  decoding: string;
  msPerRollout: number;
  tokensPerSecond: number;
  dispatches: number;
  runs: number;
}

/** One GRPO iteration of the RL loop with the default run configuration, split into its phases. */
export interface RlIterationResult {
  bench: 'rl-iteration';
  impl: 'ours';
  preset: ModelPreset;
  task: string;
  /** Trajectories sampled (B·G), completion tokens each, inner steps K on mini-batches of M. */
  N: number;
  completionLength: number;
  K: number;
  M: number;
  samplingMs: number;
  scoringMs: number;
  innerStepsMs: number;
  /** The iteration: sampling, scoring and inner steps. */
  totalMs: number;
  /** One held-out evaluation (greedy decoding of the eval set, every evalEvery iterations), not part of totalMs. */
  evalMs: number;
  evalProblems: number;
  runs: number;
}

/** Ours ÷ a peer, in tokens/s (> 1: ours is faster). */
export interface RatioResult {
  bench: 'ratio';
  preset: ModelPreset;
  peer: string;
  trainStep: number | null;
  sampling: number | null;
}

export type BenchResult = SetupResult | TrainStepResult | SamplingResult | RlIterationResult | RatioResult;

/** Ours against every peer measured on the same preset. */
export function ratios(preset: ModelPreset, results: readonly BenchResult[]): RatioResult[] {
  const speed = (bench: 'train-step' | 'sampling', impl: string) => {
    const r = results.find((x): x is TrainStepResult | SamplingResult => x.bench === bench && x.preset === preset && x.impl === impl);
    return r?.tokensPerSecond;
  };
  const peers = [
    ...new Set(results.flatMap((r) => ((r.bench === 'train-step' || r.bench === 'sampling') && r.preset === preset && r.impl !== 'ours' ? [r.impl] : []))),
  ];
  const ratio = (bench: 'train-step' | 'sampling', peer: string) => {
    const ours = speed(bench, 'ours');
    const theirs = speed(bench, peer);
    return ours !== undefined && theirs !== undefined ? ours / theirs : null;
  };
  return peers.map((peer) => ({ bench: 'ratio', preset, peer, trainStep: ratio('train-step', peer), sampling: ratio('sampling', peer) }));
}
