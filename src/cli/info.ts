import { openNodeGpu } from '../gpu/node';

/** `info`: one JSON line naming the adapter and the limits the runtime requested of it. */
export async function info(): Promise<void> {
  const gpu = await openNodeGpu();
  const { vendor, architecture, device, description, isFallbackAdapter, via } = gpu.adapter;
  console.log(JSON.stringify({ vendor, architecture, device, description, isFallbackAdapter, via, requestedLimits: gpu.limits }));
  gpu.destroy();
}
