import type { Gpu } from '../gpu/gpu';
import { openNodeGpu } from '../gpu/node';
import { isModelPreset, MODEL_PRESETS, type ModelPreset, modelConfig } from '../model/config';
import { Gpt } from '../model/gpt';
import { initParameters } from '../model/init';
import { parameterLayout } from '../model/layout';
import { uniformRng } from '../util/rng';
import { Args } from './args';

/** The batch (sequences × length) each preset is timed at: the same token counts the peers were measured with. */
export const BENCH_SHAPES: Record<ModelPreset, { B: number; T: number }> = {
  tiny: { B: 64, T: 16 },
  small: { B: 32, T: 32 },
  medium: { B: 16, T: 64 },
};

export interface TrainStepResult {
  preset: ModelPreset;
  B: number;
  T: number;
  params: number;
  msPerStep: number;
  /** Compute dispatches recorded per step. */
  dispatches: number;
  tokensPerSecond: number;
  runs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median wall time of one forward + backward + AdamW step, loss read back each step (so the GPU has finished). */
async function timeTrainStep(gpu: Gpu, preset: ModelPreset, vocab: number, warmup: number, runs: number): Promise<TrainStepResult> {
  const { B, T } = BENCH_SHAPES[preset];
  const config = modelConfig(preset, vocab, T);
  const layout = parameterLayout(config);
  const gpt = await Gpt.create(gpu, config, initParameters(config, layout, 1));
  const acts = gpt.arena(B, T);
  const data = uniformRng(2);
  const tokens = Uint32Array.from({ length: B * T }, () => Math.floor(data() * vocab));
  gpt.setBatch(acts, tokens, tokens);
  const times: number[] = [];
  let dispatches = 0;
  for (let i = 1; i <= warmup + runs; i++) {
    const start = performance.now();
    const rec = gpu.recorder('bench step');
    gpt.supervisedGradient(rec, acts, B * T);
    gpt.optimizerStep(rec, { kind: 'adamw', hyper: { lr: 1e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step: i } }, 1);
    rec.submit();
    dispatches = rec.dispatches;
    await gpu.readF32(acts.losses, 0, 1);
    if (i > warmup) times.push(performance.now() - start);
  }
  gpt.destroy();
  const ms = median(times);
  return { preset, B, T, params: layout.count, msPerStep: ms, dispatches, tokensPerSecond: (B * T) / (ms / 1000), runs };
}

/** `bench`: a table of training-step times per preset on the default adapter (`--json` for one JSON line per result). */
export async function bench(argv: string[]): Promise<void> {
  const args = new Args('bench', argv);
  const presets = args.list('presets', Object.keys(MODEL_PRESETS).join(','));
  const runs = args.int('runs', 10, 1);
  const warmup = args.int('warmup', 2, 0);
  const vocab = args.int('vocab', 16, 2);
  const json = args.flag('json');
  args.done();
  for (const p of presets) if (!isModelPreset(p)) throw new Error(`bench: unknown preset "${p}" (known: ${Object.keys(MODEL_PRESETS).join(', ')})`);

  const gpu = await openNodeGpu();
  const adapter = `${gpu.adapter.description || gpu.adapter.architecture} (${gpu.adapter.vendor})`;
  if (!json) {
    console.log(`adapter: ${adapter}; median of ${runs} runs after ${warmup} warm-up; vocab ${vocab}`);
    console.log('| preset | B×T | params | ms / step | tokens / s | dispatches / step |');
    console.log('|---|---|---|---|---|---|');
  }
  for (const preset of presets as ModelPreset[]) {
    const r = await timeTrainStep(gpu, preset, vocab, warmup, runs);
    if (json) console.log(JSON.stringify({ bench: 'train-step', adapter, ...r }));
    else console.log(`| ${preset} | ${r.B}×${r.T} | ${(r.params / 1e6).toFixed(2)}M | ${r.msPerStep.toFixed(1)} | ${Math.round(r.tokensPerSecond)} | ${r.dispatches} |`);
  }
  gpu.destroy();
}
