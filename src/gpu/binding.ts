/**
 * What a kernel binds: a whole buffer or a byte range of one. Ranges let kernels read and write
 * one tensor of the flat parameter buffer in place; WebGPU requires their offsets to be multiples
 * of 256 bytes (minStorageBufferOffsetAlignment), which the parameter layout guarantees.
 */
export interface Slice {
  buffer: GPUBuffer;
  /** Bytes from the start of the buffer; a multiple of 256. */
  offset: number;
  /** Bytes. */
  size: number;
}

export type Binding = GPUBuffer | Slice;

export const BINDING_ALIGNMENT = 256;

function isSlice(b: Binding): b is Slice {
  return 'buffer' in b && 'offset' in b;
}

/** A view of `count` floats (or u32s) starting `start` elements into `buffer`. */
export function slice(buffer: GPUBuffer, start: number, count: number): Slice {
  const offset = start * 4;
  if (offset % BINDING_ALIGNMENT !== 0)
    throw new Error(`slice of "${buffer.label}" at element ${start}: offset ${offset} bytes is not a multiple of ${BINDING_ALIGNMENT}`);
  if (offset + count * 4 > buffer.size) throw new Error(`slice of "${buffer.label}" [${start}, ${start + count}) runs past its ${buffer.size / 4} elements`);
  return { buffer, offset, size: count * 4 };
}

export function bindingBuffer(b: Binding): GPUBuffer {
  return isSlice(b) ? b.buffer : b;
}

export function bindingResource(b: Binding): GPUBufferBinding {
  return isSlice(b) ? { buffer: b.buffer, offset: b.offset, size: b.size } : { buffer: b };
}

/** Elements (4-byte words) a binding holds. */
export function bindingLength(b: Binding): number {
  return b.size / 4;
}

/** Throws, naming the kernel and the argument, when `b` holds fewer than `needed` elements. */
export function requireLength(kernel: string, what: string, b: Binding, needed: number): void {
  const have = bindingLength(b);
  if (have < needed) throw new Error(`${kernel}: ${what} holds ${have} elements, needs ${needed}`);
}
