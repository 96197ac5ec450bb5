import { type Binding, type Slice, slice } from '../gpu/binding';
import type { Gpu } from '../gpu/gpu';
import type { Recorder } from '../gpu/recorder';
import type { AdamWHyper, SgdHyper } from '../kernels/optimizer';
import { GradNorm } from '../kernels/gradnorm';
import { type Activations, allocateActivations, type BlockActivations, destroyActivations } from './activations';
import type { ModelConfig } from './config';
import { type GptKernels, gptKernels } from './kernels';
import { type ParameterLayout, parameterLayout, tensor } from './layout';

/** Views of one block's tensors inside a flat buffer (parameters or gradients). */
interface BlockTensors {
  ln1w: Slice;
  ln1b: Slice;
  qkvw: Slice;
  qkvb: Slice;
  projw: Slice;
  projb: Slice;
  ln2w: Slice;
  ln2b: Slice;
  fcw: Slice;
  fcb: Slice;
  mlpw: Slice;
  mlpb: Slice;
}

interface ModelTensors {
  wte: Slice;
  wpe: Slice;
  blocks: BlockTensors[];
  lnfw: Slice;
  lnfb: Slice;
  lmHead: Slice;
}

function tensorViews(buffer: GPUBuffer, layout: ParameterLayout, layers: number): ModelTensors {
  const v = (name: string) => {
    const t = tensor(layout, name);
    return slice(buffer, t.offset, t.size);
  };
  return {
    wte: v('wte'),
    wpe: v('wpe'),
    blocks: Array.from({ length: layers }, (_, l) => ({
      ln1w: v(`h.${l}.ln1.w`),
      ln1b: v(`h.${l}.ln1.b`),
      qkvw: v(`h.${l}.attn.qkv.w`),
      qkvb: v(`h.${l}.attn.qkv.b`),
      projw: v(`h.${l}.attn.proj.w`),
      projb: v(`h.${l}.attn.proj.b`),
      ln2w: v(`h.${l}.ln2.w`),
      ln2b: v(`h.${l}.ln2.b`),
      fcw: v(`h.${l}.mlp.fc.w`),
      fcb: v(`h.${l}.mlp.fc.b`),
      mlpw: v(`h.${l}.mlp.proj.w`),
      mlpb: v(`h.${l}.mlp.proj.b`),
    })),
    lnfw: v('lnf.w'),
    lnfb: v('lnf.b'),
    lmHead: v('lm_head.w'),
  };
}

/** Per-layer key/value caches for decoding R rows, up to maxT positions. */
export interface KvCache {
  R: number;
  maxT: number;
  k: GPUBuffer[]; // per layer [R, maxT, C]
  v: GPUBuffer[]; // per layer [R, maxT, C]
  /** The arena for one token per row (T = 1). */
  step: Activations;
}

export function destroyKvCache(cache: KvCache): void {
  for (const b of [...cache.k, ...cache.v]) b.destroy();
  destroyActivations(cache.step);
}

/**
 * Which buffers a model holds besides its parameters, by what it is used for: 'inference' none (forward
 * and decoding only); 'gradients' the parameter gradient (backward); 'training' that, AdamW's moments and
 * GradNorm's output and scratch (optimizerStep).
 */
export type GptUse = 'inference' | 'gradients' | 'training';

/** The gradient buffer and its per-tensor views. */
interface Gradients {
  buffer: GPUBuffer;
  views: ModelTensors;
}

/** What optimizerStep needs beyond the gradient. */
interface OptimizerState {
  adamM: GPUBuffer;
  adamV: GPUBuffer;
  /** [‖g‖, clip factor, …] written by GradNorm every optimiser step. */
  gradNormOut: GPUBuffer;
  gradNormPartials: GPUBuffer;
}

export type OptimizerChoice = { kind: 'adamw'; hyper: AdamWHyper } | { kind: 'sgd'; hyper: SgdHyper };

/**
 * Compiles ahead, in parallel, the pipelines built per shape on first use (Matmul, decode attention)
 * that this model runs: the products of qkvForward, blockTail and head, forward and backward. One
 * missing here would still be built when first recorded, only synchronously.
 */
