import type { ModelConfig } from './config';

/** One tensor of the flat parameter buffer. */
export interface TensorEntry {
  name: string;
  /** Elements from the start of the buffer; a multiple of ALIGN, so kernels can bind it in place. */
  offset: number;
  shape: number[];
  /** Elements: the product of the shape. */
  size: number;
}

export interface ParameterLayout {
  tensors: TensorEntry[];
  /** Elements in the flat buffer, padding included. */
  total: number;
  /** Elements that are parameters (padding excluded). */
  count: number;
}

/** 64 floats = 256 bytes, WebGPU's storage-binding offset alignment. */
export const ALIGN = 64;

/**
 * Every parameter's name, offset and shape (docs/design.md §2); weights are stored [in, out].
 * Gradients and optimiser moments use the same layout in buffers of their own.
 */
export function parameterLayout(c: ModelConfig): ParameterLayout {
  const { vocabSize: V, maxSeqLen: T, dim: D, layers: L } = c;
  const shapes: [string, number[]][] = [
    ['wte', [V, D]],
    ['wpe', [T, D]],
  ];
  for (let l = 0; l < L; l++) {
    shapes.push(
      [`h.${l}.ln1.w`, [D]],
      [`h.${l}.ln1.b`, [D]],
      [`h.${l}.attn.qkv.w`, [D, 3 * D]],
      [`h.${l}.attn.qkv.b`, [3 * D]],
      [`h.${l}.attn.proj.w`, [D, D]],
      [`h.${l}.attn.proj.b`, [D]],
      [`h.${l}.ln2.w`, [D]],
      [`h.${l}.ln2.b`, [D]],
      [`h.${l}.mlp.fc.w`, [D, 4 * D]],
      [`h.${l}.mlp.fc.b`, [4 * D]],
      [`h.${l}.mlp.proj.w`, [4 * D, D]],
      [`h.${l}.mlp.proj.b`, [D]],
    );
  }
  shapes.push(['lnf.w', [D]], ['lnf.b', [D]], ['lm_head.w', [D, V]]);

  const tensors: TensorEntry[] = [];
  let offset = 0;
  let count = 0;
  for (const [name, shape] of shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    tensors.push({ name, offset, shape, size });
    offset += Math.ceil(size / ALIGN) * ALIGN;
    count += size;
  }
  return { tensors, total: offset, count };
}

/** The entry called `name`; throws naming it when the layout has none. */
export function tensor(layout: ParameterLayout, name: string): TensorEntry {
  const entry = layout.tensors.find((t) => t.name === name);
  if (!entry) throw new Error(`parameter layout has no tensor "${name}"`);
  return entry;
}
