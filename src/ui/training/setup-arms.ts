// Each arm of a setup under the label its runs carry: what the summary reports of it and the config the charts' rules read.
import type { RunConfig } from '../../config/fields';
import { type Arm, armConfig, armLabels } from '../../experiment/arms';
import type { PageSetup } from '../../experiment/setup';

export interface LabelledArm {
  arm: Arm;
  /** The config its runs train with (armConfig), their seeds aside. */
  config: RunConfig;
}

/** The setup's arms by label (RunRecord.arm), in the setup's order. */
export function armsByLabel({ config, arms }: PageSetup): Map<string, LabelledArm> {
  const labels = armLabels(arms, config);
  return new Map(arms.map((arm, i) => [labels[i]!, { arm, config: armConfig(config, arm) }]));
}