async function prepareKernels({ matmul, attention }: GptKernels, { dim: C, heads: NH, vocabSize: V }: ModelConfig): Promise<void> {
  await Promise.all([
    matmul.prepareLinear({ C, OC: 3 * C }, null, true),
    matmul.prepareLinear({ C, OC: C }, 'residual', true),
    matmul.prepareLinear({ C, OC: 4 * C }, 'gelu', true),
    matmul.prepareLinear({ C: 4 * C, OC: C }, 'residual', true),
    matmul.prepareLinear({ C, OC: V }, null, false),
    attention.prepareDecode(C, NH),
  ]);
}

/**
 * The GPT of docs/design.md §2 on the GPU: one flat parameter buffer, gradients and AdamW moments of
 * the same layout (as its use needs them), forward and hand-written backward through the kernels,
 * KV-cache decoding. Nothing here waits on the GPU; callers record into a Recorder and read results
 * when they choose. It owns every buffer it allocates (arenas included) and frees them in destroy().
 */
export class Gpt {
  readonly layout: ParameterLayout;
  readonly params: GPUBuffer;
  private readonly paramViews: ModelTensors;
  private readonly gradients: Gradients | null;
  private readonly optimizerState: OptimizerState | null;
  private readonly arenas = new Map<string, Activations>();
  /** Per prefill shape R×P, u32 [R]: the row r·P + P − 1 of each prompt's last position. */
  private readonly lastPositions = new Map<string, GPUBuffer>();

  private constructor(
    readonly gpu: Gpu,
    readonly config: ModelConfig,
    /** The device's kernels, shared by every model on it. */
    readonly kernels: GptKernels,
    initial: Float32Array<ArrayBuffer>,
    readonly use: GptUse,
  ) {
    this.layout = parameterLayout(config);
    const n = this.layout.total;
    if (initial.length !== n) throw new Error(`Gpt: ${initial.length} initial parameters, the layout needs ${n}`);
    this.params = gpu.upload(initial, 'params');
    this.paramViews = tensorViews(this.params, this.layout, config.layers);
    const grads = use === 'inference' ? null : gpu.zeros(n * 4, 'grads');
    this.gradients = grads && { buffer: grads, views: tensorViews(grads, this.layout, config.layers) };
    this.optimizerState =
      use === 'training'
        ? {
            adamM: gpu.zeros(n * 4, 'adam.m'),
            adamV: gpu.zeros(n * 4, 'adam.v'),
            gradNormOut: gpu.zeros(16, 'gradnorm'),
            gradNormPartials: gpu.zeros(GradNorm.partialsLength(n) * 4, 'gradnorm.partials'),
          }
        : null;
  }

  static async create(gpu: Gpu, config: ModelConfig, initial: Float32Array<ArrayBuffer>, use: GptUse = 'training'): Promise<Gpt> {
    const kernels = await gptKernels(gpu);
    await prepareKernels(kernels, config);
    return new Gpt(gpu, config, kernels, initial, use);
  }

  /** The parameter gradient, in the parameter layout (not for 'inference'). */
  get grads(): GPUBuffer {
    return this.gradientsOrThrow().buffer;
  }

  /** [‖g‖, clip factor, …] written by GradNorm every optimiser step ('training' only). */
  get gradNormOut(): GPUBuffer {
    return this.optimizerStateOrThrow().gradNormOut;
  }

  private gradientsOrThrow(): Gradients {
    if (!this.gradients) throw new Error(`Gpt: a model for '${this.use}' has no gradients`);
    return this.gradients;
  }

  private optimizerStateOrThrow(): OptimizerState {
    if (!this.optimizerState) throw new Error(`Gpt: a model for '${this.use}' has no optimiser state`);
    return this.optimizerState;
  }

  /** The activation arena for batches of B sequences of length T (allocated once, then reused). */
  arena(B: number, T: number): Activations {
    if (T > this.config.maxSeqLen) throw new Error(`sequence length ${T} exceeds the model's maxSeqLen ${this.config.maxSeqLen}`);
    const key = `${B}x${T}`;
    let acts = this.arenas.get(key);
    if (!acts) this.arenas.set(key, (acts = allocateActivations(this.gpu, this.config, B, T)));
    return acts;
  }

