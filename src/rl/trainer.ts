import type { Gpu } from '../gpu/gpu';
import type { Recorder } from '../gpu/recorder';
import { Gather } from '../kernels/gather';
import { LogProb, type LogProbDims } from '../kernels/logprob';
import { PolicyLoss, type PolicyLossOutputs } from '../kernels/policy-loss';
import { Sampler } from '../kernels/sample';
import type { Activations } from '../model/activations';
import type { ModelConfig } from '../model/config';
import { Gpt, type OptimizerChoice } from '../model/gpt';
import type { Problem, Task } from '../tasks';
import { Mulberry32 } from '../util/rng';
import { computeAdvantages } from './advantages';
import { buildBatch, type TrajectoryBatch } from './batch';
import { greedyAccuracy } from './evaluate';
import type { RunConfig } from '../config/fields';
import { SEQ_STATS } from '../loss/codes';
import type { PolicyLossConfig } from '../loss/config';
import { mean, std } from '../util/stats';
import { type InnerStepMetrics, innerStepMetrics, type IterationMetrics, type SampleRecord, zeroStdFraction } from './metrics';
import { Rollout } from './rollout';

/**
 * What the trainer needs of a run's configuration: those fields of RunConfig, the loss fields gathered into
 * one PolicyLossConfig, and the completion length resolved against the task (maxCompletion 0 = the task's own).
 */
export type TrainerConfig = Pick<
  RunConfig,
  'advantage' | 'K' | 'G' | 'B' | 'M' | 'optimizer' | 'lr' | 'gradClip' | 'temperature' | 'reward' | 'iterations' | 'evalEvery' | 'seed'
> & {
  loss: PolicyLossConfig;
  /** Completion tokens sampled per trajectory (≤ the task's maxCompletion). */
  completionLength: number;
};

/** Training stopped because a gradient became NaN or infinite; the metrics so far stay valid. */
export class TrainingDivergedError extends Error {
  constructor(
    readonly iteration: number,
    readonly step: number,
    gradNorm: number,
  ) {
    super(
      `Training diverged at iteration ${iteration + 1}, inner step ${step + 1}: the gradient norm is ${gradNorm}. The weights were not updated with it. Lower the learning rate, turn on gradient-norm clipping, or lower ε_high / K, then start again.`,
    );
    this.name = 'TrainingDivergedError';
  }
}

const SAMPLES_KEPT = 6;

/**
 * What a trainer of the same config needs to go on exactly where this one stood between two iterations,
 * held on the CPU (device loss, docs/design.md §5). π_old needs nothing (each iteration starts by refreshing it
 * from π_θ) and π_ref is the base model.
 */
export interface TrainerSnapshot {
  iteration: number;
  samplesSeen: number;
  elapsedMs: number;
  promptRng: number;
  shuffleRng: number;
  policy: Float32Array<ArrayBuffer>;
  /** AdamW's moments (null for SGD, which has none to keep) and its bias-correction step count. */
  moments: { m: Float32Array<ArrayBuffer>; v: Float32Array<ArrayBuffer> } | null;
  optimizerSteps: number;
}

/** One iteration's trajectories, scored; their per-trajectory tensors are on the GPU too. */
export interface SampledBatch {
  problems: Problem[];
  /** [N][P]: each problem's prompt, repeated G times. */
  prompts: number[][];
  /** [N·Lc], PAD after EOS. */
  completions: Uint32Array;
  rewards: Float64Array;
  advantages: Float64Array;
  batch: TrajectoryBatch;
  /** π_old's mean token entropy on its samples. */
  entropy: Promise<number>;
}

/** The per-trajectory tensors of all N sampled trajectories, written once per iteration by score(). */
interface BatchBuffers {
  tokens: GPUBuffer; // u32 [N, T]
  targets: GPUBuffer; // u32 [N, T]
  mask: GPUBuffer; // [N, T]
  adv: GPUBuffer; // [N]
  logpOld: GPUBuffer; // [N, T]
  logpRef: GPUBuffer; // [N, T]
  lse: GPUBuffer; // [N, T] scratch of both scoring passes
  entropy: GPUBuffer; // [N, T] π_old's
}

