import { type Binding, requireLength } from '../gpu/binding';
import type { Gpu } from '../gpu/gpu';
import { type Kernel, ParamWriter } from '../gpu/kernel';
import type { Recorder } from '../gpu/recorder';
import { rowLayout } from './row-layout';

/** A target that contributes no loss and no gradient (prompt tokens, padding). Any target ≥ V acts the same. */
export const IGNORE_TARGET = 0xffffffff;

/** N rows of V logits. */
export interface CrossEntropyDims {
  N: number;
  V: number;
}

/** Invocations per workgroup of the backward, as in shaders/crossentropy.wgsl. */
const ELEMENT_THREADS = 256;

function checkDims(kernel: string, { N, V }: CrossEntropyDims): void {
  if (![N, V].every((d) => Number.isInteger(d) && d >= 1)) throw new Error(`${kernel}: dimensions must be positive integers, got N=${N} V=${V}`);
}

/** Fused softmax + cross-entropy for supervised training (shaders/crossentropy.wgsl). */
export class CrossEntropy {
  private constructor(
    private readonly forwardKernel: Kernel,
    private readonly backwardKernel: Kernel,
    /** Rows per workgroup of the forward. */
    private readonly rows: number,
  ) {}

  static async create(gpu: Gpu, layout = rowLayout(gpu)): Promise<CrossEntropy> {
    const [forward, backward] = await Promise.all([
      gpu.kernel({ shader: 'crossentropy', entry: 'forward', constants: layout }),
      gpu.kernel({ shader: 'crossentropy', entry: 'backward' }),
    ]);
    return new CrossEntropy(forward, backward, layout.ROWS);
  }

  /** probs [N, V] = softmax(logits [N, V]); losses [N] = −log probs[i, targets[i]], 0 where the target is ignored. targets: u32 [N]. */
  forward(rec: Recorder, losses: Binding, probs: Binding, logits: Binding, targets: Binding, dims: CrossEntropyDims): void {
    const what = `crossentropy forward [N ${dims.N}, V ${dims.V}]`;
    checkDims(what, dims);
    const { N, V } = dims;
    requireLength(what, 'losses', losses, N);
    requireLength(what, 'probs', probs, N * V);
    requireLength(what, 'logits', logits, N * V);
    requireLength(what, 'targets', targets, N);
    const params = new ParamWriter().u32(N).u32(V).finish();
    // Rows past the dispatch limit are taken by the shader's grid-stride loop.
    this.forwardKernel.dispatch(
      rec,
      params,
      [losses, probs, logits, targets],
      [Math.min(Math.ceil(N / this.rows), rec.gpu.limits.maxComputeWorkgroupsPerDimension)],
    );
  }

  /** dlogits [N, V] += scale·(probs − onehot(target)) on every row whose target is not ignored. */
  backward(rec: Recorder, dlogits: Binding, probs: Binding, targets: Binding, dims: CrossEntropyDims & { scale: number }): void {
    const what = `crossentropy backward [N ${dims.N}, V ${dims.V}]`;
    checkDims(what, dims);
    const { N, V, scale } = dims;
    requireLength(what, 'dlogits', dlogits, N * V);
    requireLength(what, 'probs', probs, N * V);
    requireLength(what, 'targets', targets, N);
    const params = new ParamWriter().u32(N).u32(V).f32(scale).finish();
    const workgroups = Math.min(Math.ceil((N * V) / ELEMENT_THREADS), rec.gpu.limits.maxComputeWorkgroupsPerDimension);
    this.backwardKernel.dispatch(rec, params, [dlogits, probs, targets], [workgroups]);
  }
}
