import { type Binding, requireLength } from '../gpu/binding';
import type { Gpu } from '../gpu/gpu';
import { type Kernel, ParamWriter } from '../gpu/kernel';
import type { Recorder } from '../gpu/recorder';

/** The optimisers a run can choose: AdamW, or plain gradient steps (the paper's SGA). */
export const OPTIMIZERS = ['adamw', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface AdamWHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Decoupled: p −= lr·wd·p, not added to the gradient. */
  weightDecay: number;
  /** 1-based step count for bias correction. */
  step: number;
}

export interface SgdHyper {
  lr: number;
  weightDecay: number;
}

/** Invocations per workgroup, as in shaders/optimizer.wgsl. */
const THREADS = 256;

/**
 * AdamW and SGD as one loop over the flat parameter buffer (shaders/optimizer.wgsl). The gradient
 * used is grads[i]·gradScale[1], the clip factor GradNorm.forward writes; a non-finite factor
 * skips the step on the GPU, so a NaN gradient cannot reach the weights before the trainer,
 * a step behind, sees it.
 *
 * The learning rate and step change every step, so they are not per-dispatch uniforms (Gpu.uniform
 * keeps a buffer per distinct content). Each Optimizer owns one small uniform buffer, rewritten by
 * queue.writeBuffer as a step is recorded; the write lands before the next submit, which makes the
 * rule: ONE STEP PER SUBMITTED RECORDER per Optimizer instance, and submit it before recording the
 * next. Two steps in one recorder would both see the second step's values, so that throws.
 * (Separate instances, e.g. for parameter groups with different decay, may share a recorder.)
 */
export class Optimizer {
  private readonly hyper: GPUBuffer;
  private lastRecorder: Recorder | null = null;

  private constructor(
    private readonly gpu: Gpu,
    private readonly adamwKernel: Kernel,
    private readonly sgdKernel: Kernel,
  ) {
    this.hyper = gpu.device.createBuffer({ label: 'optimizer hyperparameters', size: 32, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  }

  static async create(gpu: Gpu): Promise<Optimizer> {
    const [adamw, sgd] = await Promise.all([gpu.kernel({ shader: 'optimizer', entry: 'adamw' }), gpu.kernel({ shader: 'optimizer', entry: 'sgd' })]);
    return new Optimizer(gpu, adamw, sgd);
  }

  /** AdamW with decoupled weight decay; updates params, m and v [n] in place. gradScale [≥ 2]: GradNorm's out. */
  adamw(rec: Recorder, params: Binding, grads: Binding, m: Binding, v: Binding, gradScale: Binding, dims: { n: number }, hyper: AdamWHyper): void {
    const what = `optimizer adamw [n ${dims.n}]`;
    const { lr, beta1, beta2, eps, weightDecay, step } = hyper;
    if (!Number.isInteger(step) || step < 1) throw new Error(`${what}: step must be a positive integer (1-based), got ${step}`);
    if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) throw new Error(`${what}: betas must lie in [0, 1), got ${beta1}, ${beta2}`);
    if (!(eps > 0)) throw new Error(`${what}: eps must be positive, got ${eps}`);
    requireLength(what, 'm', m, dims.n);
    requireLength(what, 'v', v, dims.n);
    const words = new ParamWriter()
      .u32(dims.n)
      .f32(lr)
      .f32(weightDecay)
      .f32(beta1)
      .f32(beta2)
      .f32(eps)
      .f32(1 - beta1 ** step)
      .f32(1 - beta2 ** step)
      .finish();
    this.record(rec, this.adamwKernel, what, words, params, grads, gradScale, dims.n, [m, v]);
  }

  /** SGD ("SGA" in the paper, for the minimised loss): p −= lr·(g + wd·p). */
  sgd(rec: Recorder, params: Binding, grads: Binding, gradScale: Binding, dims: { n: number }, hyper: SgdHyper): void {
    const words = new ParamWriter().u32(dims.n).f32(hyper.lr).f32(hyper.weightDecay).finish();
    this.record(rec, this.sgdKernel, `optimizer sgd [n ${dims.n}]`, words, params, grads, gradScale, dims.n, []);
  }

  private record(
    rec: Recorder,
    kernel: Kernel,
    what: string,
    words: Uint32Array<ArrayBuffer>,
    params: Binding,
    grads: Binding,
    gradScale: Binding,
    n: number,
    moments: Binding[],
  ): void {
    if (!Number.isInteger(n) || n < 1) throw new Error(`${what}: n must be a positive integer`);
    if (rec === this.lastRecorder)
      throw new Error(`${what}: this Optimizer already recorded a step into this recorder; submit it and record the next step into a new one`);
    requireLength(what, 'params', params, n);
    requireLength(what, 'grads', grads, n);
    requireLength(what, 'gradScale', gradScale, 2);
    this.lastRecorder = rec;
    this.gpu.write(this.hyper, words);
    const workgroups = Math.min(Math.ceil(n / THREADS), rec.gpu.limits.maxComputeWorkgroupsPerDimension);
    rec.dispatch(kernel, kernel.bind(this.hyper, [params, grads, gradScale, ...moments]), [workgroups]);
  }
}