/** One mini-batch of M trajectories, gathered from BatchBuffers by `rows`, and its log-probs under π_θ. */
interface MiniBatchBuffers {
  rows: GPUBuffer; // u32 [M] the mini-batch's row indices
  targets: GPUBuffer; // u32 [M, T]
  mask: GPUBuffer; // [M, T]
  adv: GPUBuffer; // [M]
  logpOld: GPUBuffer; // [M, T]
  logpRef: GPUBuffer; // [M, T]
  logp: GPUBuffer; // [M, T]
  lse: GPUBuffer; // [M, T]
}

/** Zero-filled f32/u32 buffers of the given element counts, labelled `label.name`. */
function buffers<K extends string>(gpu: Gpu, label: string, elements: Record<K, number>): Record<K, GPUBuffer> {
  const entries = Object.entries<number>(elements).map(([name, n]) => [name, gpu.zeros(n * 4, `${label}.${name}`)]);
  return Object.fromEntries(entries) as Record<K, GPUBuffer>;
}

/**
 * GRPO-style training on the GPU (docs/design.md §3). An iteration: B prompts × G completions sampled from
 * π_old; rewards and group advantages; log-probs under π_old and the frozen π_ref; K inner optimiser
 * steps on mini-batches of M trajectories (a seeded shuffle per pass); then π_old ← π_θ.
 */
export class GrpoTrainer {
  iteration = 0;
  private optimizerSteps = 0;
  private samplesSeen = 0;
  private startedAt = performance.now();
  private readonly promptRng: Mulberry32;
  private readonly shuffleRng: Mulberry32;
  private readonly N: number;
  private readonly P: number;
  private readonly T: number;
  private readonly all: BatchBuffers;
  private readonly mini: MiniBatchBuffers;
  /** What the loss writes for the mini-batch: coef, ratio, clip, kl [M, T]; seqStats [M, SEQ_STATS.width]. */
  private readonly lossOut: PolicyLossOutputs<GPUBuffer>;
  private readonly rollout: Rollout;
  private readonly evalRollout: Rollout;
  private readonly evalProblems: Problem[];

  private constructor(
    private readonly gpu: Gpu,
    private readonly task: Task,
    private readonly config: TrainerConfig,
    readonly policy: Gpt,
    private readonly old: Gpt,
    private readonly ref: Gpt,
    private readonly kernels: { logprob: LogProb; loss: PolicyLoss; sampler: Sampler; gather: Gather },
  ) {
    const { M } = config;
    this.N = config.B * config.G;
    this.P = task.promptLength;
    this.T = this.P + config.completionLength;
    this.promptRng = new Mulberry32(config.seed);
    this.shuffleRng = new Mulberry32((config.seed ^ 0x5bd1e995) >>> 0);
    const [NT, MT] = [this.N * this.T, M * this.T];
    this.all = buffers(gpu, 'all', { tokens: NT, targets: NT, mask: NT, adv: this.N, logpOld: NT, logpRef: NT, lse: NT, entropy: NT });
    this.mini = buffers(gpu, 'mini', { rows: M, targets: MT, mask: MT, adv: M, logpOld: MT, logpRef: MT, logp: MT, lse: MT });
    this.lossOut = buffers(gpu, 'loss', { coef: MT, ratio: MT, clip: MT, kl: MT, seqStats: SEQ_STATS.width * M });
    this.rollout = new Rollout(gpu, kernels.sampler, this.N, this.P, config.completionLength, policy);
    this.evalProblems = task.evalSet();
    this.evalRollout = new Rollout(gpu, kernels.sampler, this.evalProblems.length, this.P, task.maxCompletion, policy);
  }

