import { useEffect, useState } from 'react';
import { probeBrowserAdapter } from '../gpu/browser-probe';
import type { AdapterSummary } from '../gpu/gpu';

type Probe = { state: 'probing' } | { state: 'ready'; adapter: AdapterSummary } | { state: 'missing'; message: string };

/** Names the WebGPU adapter the page got, or says plainly that there is none and how to get one. */
export function AdapterStatus() {
  const [probe, setProbe] = useState<Probe>({ state: 'probing' });
  useEffect(() => {
    let live = true;
    probeBrowserAdapter().then(
      (adapter) => live && setProbe({ state: 'ready', adapter }),
      (error: unknown) => live && setProbe({ state: 'missing', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, []);

  if (probe.state === 'probing')
    return (
      <p className="adapter" data-testid="adapter">
        Looking for a WebGPU adapter…
      </p>
    );
  if (probe.state === 'missing') {
    return (
      <div className="adapter adapter--missing" role="alert" data-testid="adapter">
        <strong>No WebGPU here.</strong> {probe.message}
      </div>
    );
  }
  const { description, vendor, architecture, isFallbackAdapter } = probe.adapter;
  return (
    <p className="adapter" data-testid="adapter">
      WebGPU adapter: <strong>{description || architecture || 'unnamed'}</strong> ({[vendor, architecture].filter(Boolean).join(', ')}
      {isFallbackAdapter ? ', software fallback' : ''})
    </p>
  );
}
