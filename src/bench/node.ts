import { availableParallelism } from 'node:os';
import { openNodeGpu } from '../gpu/node';
import { loadImplementations } from './implementations';
import type { BenchOptions } from './options';
import { type Emit, runSuite } from './suite';

/**
 * Gives the peer frameworks `navigator.gpu` as a browser would, from the very GPU instance (and so
 * adapter) our device came from; the global keeps it reachable, which Dawn for Node needs.
 */
export function provideNavigatorGpu(instance: GPU): void {
  const navigator = { gpu: instance, userAgent: `Node.js ${process.version}`, hardwareConcurrency: availableParallelism() };
  Object.defineProperty(globalThis, 'navigator', { value: navigator, configurable: true, writable: true });
}

/** The bench in this Node process, on Dawn. */
export async function benchInNode(options: BenchOptions, emit: Emit): Promise<void> {
  const gpu = await openNodeGpu();
  provideNavigatorGpu(gpu.instance);
  try {
    await runSuite(gpu, await loadImplementations(gpu, options.peers), options, { mode: 'node', host: `Node ${process.version}` }, emit);
  } finally {
    gpu.destroy();
  }
}