  /** π_θ, π_old and π_ref all start from `base`, the parameters of a `model`-shaped checkpoint. */
  static async create(gpu: Gpu, task: Task, model: ModelConfig, base: Float32Array<ArrayBuffer>, c: TrainerConfig): Promise<GrpoTrainer> {
    if (c.completionLength < 1 || c.completionLength > task.maxCompletion)
      throw new Error(`completion length ${c.completionLength} must be in [1, ${task.maxCompletion}] for task ${task.name}`);
    if ((c.B * c.G) % c.M !== 0) throw new Error(`M = ${c.M} must divide N = B·G = ${c.B * c.G}`);
    if (model.maxSeqLen < task.seqLen || model.vocabSize !== task.vocab.length) {
      throw new Error(`The model (V=${model.vocabSize}, T=${model.maxSeqLen}) does not fit task ${task.name} (V=${task.vocab.length}, T=${task.seqLen})`);
    }
    const [policy, old, ref, logprob, loss, sampler, gather] = await Promise.all([
      Gpt.create(gpu, model, base, 'training'),
      Gpt.create(gpu, model, base, c.loss.level === 'none-at-old' ? 'gradients' : 'inference'), // No-IS takes the gradient at θ_old
      Gpt.create(gpu, model, base, 'inference'),
      LogProb.create(gpu),
      PolicyLoss.create(gpu),
      Sampler.create(gpu),
      Gather.create(gpu),
    ]);
    return new GrpoTrainer(gpu, task, c, policy, old, ref, { logprob, loss, sampler, gather });
  }

  private get logprobDims(): Omit<LogProbDims, 'R'> {
    return { T: this.T, V: this.policy.config.vocabSize, temperature: this.config.temperature };
  }

  /**
   * One iteration; measures held-out accuracy every evalEvery iterations and at the last, so that every
   * run's curve ends on a measured point. Throws TrainingDivergedError on a non-finite gradient.
   */
  async step(): Promise<IterationMetrics> {
    const started = performance.now();
    const it = this.iteration;
    const { G, K, M } = this.config;
    // The base model's accuracy, before the first update: where every run of this base starts.
    const startAccuracy = it === 0 ? await this.evaluate() : null;
    const sampled = await this.sample();
    const { inner, lastRatios } = await this.train(sampled, K);
    this.iteration++;
    this.samplesSeen += this.N;

    const accuracy = it % this.config.evalEvery === 0 || it === this.config.iterations - 1 ? await this.evaluate() : null;
    const wallMs = performance.now() - started;
    const { rewards, batch } = sampled;
    const avg = (key: keyof InnerStepMetrics) => mean(inner.map((m) => m[key]));
    return {
      iteration: it,
      rewardMean: mean(rewards),
      rewardStd: std(rewards),
      zeroStdGroups: zeroStdFraction(rewards, G),
      completionLength: mean(batch.lengths),
      entropy: await sampled.entropy,
      accuracy,
      startAccuracy,
      objective: avg('objective'),
      kl: avg('kl'),
      clipLow: avg('clipLow'),
      clipHigh: avg('clipHigh'),
      ratioMean: avg('ratioMean'),
      ratioMin: Math.min(...inner.map((m) => m.ratioMin)),
      ratioMax: Math.max(...inner.map((m) => m.ratioMax)),
      ratioP95: avg('ratioP95'),
      ess: avg('ess'),
      gradNorm: avg('gradNorm'),
      inner,
      samples: this.samples(sampled, lastRatios),
      wallMs,
      tokensPerSecond: (this.N * this.config.completionLength + K * M * this.T) / (wallMs / 1000),
      samplesSeen: this.samplesSeen,
      elapsedMs: performance.now() - this.startedAt,
    };
  }

