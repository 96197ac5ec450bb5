import type { Gpu } from '../gpu/gpu';
import { Sampler } from '../kernels/sample';
import { Gpt } from '../model/gpt';
import { Rollout } from '../rl/rollout';
import type { BenchSession, Implementation } from './implementation';
import type { BenchProblem } from './problem';

async function open(gpu: Gpu, problem: BenchProblem): Promise<BenchSession> {
  const { B, T, adam, sampling: s } = problem;
  const [gpt, sampler] = await Promise.all([Gpt.create(gpu, problem.config, problem.initial), Sampler.create(gpu)]);
  const acts = gpt.arena(B, T);
  gpt.setBatch(acts, problem.tokens, problem.targets);
  const rollout = new Rollout(gpu, sampler, s.rows, s.promptLength, s.newTokens, gpt);
  const prompts = Array.from({ length: s.rows }, (_, r) => Array.from(s.prompts.subarray(r * s.promptLength, (r + 1) * s.promptLength)));
  let step = 0;
  return {
    async trainStep() {
      const rec = gpu.recorder('bench step');
      gpt.supervisedGradient(rec, acts, B * T);
      gpt.optimizerStep(rec, { kind: 'adamw', hyper: { ...adam, weightDecay: 0, step: ++step } }, 0);
      rec.submit();
      const losses = await gpu.readF32(acts.losses);
      return losses.reduce((a, b) => a + b, 0) / losses.length;
    },
    sample: (round) => rollout.generate(gpt, prompts, { temperature: s.temperature, seed: 1, stream: round }),
    dispose: () => {
      rollout.destroy();
      gpt.destroy();
    },
  };
}

/** This project's WGSL kernels (src/model/gpt.ts), with the KV-cache rollout the RL loop samples with. */
export function oursImplementation(gpu: Gpu): Implementation {
  return {
    name: 'ours',
    description: 'GRPO Lab: hand-written WGSL kernels, one command buffer per step',
    decoding: 'KV cache, prompts prefilled in one pass (the last layer past its qkv on the last position only); all rows together, one command buffer',
    open: (problem) => open(gpu, problem),
  };
}
