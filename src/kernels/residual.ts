import type { Binding } from '../gpu/binding';
import type { Gpu } from '../gpu/gpu';
import type { Kernel } from '../gpu/kernel';
import type { Recorder } from '../gpu/recorder';
import { type ElementwiseDims, elementwiseLaunch } from './gelu';

/** The residual connection (shaders/residual.wgsl). */
export class Residual {
  private constructor(
    private readonly forwardKernel: Kernel,
    private readonly backwardKernel: Kernel,
  ) {}

  static async create(gpu: Gpu): Promise<Residual> {
    const [forward, backward] = await Promise.all(['residual_forward', 'residual_backward'].map((entry) => gpu.kernel({ shader: 'residual', entry })));
    return new Residual(forward!, backward!);
  }

  /** out = a + b. out, a, b [n]. */
  forward(rec: Recorder, out: Binding, a: Binding, b: Binding, dims: ElementwiseDims): void {
    const { params, grid } = elementwiseLaunch('residual_forward', dims, { out, a, b });
    this.forwardKernel.dispatch(rec, params, [out, a, b], grid);
  }

  /** da += dout; db += dout. */
  backward(rec: Recorder, da: Binding, db: Binding, dout: Binding, dims: ElementwiseDims): void {
    const { params, grid } = elementwiseLaunch('residual_backward', dims, { da, db, dout });
    this.backwardKernel.dispatch(rec, params, [da, db, dout], grid);
  }
}
