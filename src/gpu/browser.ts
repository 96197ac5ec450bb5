// Browser platform: navigator.gpu, WGSL bundled by Vite with `?raw`.
import { requestGpu } from './device';
import type { AdapterSummary, Gpu } from './gpu';
import { shaderTable, type ShaderSource } from './shader-source';

const bundled = import.meta.glob('/shaders/*.wgsl', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export function bundledShaders(): ShaderSource {
  const files: Record<string, string> = {};
  for (const [path, code] of Object.entries(bundled)) files[path.slice('/shaders/'.length, -'.wgsl'.length)] = code;
  return shaderTable(files);
}

export const NO_BROWSER_WEBGPU_HELP =
  'This browser gives the page no WebGPU adapter. WebGPU ships in Chrome and Edge 113+ (Windows, macOS, ChromeOS, ' +
  'Android), Safari 26+ and Firefox 141+ on Windows. On Linux, Chrome needs chrome://flags/#enable-unsafe-webgpu ' +
  'enabled (and a Vulkan driver); in Firefox elsewhere, set dom.webgpu.enabled in about:config. ' +
  'Check that hardware acceleration is on in the browser settings.';

export class NoWebGpuError extends Error {
  constructor(why: string) {
    super(`${why} ${NO_BROWSER_WEBGPU_HELP}`);
    this.name = 'NoWebGpuError';
  }
}

export async function openBrowserGpu(shaders: ShaderSource = bundledShaders()): Promise<Gpu> {
  if (!('gpu' in navigator) || !navigator.gpu) throw new NoWebGpuError('navigator.gpu is missing.');
  const gpu = await requestGpu(navigator.gpu, shaders, 'navigator.gpu');
  if (!gpu) throw new NoWebGpuError('navigator.gpu.requestAdapter() returned no adapter.');
  return gpu;
}

/** Whether WebGPU exists here and what adapter it offers, without keeping a device. */
export async function probeBrowserAdapter(): Promise<AdapterSummary> {
  const gpu = await openBrowserGpu();
  const summary = gpu.adapter;
  gpu.destroy();
  return summary;
}
