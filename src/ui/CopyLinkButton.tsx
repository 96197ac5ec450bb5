import { useEffect, useState } from 'react';
import { usePage } from './use-page';

type CopyState = 'idle' | 'copied' | 'manual';

/** Copies the page's link (the address bar always holds the setup); where the clipboard refuses, shows the link to copy by hand. */
export function CopyLinkButton() {
  const [state, setState] = useState<CopyState>('idle');
  // Re-render on every change, so the hand-copy box always holds the current link.
  usePage((s) => s.setup);

  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      // navigator.clipboard is missing outside secure contexts, and writeText rejects without permission.
      await navigator.clipboard.writeText(location.href);
      setState('copied');
    } catch {
      setState('manual');
    }
  }

  return (
    <div className="copy-link">
      <button type="button" className="button" onClick={copy}>
        Copy link
      </button>
      <span className="copy-link__status" role="status">
        {state === 'copied' ? 'Copied' : ''}
      </span>
      {state === 'manual' && (
        <label className="copy-link__manual">
          The clipboard is not available here; copy this link:
          {/* biome-ignore lint/a11y/noAutofocus: the field appears because copying failed, and selecting its text is the user's next step */}
          <input readOnly value={location.href} autoFocus onFocus={(e) => e.target.select()} />
        </label>
      )}
    </div>
  );
}