  /**
   * Refreshes π_old ← π_θ, samples B prompts × G completions from it, scores them (rewards,
   * advantages, log-probs under π_old and π_ref) and leaves everything on the GPU for training.
   */
  async sample(): Promise<SampledBatch> {
    const { B, G } = this.config;
    const problems = Array.from({ length: B }, () => this.task.sample(this.promptRng.next));
    const prompts = problems.flatMap((p) => Array.from({ length: G }, () => p.prompt));
    const rec = this.gpu.recorder('rollout');
    rec.copy(this.policy.params, 0, this.old.params, 0, this.policy.params.size);
    this.rollout.record(rec, this.old, prompts, { temperature: this.config.temperature, seed: this.config.seed, stream: this.iteration });
    rec.submit();
    const completions = await this.rollout.read();
    const Lc = this.config.completionLength;
    const rewards = Float64Array.from({ length: this.N }, (_, i) =>
      this.task.reward(problems[Math.floor(i / G)]!, Array.from(completions.subarray(i * Lc, (i + 1) * Lc)), this.config.reward),
    );
    const advantages = computeAdvantages(rewards, G, this.config.advantage);
    const batch = buildBatch(prompts, completions, Lc);
    const entropy = this.score(batch, advantages);
    return { problems, prompts, completions, rewards, advantages, batch, entropy };
  }

  /** `steps` inner optimiser steps on mini-batches of the sampled batch (a seeded shuffle per pass). */
  async train(sampled: SampledBatch, steps: number): Promise<{ inner: InnerStepMetrics[]; lastRatios: Map<number, Float32Array> }> {
    const { M } = this.config;
    const inner: InnerStepMetrics[] = [];
    const lastRatios = new Map<number, Float32Array>();
    const pending: Promise<void>[] = [];
    let order = this.shuffledRows();
    for (let step = 0; step < steps; step++) {
      const start = (step * M) % this.N;
      if (start === 0 && step > 0) order = this.shuffledRows();
      pending.push(this.innerStep(this.iteration, step, sampled.batch, order.slice(start, start + M), inner, lastRatios));
    }
    await Promise.all(pending);
    return { inner, lastRatios };
  }

  /**
   * ∂L/∂θ of the full loss L = −(J_policy − β·J_KL) over every sampled trajectory at the current θ
   * (at θ_old for the No-IS ablation), left in policy.grads without an optimiser step. Needs M = N.
   */
  async gradient(sampled: SampledBatch): Promise<Float32Array<ArrayBuffer>> {
    if (this.config.M !== this.N) throw new Error(`gradient(): needs the mini-batch to be the whole batch (M = ${this.config.M}, N = ${this.N})`);
    const rows = Array.from({ length: this.N }, (_, i) => i);
    const rec = this.gpu.recorder('gradient');
    this.recordLossGradient(rec, sampled.batch, rows);
    rec.submit();
    return this.policy.readGrads();
  }

  /** Log-probs of every trajectory under π_old and π_ref; resolves to π_old's mean token entropy. */
  private score(batch: TrajectoryBatch, advantages: Float64Array): Promise<number> {
    const { N } = this;
    const a = this.all;
    const actsOld = this.old.arena(N, this.T);
    const actsRef = this.ref.arena(N, this.T);
    this.old.setBatch(actsOld, batch.tokens);
    this.ref.setBatch(actsRef, batch.tokens);
    this.gpu.write(a.tokens, batch.tokens); // the mini-batches' source: the arenas above may be reused for them
    this.gpu.write(a.targets, batch.targets);
    this.gpu.write(a.mask, batch.mask);
    this.gpu.write(a.adv, Float32Array.from(advantages));
    const dims = { R: N, ...this.logprobDims };
    const rec = this.gpu.recorder('score');
    this.old.forward(rec, actsOld);
    this.kernels.logprob.forward(rec, { logp: a.logpOld, lse: a.lse, entropy: a.entropy }, { logits: actsOld.logits, tokens: a.targets }, dims);
    this.ref.forward(rec, actsRef);
    this.kernels.logprob.forward(rec, { logp: a.logpRef, lse: a.lse }, { logits: actsRef.logits, tokens: a.targets }, dims);
    rec.submit();
    return this.gpu.readF32(a.entropy).then((h) => {
      let sum = 0;
      for (let i = 0; i < h.length; i++) sum += batch.mask[i]! * h[i]!;
      return (
        sum /
        Math.max(
          1,
          batch.mask.reduce((x, y) => x + y, 0),
        )
      );
    });
  }

