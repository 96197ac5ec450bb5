let dispatches = 0;
let installed = false;

/**
 * Compute dispatches encoded so far by anyone in this realm — ours, TF.js and jax-js alike — counted
 * by wrapping GPUComputePassEncoder's dispatch methods the first time this is called.
 */
export function dispatchesSoFar(): number {
  if (!installed) {
    const proto = globalThis.GPUComputePassEncoder.prototype;
    for (const method of ['dispatchWorkgroups', 'dispatchWorkgroupsIndirect'] as const) {
      const original = proto[method] as (...args: unknown[]) => undefined;
      proto[method] = function (this: GPUComputePassEncoder, ...args: unknown[]) {
        dispatches++;
        return original.apply(this, args);
      };
    }
    installed = true;
  }
  return dispatches;
}
