// What the page itself may do with WebGPU: ask whether it exists. No shaders, no device kept.
import { adapterSummary } from './device';
import type { AdapterSummary } from './gpu';

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

/** Whether WebGPU exists here and what adapter it offers. */
export async function probeBrowserAdapter(): Promise<AdapterSummary> {
  if (!('gpu' in navigator) || !navigator.gpu) throw new NoWebGpuError('navigator.gpu is missing.');
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new NoWebGpuError('navigator.gpu.requestAdapter() returned no adapter.');
  return adapterSummary(adapter, 'navigator.gpu');
}
