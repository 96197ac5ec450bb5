import { type Binding, bindingLength, requireLength } from '../gpu/binding';
import type { Gpu } from '../gpu/gpu';
import { type Kernel, ParamWriter } from '../gpu/kernel';
import type { Recorder } from '../gpu/recorder';

/** Row gathering (shaders/gather.wgsl): dst[m, :] = src[rows[m], :]. */
export class Gather {
  private constructor(private readonly kernel: Kernel) {}

  static async create(gpu: Gpu): Promise<Gather> {
    return new Gather(await gpu.kernel({ shader: 'gather', entry: 'gather_rows' }));
  }

  /** `rows` holds M u32 row indices into src [N, rowLength]; every index must be < N. */
  rows(rec: Recorder, dst: Binding, src: Binding, rows: Binding, { M, rowLength }: { M: number; rowLength: number }): void {
    requireLength('gather_rows', 'rows', rows, M);
    requireLength('gather_rows', 'dst', dst, M * rowLength);
    requireLength('gather_rows', 'src', src, rowLength);
    if (bindingLength(src) % rowLength !== 0)
      throw new Error(`gather_rows: src holds ${bindingLength(src)} words, not a whole number of ${rowLength}-word rows`);
    const total = M * rowLength;
    this.kernel.dispatch(rec, new ParamWriter().u32(M).u32(rowLength).finish(), [src, rows, dst], [Math.min(Math.ceil(total / 256), 4096)]);
  }
}
