import { type Binding, requireLength } from '../gpu/binding';
import type { Gpu } from '../gpu/gpu';
import { type Kernel, ParamWriter } from '../gpu/kernel';
import type { Recorder } from '../gpu/recorder';
import { grid2d } from './grid';

/** An element-wise layer over n floats (GELU, residual). */
export interface ElementwiseDims {
  n: number;
}

/** Checks n and every binding's length; returns the uniform block and the grid of 256-wide workgroups. */
export function elementwiseLaunch(kernel: string, dims: ElementwiseDims, bindings: Record<string, Binding>): { params: Uint32Array<ArrayBuffer>; grid: [number, number] } {
  const { n } = dims;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${kernel}: n must be a positive integer, got ${n}`);
  for (const [name, binding] of Object.entries(bindings)) requireLength(`${kernel} [n ${n}]`, name, binding, n);
  return { params: new ParamWriter().u32(n).finish(), grid: grid2d(Math.ceil(n / 256)) };
}

/** GELU, tanh form (shaders/gelu.wgsl). */
export class Gelu {
  private constructor(
    private readonly forwardKernel: Kernel,
    private readonly backwardKernel: Kernel,
  ) {}

  static async create(gpu: Gpu): Promise<Gelu> {
    const [forward, backward] = await Promise.all(['gelu_forward', 'gelu_backward'].map((entry) => gpu.kernel({ shader: 'gelu', entry })));
    return new Gelu(forward!, backward!);
  }

  /** out = gelu(inp). out [n], inp [n]. */
  forward(rec: Recorder, out: Binding, inp: Binding, dims: ElementwiseDims): void {
    const { params, grid } = elementwiseLaunch('gelu_forward', dims, { out, inp });
    this.forwardKernel.dispatch(rec, params, [out, inp], grid);
  }

  /** dinp += gelu'(inp)·dout. */
  backward(rec: Recorder, dinp: Binding, inp: Binding, dout: Binding, dims: ElementwiseDims): void {
    const { params, grid } = elementwiseLaunch('gelu_backward', dims, { dinp, inp, dout });
    this.backwardKernel.dispatch(rec, params, [dinp, inp, dout], grid);
  }
}
