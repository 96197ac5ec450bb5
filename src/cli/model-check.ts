import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openNodeGpu } from '../gpu/node';
import { isModelPreset, MODEL_PRESETS, modelConfig } from '../model/config';
import { littleEndianFloat32 } from '../model/checkpoint';
import { Gpt } from '../model/gpt';
import { initParameters } from '../model/init';
import { parameterLayout } from '../model/layout';
import { maxRelError } from '../reference/compare';
import { crossEntropyLogitGrad, gptBackward, gptForward } from '../reference/gpt';
import { uniformRng } from '../util/rng';
import { Args } from './args';

export interface ModelCheckResult {
  loss: number;
  referenceLoss: number;
  /** Max relative error of each parameter's gradient against the float64 reference. */
  gradientErrors: Record<string, number>;
}

/**
 * `model-check`: one forward and backward of the GPT on the default adapter, written out so any
 * framework can recompute it (format in the README), then compared with the float64 reference.
 */
export async function modelCheck(argv: string[]): Promise<ModelCheckResult> {
  const args = new Args('model-check', argv);
  const preset = args.string('preset', 'tiny');
  if (!isModelPreset(preset)) throw new Error(`model-check: --preset must be one of ${Object.keys(MODEL_PRESETS).join(', ')}, got "${preset}"`);
  const B = args.int('batch', 2, 1);
  const T = args.int('seq', 8, 1);
  const V = args.int('vocab', 16, 2);
  const seed = args.int('seed', 1);
  const out = args.string('out');
  args.done();

  const config = modelConfig(preset, V, T);
  const layout = parameterLayout(config);
  const params = initParameters(config, layout, seed);
  const data = uniformRng(seed + 1);
  const tokens = Uint32Array.from({ length: B * T }, () => Math.floor(data() * V));
  const targets = Uint32Array.from({ length: B * T }, () => Math.floor(data() * V));

  const gpu = await openNodeGpu();
  const gpt = await Gpt.create(gpu, config, params);
  const acts = gpt.arena(B, T);
  gpt.setBatch(acts, tokens, targets);
  const rec = gpu.recorder('model-check');
  gpt.supervisedGradient(rec, acts, B * T);
  rec.submit();
  const [losses, grads] = await Promise.all([gpu.readF32(acts.losses), gpt.readGrads()]);
  gpt.destroy();
  gpu.destroy();
  const loss = losses.reduce((a, b) => a + b, 0) / (B * T);

  mkdirSync(out, { recursive: true });
  const rows = (a: Uint32Array) => Array.from({ length: B }, (_, b) => Array.from(a.subarray(b * T, (b + 1) * T)));
  writeFileSync(
    join(out, 'layout.json'),
    JSON.stringify({ config, total: layout.total, tensors: layout.tensors.map(({ name, offset, shape }) => ({ name, offset, shape })) }, null, 1),
  );
  writeFileSync(join(out, 'params.bin'), littleEndianFloat32(params));
  writeFileSync(join(out, 'tokens.json'), JSON.stringify({ B, T, inputs: rows(tokens), targets: rows(targets) }));
  writeFileSync(join(out, 'loss.json'), JSON.stringify({ loss, reduction: 'mean cross-entropy over all B·T positions', adapter: gpu.adapter }));
  writeFileSync(join(out, 'grads.bin'), littleEndianFloat32(grads));

  const p64 = Float64Array.from(params);
  const fwd = gptForward(config, p64, tokens, targets, B, T);
  const want = gptBackward(config, p64, fwd, tokens, crossEntropyLogitGrad(config, fwd, targets));
  const gradientErrors: Record<string, number> = {};
  for (const t of layout.tensors) gradientErrors[t.name] = maxRelError(grads.subarray(t.offset, t.offset + t.size), want.subarray(t.offset, t.offset + t.size));
  const worst = Math.max(...Object.values(gradientErrors));
  console.error(`model-check: wrote ${out}/{layout.json,params.bin,tokens.json,loss.json,grads.bin}`);
  console.error(
    `model-check: loss ${loss.toFixed(6)} (float64 reference ${fwd.loss.toFixed(6)}); worst gradient max rel err ${worst.toExponential(2)} over ${layout.tensors.length} tensors`,
  );
  console.log(JSON.stringify({ loss, referenceLoss: fwd.loss, worstGradientError: worst }));
  return { loss, referenceLoss: fwd.loss, gradientErrors };
}
