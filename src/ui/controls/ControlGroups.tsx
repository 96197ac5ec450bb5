import type { ComponentType } from 'react';
import { DerivedValues } from './DerivedValues';
import { FieldControl } from './FieldControl';
import { CONTROL_GROUPS, type GroupId } from './groups';

/** What a group shows after its fields: N and the reuse count sit with K, G, B and M. */
const GROUP_FOOTERS: Partial<Record<GroupId, ComponentType>> = { optimisation: DerivedValues };

/** The fields every arm shares and the seeds per arm, generated from their tables, in labelled groups. */
export function ControlGroups() {
  return (
    <div className="groups">
      {CONTROL_GROUPS.map(({ id, title, fields }) => {
        const Footer = GROUP_FOOTERS[id];
        return (
          <fieldset className="group" key={id}>
            <legend>{title}</legend>
            {fields.map((name) => (
              <FieldControl key={name} name={name} />
            ))}
            {Footer && <Footer />}
          </fieldset>
        );
      })}
    </div>
  );
}
