// The limits the runtime asks every adapter for, explicitly. They are the WebGPU defaults that
// every conforming adapter offers (docs/design.md §5: portable limits only), so a kernel that runs here
// runs on any WebGPU device; requesting them by name documents what the kernels rely on.
export const REQUESTED_LIMITS = {
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupSizeY: 256,
  maxComputeWorkgroupSizeZ: 64,
  maxComputeWorkgroupStorageSize: 16384,
  maxComputeWorkgroupsPerDimension: 65535,
  maxStorageBuffersPerShaderStage: 8,
  maxStorageBufferBindingSize: 128 * 1024 * 1024,
  maxBufferSize: 128 * 1024 * 1024,
  maxUniformBufferBindingSize: 65536,
  maxBindGroups: 4,
} as const;

export type RequestedLimits = { [K in keyof typeof REQUESTED_LIMITS]: number };

/** The requested limits, or a message naming every limit the adapter cannot meet. */
export function checkAdapterLimits(adapterLimits: GPUSupportedLimits): RequestedLimits {
  const short: string[] = [];
  for (const [name, wanted] of Object.entries(REQUESTED_LIMITS)) {
    const offered = (adapterLimits as unknown as Record<string, number>)[name];
    if (offered === undefined || offered < wanted) short.push(`${name}: wanted ${wanted}, adapter offers ${offered}`);
  }
  if (short.length > 0) throw new Error(`This WebGPU adapter is below the limits GRPO Lab needs (${short.join('; ')}).`);
  return { ...REQUESTED_LIMITS };
}