  /** Records and submits one inner step; its metrics are read back without stalling the next one. */
  private innerStep(
    it: number,
    step: number,
    batch: TrajectoryBatch,
    rows: number[],
    inner: InnerStepMetrics[],
    lastRatios: Map<number, Float32Array>,
  ): Promise<void> {
    const { T } = this;
    const loss = this.config.loss;
    const rec = this.gpu.recorder('inner step');
    this.recordLossGradient(rec, batch, rows);
    this.policy.optimizerStep(rec, this.optimizerChoice(), this.config.gradClip);
    rec.submit();

    const mask = new Float32Array(rows.length * T);
    rows.forEach((r, i) => mask.set(batch.mask.subarray(r * T, (r + 1) * T), i * T));
    const read = (b: GPUBuffer) => this.gpu.readF32(b);
    const { ratio, clip, kl, seqStats } = this.lossOut;
    return Promise.all([read(ratio), read(clip), read(kl), read(seqStats), this.gpu.readF32(this.policy.gradNormOut, 0, 1)]).then(
      ([ratio, clip, kl, seqStats, norm]) => {
        const gradNorm = norm[0]!;
        if (!Number.isFinite(gradNorm)) throw new TrainingDivergedError(it, step, gradNorm);
        inner[step] = innerStepMetrics(loss.level, loss.beta, ratio, clip, kl, seqStats, mask, T, gradNorm);
        rows.forEach((r, i) => lastRatios.set(r, ratio.subarray(i * T, (i + 1) * T)));
      },
    );
  }

  /**
   * Records ∂L/∂θ of the loss on the trajectories `rows` into policy.grads: gather the mini-batch,
   * forward, per-token log-probs, the policy loss's coefficients, and backward from the logits.
   */
  private recordLossGradient(rec: Recorder, batch: TrajectoryBatch, rows: number[]): void {
    const { M } = this.config;
    const { T } = this;
    const loss = this.config.loss;
    const atOld = loss.level === 'none-at-old';
    const model = atOld ? this.old : this.policy; // No-IS: the gradient is taken at θ_old
    const acts: Activations = model.arena(M, T);
    const a = this.all;
    const m = this.mini;
    this.gpu.write(m.rows, Uint32Array.from(rows));
    const totalTokens = rows.reduce((s, r) => s + batch.lengths[r]!, 0);

    const { logprob, gather } = this.kernels;
    const gatherRows = (dst: GPUBuffer, src: GPUBuffer, rowLength: number) => gather.rows(rec, dst, src, m.rows, { M, rowLength });
    gatherRows(acts.tokens, a.tokens, T);
    for (const key of ['targets', 'mask', 'logpOld', 'logpRef'] as const) gatherRows(m[key], a[key], T);
    gatherRows(m.adv, a.adv, 1);
    const dims = { R: M, ...this.logprobDims };
    model.forward(rec, acts);
    logprob.forward(rec, { logp: m.logp, lse: m.lse }, { logits: acts.logits, tokens: m.targets }, dims);
    const { logp, logpOld, logpRef, mask, adv } = m;
    this.kernels.loss.forward(rec, this.lossOut, { logp, logpOld, logpRef, mask, adv }, { M, T, totalTokens, maxLen: this.config.completionLength }, loss);
    rec.clear(acts.grads.logits);
    logprob.backward(rec, acts.grads.logits, { coef: this.lossOut.coef, logits: acts.logits, lse: m.lse, tokens: m.targets, mask }, dims);
    model.zeroGrad(rec);
    model.backward(rec, acts);
    if (atOld) rec.copy(this.old.grads, 0, this.policy.grads, 0, this.policy.grads.size);
  }

