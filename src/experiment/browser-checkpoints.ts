// Base checkpoints for the page, fetched over HTTP from public/checkpoints/ beside it.
import type { CheckpointLoader } from './base-model';

/** Fetches checkpoints from the folder `base` (an absolute URL); throws when the server has none. */
export function httpCheckpointLoader(base: string, fetchFn: typeof fetch = fetch): CheckpointLoader {
  return async (name) => {
    const response = await fetchFn(new URL(name, base).href);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    // Single-page-app servers (vite preview among them) answer a missing file with index.html.
    if (response.headers.get('content-type')?.includes('text/html')) throw new Error('the server answered with a web page');
    return new Uint8Array(await response.arrayBuffer());
  };
}
