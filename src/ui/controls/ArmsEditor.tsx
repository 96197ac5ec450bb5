import { useMemo } from 'react';
import { armLabels } from '../../experiment/arms';
import { usePage } from '../use-page';
import { ArmRow } from './ArmRow';
import { VaryFieldForm } from './VaryFieldForm';

/** The arms compared: one row each (preset and overrides), + arm, Vary one field, and how many runs the experiment makes. */
export function ArmsEditor() {
  const setup = usePage((s) => s.setup);
  const conflict = usePage((s) => s.baseConflict);
  const addArm = usePage((s) => s.addArm);
  const labels = useMemo(() => armLabels(setup.arms, setup.config), [setup]);
  const { arms, seeds } = setup;
  return (
    <fieldset className="group arms" data-testid="arms">
      <legend>Arms</legend>
      <p className="arms__intro">Each arm is an algorithm preset plus the fields it changes; every arm trains over the fields below, with the same seeds.</p>
      <ol className="arms__list">
        {arms.map((arm, i) => (
          <ArmRow key={i} index={i} arm={arm} label={labels[i]!} removable={arms.length > 1} />
        ))}
      </ol>
      <div className="arms__bar">
        <button type="button" className="button button--quiet" onClick={addArm}>
          + arm
        </button>
        <VaryFieldForm labels={labels} />
      </div>
      <p className="arms__count">
        {arms.length} {arms.length === 1 ? 'arm' : 'arms'} × {seeds} {seeds === 1 ? 'seed' : 'seeds'} = {arms.length * seeds} runs
      </p>
      {conflict && (
        <p className="field__error" role="alert">
          The fields below are not kept: {conflict}.
        </p>
      )}
    </fieldset>
  );
}