  private optimizerChoice(): OptimizerChoice {
    const step = ++this.optimizerSteps;
    return this.config.optimizer === 'adamw'
      ? { kind: 'adamw', hyper: { lr: this.config.lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step } }
      : { kind: 'sgd', hyper: { lr: this.config.lr, weightDecay: 0 } };
  }

  /** A seeded permutation of the N trajectory rows. */
  private shuffledRows(): number[] {
    const order = Array.from({ length: this.N }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(this.shuffleRng.next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return order;
  }

  /** Greedy accuracy of π_θ on the task's held-out eval set (sparse reward). */
  evaluate(): Promise<number> {
    return greedyAccuracy(this.evalRollout, this.policy, this.task, this.evalProblems);
  }

  private samples({ problems, batch, rewards }: SampledBatch, lastRatios: Map<number, Float32Array>): SampleRecord[] {
    const { G } = this.config;
    const { P, T } = this;
    const kept: SampleRecord[] = [];
    for (let i = 0; i < Math.min(SAMPLES_KEPT, this.N); i++) {
      const n = batch.lengths[i]!;
      const completion = Array.from(batch.tokens.subarray(i * T + P, i * T + P + n));
      const ratios = lastRatios.get(i);
      kept.push({
        prompt: this.task.decode(problems[Math.floor(i / G)]!.prompt),
        completion: completion.map((t) => this.task.vocab[t] ?? '?'),
        reward: rewards[i]!,
        ratios: ratios ? Array.from(ratios.subarray(P - 1, P - 1 + n)) : null,
      });
    }
    return kept;
  }

  /** The three models' current parameters: π_θ, π_old (as of the last sample) and π_ref. */
  async readModels(): Promise<{ policy: Float32Array<ArrayBuffer>; old: Float32Array<ArrayBuffer>; ref: Float32Array<ArrayBuffer> }> {
    const [policy, old, ref] = await Promise.all([this.policy.readParams(), this.old.readParams(), this.ref.readParams()]);
    return { policy, old, ref };
  }

  /** Where this trainer stands; take it between iterations. */
  async snapshot(): Promise<TrainerSnapshot> {
    const state = {
      iteration: this.iteration,
      samplesSeen: this.samplesSeen,
      elapsedMs: performance.now() - this.startedAt,
      promptRng: this.promptRng.state,
      shuffleRng: this.shuffleRng.state,
      optimizerSteps: this.optimizerSteps,
    };
    const [policy, moments] = await Promise.all([this.policy.readParams(), this.config.optimizer === 'adamw' ? this.policy.readMoments() : null]);
    return { ...state, policy, moments };
  }

  /** Continues from `s`, the snapshot of a trainer of the same config (this one fresh from the same base model). */
  restore(s: TrainerSnapshot): void {
    this.policy.loadParams(s.policy);
    if (s.moments) this.policy.loadMoments(s.moments);
    this.optimizerSteps = s.optimizerSteps;
    this.iteration = s.iteration;
    this.samplesSeen = s.samplesSeen;
    this.startedAt = performance.now() - s.elapsedMs;
    this.promptRng.state = s.promptRng;
    this.shuffleRng.state = s.shuffleRng;
  }

  /** Frees every GPU buffer this trainer and its models, rollouts and loss kernel allocated; the kernels' pipelines are the device's. */
  destroy(): void {
    for (const group of [this.all, this.mini, this.lossOut]) for (const b of Object.values(group)) b.destroy();
    this.rollout.destroy();
    this.evalRollout.destroy();
    this.kernels.loss.destroy();
    for (const model of [this.policy, this.old, this.ref]) model.destroy();
  }
}
