import { CopyLinkButton } from './CopyLinkButton';
import { ArmsEditor } from './controls/ArmsEditor';
import { ControlGroups } from './controls/ControlGroups';
import { UrlNotices } from './UrlNotices';
import { usePage } from './use-page';

/** Everything that sets up an experiment: link notices, sharing, the arms, and the fields every arm shares. */
export function SetupPanel() {
  const reset = usePage((s) => s.resetDefaults);
  return (
    <section className="setup" aria-labelledby="setup-title">
      <UrlNotices />
      <div className="setup__bar">
        <h2 id="setup-title">Experiment</h2>
        <button type="button" className="button button--quiet" onClick={reset}>
          Reset to defaults
        </button>
        <CopyLinkButton />
      </div>
      <ArmsEditor />
      <ControlGroups />
    </section>
  );
}
