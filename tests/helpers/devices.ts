import { afterAll } from 'vitest';
import type { Gpu } from '../../src/gpu/gpu';
import { openNodeGpu } from '../../src/gpu/node';

/** Opens a fresh device for each call (Dawn; SwiftShader without a GPU), all destroyed after the file's tests. */
export function freshDevices(): () => Promise<Gpu> {
  const devices: Gpu[] = [];
  afterAll(() => {
    for (const gpu of devices) gpu.destroy();
  });
  return async () => {
    const gpu = await openNodeGpu({ log: () => {} });
    devices.push(gpu);
    return gpu;
  };
}
