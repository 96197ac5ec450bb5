import type { Gpu } from '../gpu/gpu';
import type { Recorder } from '../gpu/recorder';
import type { Sampler } from '../kernels/sample';
import { type Activations, allocateActivations, destroyActivations } from '../model/activations';
import { destroyKvCache, type Gpt, type KvCache } from '../model/gpt';
import { EOS, PAD } from '../tasks';

export interface RolloutOptions {
  /** τ; 0 decodes greedily. */
  temperature: number;
  seed: number;
  /** Which sampling round (e.g. RL iteration): rounds draw independent randomness. */
  stream: number;
}

/**
 * Completions for R prompts of P tokens, decoded on the GPU with the KV cache: the prompts go
 * through one full forward pass that fills the cache, then all rows step together, one decode step
 * and one sampling dispatch per new token, recorded into one command buffer; only the finished
 * completions [R, Lc] are read back. It owns its cache and buffers (destroy() frees them), not the models.
 */
export class Rollout {
  private readonly cache: KvCache;
  private readonly prompts: Activations; // [R, P]: the prefill's forward pass
  private readonly completions: GPUBuffer; // u32 [R, Lc]
  private readonly finished: GPUBuffer; // u32 [R]

  constructor(
    private readonly gpu: Gpu,
    private readonly sampler: Sampler,
    readonly R: number,
    readonly P: number,
    readonly Lc: number,
    cacheOwner: Gpt,
  ) {
    this.cache = cacheOwner.kvCache(R, P + Lc);
    this.prompts = allocateActivations(gpu, cacheOwner.config, R, P);
    this.completions = gpu.zeros(R * Lc * 4, 'rollout completions');
    this.finished = gpu.zeros(R * 4, 'rollout finished');
  }

  /** Records the whole decode of `prompts` [R][P] with `model` (whose shape must match the cache's). */
  record(rec: Recorder, model: Gpt, prompts: readonly (readonly number[])[], options: RolloutOptions): void {
    const { R, P, Lc } = this;
    if (prompts.length !== R) throw new Error(`rollout: ${prompts.length} prompts for ${R} rows`);
    const tokens = new Uint32Array(R * P);
    prompts.forEach((prompt, r) => {
      if (prompt.length !== P) throw new Error(`rollout: prompt ${r} has ${prompt.length} tokens, expected ${P}`);
      tokens.set(prompt, r * P);
    });
    model.setBatch(this.prompts, tokens);
    rec.clear(this.finished);
    const step = this.cache.step;
    const sample = (column: number) =>
      this.sampler.sample(rec, step.tokens, this.completions, this.finished, step.logits, {
        R,
        V: model.config.vocabSize,
        temperature: options.temperature,
        seed: options.seed,
        stream: options.stream,
        column,
        maxCompletion: Lc,
        eos: EOS,
        pad: PAD,
      });
    model.prefill(rec, this.cache, this.prompts);
    sample(0); // the last prompt position's logits predict the first completion token
    for (let j = 1; j < Lc; j++) {
      model.decodeStep(rec, this.cache, P - 1 + j);
      sample(j);
    }
  }

  /** The completions of the last recorded rollout, [R·Lc] (PAD after EOS); waits for the GPU. */
  async read(): Promise<Uint32Array> {
    return new Uint32Array(await this.gpu.read(this.completions));
  }

  /** Records, submits and reads one rollout. */
  async generate(model: Gpt, prompts: readonly (readonly number[])[], options: RolloutOptions): Promise<Uint32Array> {
    const rec = this.gpu.recorder('rollout');
    this.record(rec, model, prompts, options);
    rec.submit();
    return this.read();
  }

  destroy(): void {
    destroyKvCache(this.cache);
    destroyActivations(this.prompts);
    this.completions.destroy();
    this.finished.destroy();
  }
}
