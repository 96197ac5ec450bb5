import { usePage } from './use-page';

/** Names every parameter of the opening link that could not be used, and what stands in for it. */
export function UrlNotices() {
  const notices = usePage((s) => s.notices);
  const dismiss = usePage((s) => s.dismissNotices);
  if (notices.length === 0) return null;
  return (
    <div className="notices" role="alert" data-testid="url-notices">
      <p className="notices__title">Some of this link could not be used; defaults stand in:</p>
      <ul>
        {notices.map((notice, i) => (
          <li key={`${i}-${notice.param}`}>{notice.message}</li>
        ))}
      </ul>
      <button type="button" className="button button--quiet" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
