import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseCheckpointName, CHECKPOINT_DIR } from '../experiment/checkpoints';
import { openNodeGpu } from '../gpu/node';
import { encodeCheckpoint } from '../model/checkpoint';
import { isModelPreset, MODEL_PRESETS, modelConfig } from '../model/config';
import { initParameters } from '../model/init';
import { parameterLayout } from '../model/layout';
import { supervisedWarmup } from '../rl/warmup';
import { isTaskName, makeTask, TASK_NAMES } from '../tasks';
import { Args } from './args';

const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

/**
 * `make-checkpoints`: for each task, a supervised warm-up of a freshly initialised GPT with the
 * project's kernels, stopped at a weak but non-zero held-out greedy accuracy; saved to
 * public/checkpoints/<task>-<model>.ckpt with how it was made in the header's meta.
 */
export async function makeCheckpoints(argv: string[]): Promise<void> {
  const args = new Args('make-checkpoints', argv);
  const tasks = args.list('tasks', TASK_NAMES.join(','));
  const model = args.string('model', 'tiny');
  const seed = args.int('seed', 1);
  const batch = args.int('batch', 32, 1);
  const lr = Number(args.string('lr', '0.003'));
  const minAccuracy = Number(args.string('min-accuracy', '0.1'));
  const maxAccuracy = Number(args.string('max-accuracy', '0.4'));
  const evalEvery = args.int('eval-every', 20, 1);
  const maxSteps = args.int('max-steps', 3000, 1);
  const out = args.string('out', join(PUBLIC_DIR, CHECKPOINT_DIR));
  args.done();
  if (!isModelPreset(model)) throw new Error(`make-checkpoints: --model must be one of ${Object.keys(MODEL_PRESETS).join(', ')}`);
  for (const t of tasks) if (!isTaskName(t)) throw new Error(`make-checkpoints: unknown task "${t}" (known: ${TASK_NAMES.join(', ')})`);
  if (!(lr > 0) || !(minAccuracy > 0 && minAccuracy <= maxAccuracy && maxAccuracy <= 1))
    throw new Error('make-checkpoints: need lr > 0 and 0 < min-accuracy ≤ max-accuracy ≤ 1');

  const gpu = await openNodeGpu();
  mkdirSync(out, { recursive: true });
  for (const name of tasks) {
    if (!isTaskName(name)) continue;
    const task = makeTask(name);
    const config = modelConfig(model, task.vocab.length, task.seqLen);
    const started = performance.now();
    const result = await supervisedWarmup(gpu, task, config, initParameters(config, parameterLayout(config), seed), {
      batch,
      lr,
      minAccuracy,
      maxAccuracy,
      evalEvery,
      maxSteps,
      seed,
      log: (line) => console.error(line),
    });
    const meta = {
      task: name,
      model,
      seed,
      batch,
      lr,
      steps: result.steps,
      heldOutGreedyAccuracy: result.accuracy,
      evalSize: task.evalSet().length,
      history: result.history,
      adapter: gpu.adapter.description || gpu.adapter.architecture,
      made: new Date().toISOString(),
      seconds: Math.round((performance.now() - started) / 1000),
    };
    const file = join(out, baseCheckpointName(name, model));
    writeFileSync(file, encodeCheckpoint(config, result.params, meta));
    console.log(JSON.stringify({ checkpoint: file, task: name, model, steps: result.steps, accuracy: result.accuracy, seconds: meta.seconds }));
  }
  gpu.destroy();
}
