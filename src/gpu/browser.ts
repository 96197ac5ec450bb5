// Browser platform: navigator.gpu, WGSL bundled by Vite with `?raw`.
import { NoWebGpuError } from './browser-probe';
import { requestGpu } from './device';
import type { Gpu } from './gpu';
import { shaderTable, type ShaderSource } from './shader-source';

const bundled = import.meta.glob('/shaders/*.wgsl', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export function bundledShaders(): ShaderSource {
  const files: Record<string, string> = {};
  for (const [path, code] of Object.entries(bundled)) files[path.slice('/shaders/'.length, -'.wgsl'.length)] = code;
  return shaderTable(files);
}

export async function openBrowserGpu(shaders: ShaderSource = bundledShaders()): Promise<Gpu> {
  if (!('gpu' in navigator) || !navigator.gpu) throw new NoWebGpuError('navigator.gpu is missing.');
  const gpu = await requestGpu(navigator.gpu, shaders, 'navigator.gpu');
  if (!gpu) throw new NoWebGpuError('navigator.gpu.requestAdapter() returned no adapter.');
  return gpu;
}
