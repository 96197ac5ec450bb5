import type { Implementation } from '../implementation';

/**
 * The peer frameworks, loaded on demand: they are dev-only dependencies, and TF.js registers its
 * WebGPU backend when imported, so `navigator.gpu` must exist by then.
 */
export const PEERS: Record<string, () => Promise<Implementation>> = {
  tfjs: async () => (await import('./tfjs')).tfjsPeer,
  jaxjs: async () => (await import('./jaxjs')).jaxjsPeer,
};
