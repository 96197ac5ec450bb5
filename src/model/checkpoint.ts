import { describeConfig, type ModelConfig, validateConfig } from './config';
import { type ParameterLayout, parameterLayout } from './layout';

/**
 * Checkpoint format, version 1 (documented in the README):
 *   bytes 0..7    ASCII magic "GRPOLAB1"
 *   bytes 8..11   u32 little-endian: byte length H of the JSON header
 *   bytes 12..    the JSON header, UTF-8, space-padded so the data starts at a multiple of 4
 *   then          layout.total float32 values, little-endian: the flat parameter buffer
 * The header is { format: 1, config, layout: { total, tensors: [{ name, offset, shape }] }, meta }.
 * Offsets count float32 elements from the start of the data; tensors are row-major, weights [in, out].
 */
export const CHECKPOINT_MAGIC = 'GRPOLAB1';

export interface CheckpointHeader {
  format: 1;
  config: ModelConfig;
  layout: { total: number; tensors: { name: string; offset: number; shape: number[] }[] };
  /** Free-form provenance: task, steps, accuracy, date. */
  meta: Record<string, unknown>;
}

export interface Checkpoint {
  header: CheckpointHeader;
  params: Float32Array<ArrayBuffer>;
}

export function layoutHeader(layout: ParameterLayout): CheckpointHeader['layout'] {
  return { total: layout.total, tensors: layout.tensors.map(({ name, offset, shape }) => ({ name, offset, shape })) };
}

/** `values` as little-endian float32 bytes (the layout of params.bin, grads.bin and a checkpoint's data). */
export function littleEndianFloat32(values: ArrayLike<number>): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return bytes;
}

export function encodeCheckpoint(config: ModelConfig, params: Float32Array, meta: Record<string, unknown> = {}): Uint8Array<ArrayBuffer> {
  const layout = parameterLayout(config);
  if (params.length !== layout.total)
    throw new Error(`checkpoint: ${params.length} parameters given, layout for ${describeConfig(config)} has ${layout.total}`);
  const header: CheckpointHeader = { format: 1, config, layout: layoutHeader(layout), meta };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil((12 + json.length) / 4) * 4 - 12; // data starts 4-byte aligned
  const bytes = new Uint8Array(12 + headerLength + params.length * 4);
  bytes.fill(0x20, 12 + json.length, 12 + headerLength); // pad the header with spaces
  bytes.set(new TextEncoder().encode(CHECKPOINT_MAGIC), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, headerLength, true);
  bytes.set(json, 12);
  bytes.set(littleEndianFloat32(params), 12 + headerLength);
  return bytes;
}

export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  const fail = (why: string): never => {
    throw new Error(`Not a GRPO Lab checkpoint: ${why}`);
  };
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== CHECKPOINT_MAGIC) fail(`it does not start with "${CHECKPOINT_MAGIC}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length) fail(`its header claims ${headerLength} bytes but the file has ${bytes.length}`);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as CheckpointHeader;
  } catch (error) {
    return fail(`its header is not JSON (${(error as Error).message})`);
  }
  if (header.format !== 1) fail(`format ${String(header.format)} is not the supported format 1`);
  const config = validateConfig(header.config);
  const total = parameterLayout(config).total;
  const dataStart = 12 + headerLength;
  const count = (bytes.length - dataStart) / 4;
  if (count !== total) fail(`it holds ${count} floats where ${describeConfig(config)} needs ${total}`);
  const params = new Float32Array(total);
  for (let i = 0; i < total; i++) params[i] = view.getFloat32(dataStart + i * 4, true);
  return { header, params };
}

/**
 * Refuses a checkpoint made for another model shape, naming both, and returns its parameters.
 * Compares every layout entry, so a checkpoint from a differently ordered or named layout is refused too.
 */
export function checkpointParamsFor(expected: ModelConfig, checkpoint: Checkpoint): Float32Array<ArrayBuffer> {
  const got = checkpoint.header.config;
  const want = parameterLayout(expected);
  const same =
    JSON.stringify(layoutHeader(want)) === JSON.stringify(checkpoint.header.layout) &&
    (['vocabSize', 'maxSeqLen', 'dim', 'layers', 'heads'] as const).every((k) => got[k] === expected[k]);
  if (!same) {
    throw new Error(
      `Checkpoint shape mismatch: the checkpoint is for a model with ${describeConfig(got)}, but this model has ${describeConfig(expected)}. Load a checkpoint made for this task and model preset, or change the model preset to match.`,
    );
  }
  return checkpoint.params;
}
