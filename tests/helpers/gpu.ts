import { afterAll, afterEach } from 'vitest';
import type { Gpu } from '../../src/gpu/gpu';
import { openNodeGpu } from '../../src/gpu/node';

let shared: Promise<Gpu> | null = null;
const deviceErrors: Error[] = [];

/**
 * The test file's WebGPU device (Dawn in Node; SwiftShader where there is no GPU). Where no
 * adapter can be had this throws with instructions: GPU tests fail loudly, they never skip.
 */
export function testGpu(): Promise<Gpu> {
  shared ??= openNodeGpu({ log: () => {} }).then((gpu) => {
    gpu.onError((error) => deviceErrors.push(error));
    return gpu;
  });
  return shared;
}

// A validation error only invalidates a command buffer, which leaves outputs unwritten rather than
// failing anything: every test that raised one fails here, with the device's message.
afterEach(() => {
  const errors = deviceErrors.splice(0);
  if (errors.length > 0) throw new Error(`WebGPU reported ${errors.length} error(s) during this test:\n${errors.map((e) => e.message).join('\n')}`);
});

afterAll(async () => {
  (await shared)?.destroy();
  shared = null;
});
