import { afterAll } from 'vitest';
import type { Gpu } from '../../src/gpu/gpu';
import { openNodeGpu } from '../../src/gpu/node';

let shared: Promise<Gpu> | null = null;

/**
 * The test file's WebGPU device (Dawn in Node; SwiftShader where there is no GPU). Where no
 * adapter can be had this throws with instructions: GPU tests fail loudly, they never skip.
 */
export function testGpu(): Promise<Gpu> {
  if (!shared) {
    shared = openNodeGpu({ log: () => {} });
    afterAll(async () => (await shared)?.destroy());
  }
  return shared;
}