  /** Uploads tokens (and optionally targets, IGNORE_TARGET allowed) for the arena's next forward. */
  setBatch(acts: Activations, tokens: Uint32Array<ArrayBuffer>, targets?: Uint32Array<ArrayBuffer>): void {
    const BT = acts.B * acts.T;
    if (tokens.length !== BT || (targets && targets.length !== BT))
      throw new Error(`setBatch: expected ${BT} tokens${targets ? ' and targets' : ''}, got ${tokens.length}${targets ? ` and ${targets.length}` : ''}`);
    const V = this.config.vocabSize;
    const bad = tokens.findIndex((t) => t >= V);
    if (bad >= 0) throw new Error(`setBatch: token ${tokens[bad]} at position ${bad} is outside the vocabulary of ${V}`);
    this.gpu.write(acts.tokens, tokens);
    if (targets) this.gpu.write(acts.targets, targets);
  }

  /** Logits [B·T, V] for the arena's tokens. */
  forward(rec: Recorder, acts: Activations): void {
    this.head(rec, acts, this.embedAndBlocks(rec, acts, this.config.layers), acts.B * acts.T);
  }

  /** The embeddings and the first `count` blocks over every row of the arena (causal attention); the residual stream after them. */
  private embedAndBlocks(rec: Recorder, acts: Activations, count: number): Binding {
    const { B, T } = acts;
    const { dim: C, heads: NH, vocabSize: V } = this.config;
    this.kernels.encoder.forward(rec, acts.encoded, acts.tokens, this.paramViews.wte, this.paramViews.wpe, { B, T, C, V });
    let residual: Binding = acts.encoded;
    acts.blocks.slice(0, count).forEach((a, l) => {
      this.blockForward(rec, a, this.paramViews.blocks[l]!, residual, B * T, () => this.kernels.attention.forward(rec, a.atty, a.att, a.qkv, { B, T, C, NH }));
      residual = a.residual3;
    });
    return residual;
  }

  /** Mean cross-entropy over the targets that are not IGNORE_TARGET: losses [BT] and probs. */
  crossEntropy(rec: Recorder, acts: Activations): void {
    this.kernels.crossEntropy.forward(rec, acts.losses, acts.probs, acts.logits, acts.targets, { N: acts.B * acts.T, V: this.config.vocabSize });
  }

  /** Sets grads.logits to the gradient of the mean cross-entropy over `counted` targets. */
  crossEntropyBackward(rec: Recorder, acts: Activations, counted: number): void {
    rec.clear(acts.grads.logits);
    this.kernels.crossEntropy.backward(rec, acts.grads.logits, acts.probs, acts.targets, {
      N: acts.B * acts.T,
      V: this.config.vocabSize,
      scale: 1 / Math.max(1, counted),
    });
  }

  /** Records a supervised step's gradient: forward, the mean cross-entropy over `counted` targets, and its backward into freshly zeroed `grads`. */
  supervisedGradient(rec: Recorder, acts: Activations, counted: number): void {
    this.forward(rec, acts);
    this.crossEntropy(rec, acts);
    this.crossEntropyBackward(rec, acts, counted);
    this.zeroGrad(rec);
    this.backward(rec, acts);
  }

  /** Zeroes the parameter gradients (backward accumulates into them). */
  zeroGrad(rec: Recorder): void {
    rec.clear(this.grads);
  }

