import type { Gpu } from '../gpu/gpu';
import { IGNORE_TARGET } from '../kernels/crossentropy';
import { Sampler } from '../kernels/sample';
import type { ModelConfig } from '../model/config';
import { Gpt } from '../model/gpt';
import { PAD, type Task } from '../tasks';
import { uniformRng } from '../util/rng';
import { greedyAccuracy } from './evaluate';
import { Rollout } from './rollout';

export interface WarmupOptions {
  batch: number;
  lr: number;
  /** Stop at the first evaluation whose held-out greedy accuracy reaches this... */
  minAccuracy: number;
  /** ...unless it is above this: then go back to the last snapshot and continue with half the learning rate. */
  maxAccuracy: number;
  evalEvery: number;
  maxSteps: number;
  seed: number;
  log?: (line: string) => void;
}

export interface WarmupResult {
  params: Float32Array<ArrayBuffer>;
  steps: number;
  accuracy: number;
  /** Held-out accuracy at every evaluation, with its step. */
  history: { step: number; accuracy: number; loss: number }[];
}

/**
 * A short supervised warm-up with the project's kernels: cross-entropy on correct completions only
 * (prompt positions are ignored), stopped at a weak but non-zero held-out greedy accuracy so that RL
 * has room to act (docs/design.md §4).
 */
export async function supervisedWarmup(gpu: Gpu, task: Task, config: ModelConfig, initial: Float32Array<ArrayBuffer>, o: WarmupOptions): Promise<WarmupResult> {
  const gpt = await Gpt.create(gpu, config, initial);
  const evalSet = task.evalSet();
  const rollout = new Rollout(gpu, await Sampler.create(gpu), evalSet.length, task.promptLength, task.maxCompletion, gpt);
  const acts = gpt.arena(o.batch, task.seqLen);
  const rng = uniformRng(o.seed);
  const history: WarmupResult['history'] = [];
  let snapshot = { params: initial, step: 0 };
  let lr = o.lr;
  let adamStep = 0;
  try {
    for (let step = 1; step <= o.maxSteps; step++) {
      const { tokens, targets, counted } = supervisedBatch(task, o.batch, rng);
      gpt.setBatch(acts, tokens, targets);
      const rec = gpu.recorder('warm-up step');
      gpt.supervisedGradient(rec, acts, counted);
      gpt.optimizerStep(rec, { kind: 'adamw', hyper: { lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step: ++adamStep } }, 1);
      rec.submit();
      if (step % o.evalEvery !== 0) continue;

      const losses = await gpu.readF32(acts.losses);
      const loss = losses.reduce((s, x, i) => (targets[i] === IGNORE_TARGET ? s : s + x), 0) / counted;
      const accuracy = await greedyAccuracy(rollout, gpt, task, evalSet);
      history.push({ step, accuracy, loss });
      o.log?.(`${task.name}: step ${step} loss ${loss.toFixed(4)} held-out greedy accuracy ${(100 * accuracy).toFixed(1)}%`);
      if (accuracy > o.maxAccuracy) {
        o.log?.(`${task.name}: overshot ${(100 * o.maxAccuracy).toFixed(0)}%; back to step ${snapshot.step} with learning rate ${lr / 2}`);
        gpt.loadParams(snapshot.params);
        lr /= 2;
        adamStep = 0;
        continue;
      }
      if (accuracy >= o.minAccuracy) return { params: await gpt.readParams(), steps: step, accuracy, history };
      snapshot = { params: await gpt.readParams(), step };
    }
    throw new Error(
      `${task.name}: held-out accuracy did not reach ${(100 * o.minAccuracy).toFixed(0)}% within ${o.maxSteps} steps (last: ${history.at(-1)?.accuracy ?? 'never evaluated'})`,
    );
  } finally {
    rollout.destroy();
    gpt.destroy();
  }
}

/** `batch` fresh training problems with their solutions: loss on the completion tokens only. */
function supervisedBatch(task: Task, batch: number, rng: () => number) {
  const T = task.seqLen;
  const P = task.promptLength;
  const tokens = new Uint32Array(batch * T).fill(PAD);
  const targets = new Uint32Array(batch * T).fill(IGNORE_TARGET);
  let counted = 0;
  for (let b = 0; b < batch; b++) {
    const problem = task.sample(rng);
    const solution = task.solution(problem, rng);
    const row = [...problem.prompt, ...solution];
    tokens.set(row, b * T);
    for (let j = 0; j < solution.length; j++) targets[b * T + P - 1 + j] = solution[j]!;
    counted += solution.length;
  }
  return { tokens, targets, counted };
}
