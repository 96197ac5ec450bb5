// Node platform: Dawn from the npm package `webgpu`, WGSL read from disk.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { create, globals } from 'webgpu';
import { requestGpu } from './device';
import type { Gpu } from './gpu';
import { shaderTable, type ShaderSource } from './shader-source';

/** The software Vulkan driver that Debian's `chromium` package ships. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

const SHADER_DIR = fileURLToPath(new URL('../../shaders/', import.meta.url));

/** Every `shaders/*.wgsl`, read from disk once. */
export function diskShaders(dir = SHADER_DIR): ShaderSource {
  const files: Record<string, string> = {};
  for (const file of readdirSync(dir)) {
    if (file.endsWith('.wgsl')) files[file.slice(0, -'.wgsl'.length)] = readFileSync(dir + file, 'utf8');
  }
  return shaderTable(files);
}

export const NO_NODE_ADAPTER_HELP = [
  'No WebGPU adapter is available to Node.',
  "On a machine without a GPU, install Debian's software Vulkan driver and loader:",
  '  apt-get install chromium libvulkan1',
  `GRPO Lab then uses SwiftShader (${SWIFTSHADER_ICD}) by itself. If libvulkan1 cannot be installed,`,
  'run with LD_LIBRARY_PATH=/usr/lib/chromium. With a GPU, install its Vulkan driver.',
].join('\n');

export interface NodeGpuOptions {
  shaders?: ShaderSource;
  /** Where the runtime says which adapter it fell back to. */
  log?: (message: string) => void;
}

/**
 * The default adapter for Node. Where the system offers none and Debian Chromium's SwiftShader
 * is installed, it is used without the user setting anything, and `log` says so.
 */
export async function openNodeGpu({ shaders = diskShaders(), log = (m) => console.error(m) }: NodeGpuOptions = {}): Promise<Gpu> {
  Object.assign(globalThis, globals);
  const explicitIcd = process.env.VK_ICD_FILENAMES;
  let gpu = await requestGpu(create([]), shaders, explicitIcd ? `VK_ICD_FILENAMES=${explicitIcd}` : 'system');
  if (!gpu && !explicitIcd && existsSync(SWIFTSHADER_ICD)) {
    // The Vulkan loader reads this when Dawn creates its next instance.
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    gpu = await requestGpu(create([]), shaders, `SwiftShader (${SWIFTSHADER_ICD})`);
    if (gpu) log(`grpo-lab: no system WebGPU adapter; using SwiftShader, the software Vulkan driver from ${SWIFTSHADER_ICD}`);
  }
  if (!gpu) throw new Error(NO_NODE_ADAPTER_HELP);
  return gpu;
}
