import { PEERS } from './peers';
import type { Gpu } from '../gpu/gpu';
import type { Implementation } from './implementation';
import { oursImplementation } from './ours';

/** The implementations named in --peers, ours on `gpu`, the peers on `navigator.gpu`. */
export function loadImplementations(gpu: Gpu, names: readonly string[]): Promise<Implementation[]> {
  return Promise.all(
    names.map((name) => {
      if (name === 'ours') return oursImplementation(gpu);
      const load = PEERS[name];
      if (!load) throw new Error(`bench: unknown implementation "${name}"`);
      return load();
    }),
  );
}