  /**
   * Accumulates into `grads` the gradient of a loss whose gradient with respect to the logits is
   * already in acts.grads.logits (cross-entropy for supervised training, the policy loss for RL).
   */
  backward(rec: Recorder, acts: Activations): void {
    const { B, T } = acts;
    const { dim: C, heads: NH, vocabSize: V, layers: L } = this.config;
    const N = B * T;
    const d = acts.grads;
    const { matmul, layerNorm, attention, encoder } = this.kernels;
    const grads = this.gradientsOrThrow().views;
    const last = acts.blocks[L - 1]!.residual3;

    rec.clear(d.ln);
    matmul.backward(rec, d.ln, grads.lmHead, null, d.logits, acts.lnf, this.paramViews.lmHead, { N, C, OC: V });
    rec.clear(d.residual);
    layerNorm.backward(rec, d.residual, grads.lnfw, grads.lnfb, d.ln, last, this.paramViews.lnfw, acts.lnfMean, acts.lnfRstd, { N, C });

    for (let l = L - 1; l >= 0; l--) {
      const a: BlockActivations = acts.blocks[l]!;
      const p = this.paramViews.blocks[l]!;
      const g = grads.blocks[l]!;
      const residualIn = l === 0 ? acts.encoded : acts.blocks[l - 1]!.residual3;
      // residual3 = residual2 + fcproj, so d.residual is both d(residual2) and d(fcproj); through GELU to d.fch in the epilogue.
      rec.clear(d.fch);
      matmul.backward(rec, d.fch, g.mlpw, g.mlpb, d.residual, a.fchGelu, p.mlpw, { N, C: 4 * C, OC: C }, { preGelu: a.fch });
      rec.clear(d.ln);
      matmul.backward(rec, d.ln, g.fcw, g.fcb, d.fch, a.ln2, p.fcw, { N, C, OC: 4 * C });
      layerNorm.backward(rec, d.residual, g.ln2w, g.ln2b, d.ln, a.residual2, p.ln2w, a.ln2Mean, a.ln2Rstd, { N, C });
      // residual2 = residualIn + attproj: d.residual is now d(residual2) = d(attproj) = d(residualIn) so far.
      rec.clear(d.atty);
      matmul.backward(rec, d.atty, g.projw, g.projb, d.residual, a.atty, p.projw, { N, C, OC: C });
      rec.clear(d.qkv);
      attention.backward(rec, d.qkv, d.att, d.atty, a.qkv, a.att, { B, T, C, NH });
      rec.clear(d.ln);
      matmul.backward(rec, d.ln, g.qkvw, g.qkvb, d.qkv, a.ln1, p.qkvw, { N, C, OC: 3 * C });
      layerNorm.backward(rec, d.residual, g.ln1w, g.ln1b, d.ln, residualIn, p.ln1w, a.ln1Mean, a.ln1Rstd, { N, C });
    }
    encoder.backward(rec, grads.wte, grads.wpe, d.residual, acts.tokens, { B, T, C, V });
  }

  /** Global-norm clipping (maxNorm ≤ 0: none) and one optimiser update; one per submitted recorder. */
  optimizerStep(rec: Recorder, optimizer: OptimizerChoice, maxNorm: number): void {
    const n = this.layout.total;
    const { adamM, adamV, gradNormOut, gradNormPartials } = this.optimizerStateOrThrow();
    this.kernels.gradNorm.forward(rec, gradNormOut, gradNormPartials, this.grads, { n, maxNorm });
    if (optimizer.kind === 'adamw') this.kernels.optimizer.adamw(rec, this.params, this.grads, adamM, adamV, gradNormOut, { n }, optimizer.hyper);
    else this.kernels.optimizer.sgd(rec, this.params, this.grads, gradNormOut, { n }, optimizer.hyper);
  }

  /** A KV cache for decoding R rows of up to maxT positions, owned by the caller (destroyKvCache frees it). */
  kvCache(R: number, maxT = this.config.maxSeqLen): KvCache {
    if (maxT > this.config.maxSeqLen) throw new Error(`KV cache of ${maxT} positions exceeds the model's maxSeqLen ${this.config.maxSeqLen}`);
    const C = this.config.dim;
    const layers = Array.from({ length: this.config.layers }, (_, l) => l);
    return {
      R,
      maxT,
      k: layers.map((l) => this.gpu.zeros(R * maxT * C * 4, `h.${l}.kcache`)),
      v: layers.map((l) => this.gpu.zeros(R * maxT * C * 4, `h.${l}.vcache`)),
      step: allocateActivations(this.gpu, this.config, R, 1, false),
    };
  }

