import { type AdapterSummary, Gpu } from './gpu';
import { checkAdapterLimits } from './limits';
import type { ShaderSource } from './shader-source';

/** What an adapter says of itself, and how the runtime came to it. */
export function adapterSummary(adapter: GPUAdapter, via: string): AdapterSummary {
  const info = adapter.info;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter),
    via,
  };
}

/** Whether the adapter executes shaders on a CPU (SwiftShader, llvmpipe, WARP): it says so, or its name does. */
export function runsOnCpu(adapter: AdapterSummary): boolean {
  return adapter.isFallbackAdapter || /swiftshader|llvmpipe|lavapipe|warp/i.test(`${adapter.architecture} ${adapter.device} ${adapter.description}`);
}

/** The adapter's summary and a device with GRPO Lab's limits, or null where `gpu` offers no adapter. */
export async function requestGpu(gpu: GPU, shaders: ShaderSource, via: string): Promise<Gpu | null> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const limits = checkAdapterLimits(adapter.limits);
  const device = await adapter.requestDevice({ label: 'grpo-lab', requiredLimits: limits });
  return new Gpu(gpu, device, adapterSummary(adapter, via), limits, shaders);
}
