import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lossConfig, makeRunConfig } from '../experiment/config';
import { createTrainer } from '../experiment/run';
import { openNodeGpu } from '../gpu/node';
import { encodeCheckpoint, littleEndianFloat32 } from '../model/checkpoint';
import { maxRelError } from '../reference/compare';
import { policyGradient, sampledBatchInputs } from '../reference/policy-gradient';
import { Args } from './args';
import { checkpointLoaderFromArgs } from './node-checkpoints';
import { runConfigFromArgs } from './run-config-args';

/**
 * `pg-check`: from the base checkpoint, sample one batch with π_old, take --drift inner steps so
 * that θ ≠ θ_old, then write θ_old, θ, π_ref, the trajectories, rewards, advantages and the kernels'
 * gradient of the full loss at θ, and compare that gradient with a float64 recomputation.
 */
export async function pgCheck(argv: string[]): Promise<{ worst: number; errors: Record<string, number>; drifted: number }> {
  const args = new Args('pg-check', argv);
  const drift = args.int('drift', 3, 0);
  const out = args.string('out');
  const given = runConfigFromArgs(args, {
    K: 'θ takes --drift inner steps',
    M: 'the gradient covers the whole batch (M = B·G)',
    iterations: 'it samples one batch',
    evalEvery: 'it measures no accuracy',
  });
  const load = checkpointLoaderFromArgs(args);
  args.done();
  // A small batch that is its own mini-batch, unless B or G are given: the gradient covers every trajectory.
  const B = args.has('B') ? given.B : 2;
  const G = args.has('G') ? given.G : 4;
  const config = makeRunConfig({ ...given, B, G, M: B * G });

  const gpu = await openNodeGpu();
  const { trainer, task } = await createTrainer(gpu, config, load);
  const sampled = await trainer.sample();
  await trainer.train(sampled, drift);
  const grads = await trainer.gradient(sampled);
  const models = await trainer.readModels();
  const model = trainer.policy.config;
  const layout = trainer.policy.layout;
  trainer.destroy();
  gpu.destroy();

  const { batch } = sampled;
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'theta.ckpt'), encodeCheckpoint(model, models.policy, { role: 'θ after drift steps', drift }));
  writeFileSync(join(out, 'theta_old.ckpt'), encodeCheckpoint(model, models.old, { role: 'θ_old: sampled the trajectories' }));
  writeFileSync(join(out, 'ref.ckpt'), encodeCheckpoint(model, models.ref, { role: 'π_ref: the frozen base model' }));
  const rows = <T>(a: ArrayLike<T>, n: number) => Array.from({ length: batch.N }, (_, i) => Array.from({ length: n }, (_, j) => a[i * n + j]!));
  writeFileSync(
    join(out, 'trajectories.json'),
    JSON.stringify({
      task: task.name,
      vocab: task.vocab,
      N: batch.N,
      P: batch.P,
      Lc: batch.Lc,
      T: batch.T,
      temperature: config.temperature,
      maxLen: batch.Lc,
      loss: lossConfig(config),
      advantageMode: config.advantage,
      tokens: rows(batch.tokens, batch.T),
      targets: rows(batch.targets, batch.T),
      mask: rows(batch.mask, batch.T),
      lengths: Array.from(batch.lengths),
      rewards: Array.from(sampled.rewards),
      advantages: Array.from(sampled.advantages),
    }),
  );
  writeFileSync(join(out, 'grads.bin'), littleEndianFloat32(grads));

  const reference = policyGradient(sampledBatchInputs(model, models, sampled, config.temperature, lossConfig(config)));
  const errors: Record<string, number> = {};
  for (const t of layout.tensors)
    errors[t.name] = maxRelError(grads.subarray(t.offset, t.offset + t.size), reference.grads.subarray(t.offset, t.offset + t.size));
  const worst = Math.max(...Object.values(errors));
  console.error(`pg-check: wrote ${out}/{theta,theta_old,ref}.ckpt, trajectories.json, grads.bin`);
  console.error(
    `pg-check: ${config.algo}, ${drift} drift steps, N=${batch.N}; float64 objective ${reference.objective.toFixed(6)}; worst per-tensor gradient max rel err ${worst.toExponential(2)}`,
  );
  const drifted = maxRelError(models.policy, models.old);
  console.log(JSON.stringify({ algo: config.algo, drift, worstGradientError: worst, objective: reference.objective, thetaVsOld: drifted }));
  return { worst, errors, drifted };
}