  /**
   * Feeds the prompts in `acts` (an arena of R rows × P ≤ maxT positions, tokens set) through the
   * model, stores every layer's k and v of positions 0..P−1 in the cache, and leaves the last
   * position's logits [R, V] in cache.step.logits: what P decode steps leave. Every layer but the
   * last runs on all R·P rows, since later layers' keys and values need them; the last layer needs
   * all rows only up to its qkv product, and from its attention on only the last position does, so
   * that part runs as a decode step on R rows.
   */
  prefill(rec: Recorder, cache: KvCache, acts: Activations): void {
    const { B: R, T: P } = acts;
    if (R !== cache.R || P > cache.maxT) throw new Error(`prefill: an arena of ${R}×${P} does not fit a cache of ${cache.R} rows × ${cache.maxT} positions`);
    const { dim: C, heads: NH, layers: L } = this.config;
    const { attention, gather } = this.kernels;
    const residual = this.embedAndBlocks(rec, acts, L - 1);
    const lastBlock = this.paramViews.blocks[L - 1]!;
    this.qkvForward(rec, acts.blocks[L - 1]!, lastBlock, residual, R * P);
    acts.blocks.forEach((a, l) => attention.fillCache(rec, cache.k[l]!, cache.v[l]!, a.qkv, { R, T: P, C, maxT: cache.maxT }));

    const { step } = cache;
    const a = step.blocks[L - 1]!;
    const rows = this.lastPositionRows(R, P);
    const lastInput = step.encoded; // free until the next decode step: here the last layer's input at the last position, [R, C]
    gather.rows(rec, lastInput, residual, rows, { M: R, rowLength: C });
    gather.rows(rec, a.qkv, acts.blocks[L - 1]!.qkv, rows, { M: R, rowLength: 3 * C });
    attention.decode(rec, a.atty, cache.k[L - 1]!, cache.v[L - 1]!, a.qkv, { R, C, NH, pos: P - 1, maxT: cache.maxT });
    this.blockTail(rec, a, lastBlock, lastInput, R);
    this.head(rec, step, a.residual3, R);
  }

  private lastPositionRows(R: number, P: number): GPUBuffer {
    const key = `${R}x${P}`;
    let rows = this.lastPositions.get(key);
    if (!rows)
      this.lastPositions.set(
        key,
        (rows = this.gpu.upload(
          Uint32Array.from({ length: R }, (_, r) => r * P + P - 1),
          `last positions ${key}`,
        )),
      );
    return rows;
  }

  /** Feeds cache.step.tokens (one per row) at position `pos`; leaves logits [R, V] in cache.step.logits. */
  decodeStep(rec: Recorder, cache: KvCache, pos: number): void {
    if (pos >= cache.maxT) throw new Error(`decode position ${pos} is past the cache's ${cache.maxT} positions`);
    const { R, step } = cache;
    const { dim: C, heads: NH, vocabSize: V } = this.config;
    this.kernels.encoder.forward(rec, step.encoded, step.tokens, this.paramViews.wte, this.paramViews.wpe, { B: R, T: 1, C, V, pos0: pos });
    let residual: Binding = step.encoded;
    step.blocks.forEach((a, l) => {
      this.blockForward(rec, a, this.paramViews.blocks[l]!, residual, R, () =>
        this.kernels.attention.decode(rec, a.atty, cache.k[l]!, cache.v[l]!, a.qkv, { R, C, NH, pos, maxT: cache.maxT }),
      );
      residual = a.residual3;
    });
    this.head(rec, step, residual, R);
  }

  /**
   * One pre-LN block over N rows; `attend` fills a.atty from a.qkv (full causal attention or one cached
   * step). GELU and both residual adds run in the epilogues of the products before them.
   */
  private blockForward(rec: Recorder, a: BlockActivations, p: BlockTensors, residualIn: Binding, N: number, attend: () => void): void {
    this.qkvForward(rec, a, p, residualIn, N);
    attend();
    this.blockTail(rec, a, p, residualIn, N);
  }

  /** The block up to attention: a.qkv = LayerNorm(residualIn)·W_qkv + b. */
  private qkvForward(rec: Recorder, a: BlockActivations, p: BlockTensors, residualIn: Binding, N: number): void {
    const C = this.config.dim;
    this.kernels.layerNorm.forward(rec, a.ln1, a.ln1Mean, a.ln1Rstd, residualIn, p.ln1w, p.ln1b, { N, C });
    this.kernels.matmul.forward(rec, a.qkv, a.ln1, p.qkvw, p.qkvb, { N, C, OC: 3 * C });
  }

  /** The block after attention (a.atty): projection and residual, then the MLP and its residual into a.residual3. */
  private blockTail(rec: Recorder, a: BlockActivations, p: BlockTensors, residualIn: Binding, N: number): void {
    const C = this.config.dim;
    const { matmul, layerNorm } = this.kernels;
    matmul.forward(rec, a.residual2, a.atty, p.projw, p.projb, { N, C, OC: C }, { residual: residualIn });
    layerNorm.forward(rec, a.ln2, a.ln2Mean, a.ln2Rstd, a.residual2, p.ln2w, p.ln2b, { N, C });
    matmul.forward(rec, a.fchGelu, a.ln2, p.fcw, p.fcb, { N, C, OC: 4 * C }, { preGelu: a.fch });
    matmul.forward(rec, a.residual3, a.fchGelu, p.mlpw, p.mlpb, { N, C: 4 * C, OC: C }, { residual: a.residual2 });
  }

  /** Final LayerNorm and the LM head: logits [N, V]. */
  private head(rec: Recorder, acts: Activations, residual: Binding, N: number): void {
    const { dim: C, vocabSize: V } = this.config;
    this.kernels.layerNorm.forward(rec, acts.lnf, acts.lnfMean, acts.lnfRstd, residual, this.paramViews.lnfw, this.paramViews.lnfb, { N, C });
    this.kernels.matmul.forward(rec, acts.logits, acts.lnf, this.paramViews.lmHead, null, { N, C, OC: V });
  }

  async readParams(): Promise<Float32Array<ArrayBuffer>> {
    return this.gpu.readF32(this.params);
  }

  async readGrads(): Promise<Float32Array<ArrayBuffer>> {
    return this.gpu.readF32(this.grads);
  }

  /** AdamW's first and second moments, each in the parameter layout. */
  async readMoments(): Promise<{ m: Float32Array<ArrayBuffer>; v: Float32Array<ArrayBuffer> }> {
    const { adamM, adamV } = this.optimizerStateOrThrow();
    const [m, v] = await Promise.all([this.gpu.readF32(adamM), this.gpu.readF32(adamV)]);
    return { m, v };
  }

  /** Replaces AdamW's moments (after loadParams, which zeroes them), e.g. to continue a run exactly. */
  loadMoments({ m, v }: { m: Float32Array<ArrayBuffer>; v: Float32Array<ArrayBuffer> }): void {
    const { adamM, adamV } = this.optimizerStateOrThrow();
    for (const [name, values] of [
      ['m', m],
      ['v', v],
    ] as const) {
      if (values.length !== this.layout.total) throw new Error(`loadMoments: ${name} has ${values.length} values, the layout needs ${this.layout.total}`);
    }
    this.gpu.write(adamM, m);
    this.gpu.write(adamV, v);
  }

  /** Replaces every parameter (and resets the optimiser moments, where the model has them). */
  loadParams(params: Float32Array<ArrayBuffer>): void {
    if (params.length !== this.layout.total) throw new Error(`loadParams: ${params.length} values, the layout needs ${this.layout.total}`);
    this.gpu.write(this.params, params);
    if (!this.optimizerState) return;
    this.gpu.write(this.optimizerState.adamM, new Float32Array(this.layout.total));
    this.gpu.write(this.optimizerState.adamV, new Float32Array(this.layout.total));
  }

  /** Frees every buffer this model allocated: parameters, gradients, optimiser state, arenas and prefill rows. */
  destroy(): void {
    for (const acts of this.arenas.values()) destroyActivations(acts);
    this.arenas.clear();
    for (const rows of this.lastPositions.values()) rows.destroy();
    this.lastPositions.clear();
    this.params.destroy();
    this.gradients?.buffer.destroy();
    const o = this.optimizerState;
    if (o) for (const b of [o.adamM, o.adamV, o.gradNormOut, o.gradNormPartials]) b.destroy();
  }
}
