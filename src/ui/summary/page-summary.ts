// The summary (src/experiment/summary.ts) of the experiment on the page: its runs as the summary's arms,
// summarised under the user's choice of reference and threshold. Reads only each run's evaluations.
import type { PageSetup } from '../../experiment/setup';
import { type ArmRuns, type Summary, seedRun, summarize } from '../../experiment/summary';
import { byArm } from '../training/progress';
import type { RunRecord } from '../training/runs';
import { armsByLabel } from '../training/setup-arms';
import type { SummaryChoice } from './summary-choice';

/** The setup's arms, in its order, each with the runs of its label. */
export function summaryArms(setup: PageSetup, runs: readonly RunRecord[]): ArmRuns[] {
  const groups = new Map(byArm(runs).map(({ arm, runs: group }) => [arm, group]));
  return [...armsByLabel(setup)].map(([label, { arm }]) => ({ label, arm, runs: (groups.get(label) ?? []).map((run) => seedRun(run.seed, run.metrics)) }));
}

/** The summary of `runs` under `choice`: against the chosen reference where it is one of the arms, else the first arm. */
export function pageSummary(setup: PageSetup, runs: readonly RunRecord[], { reference, threshold }: SummaryChoice): Summary {
  const arms = summaryArms(setup, runs);
  const chosen = arms.find((a) => a.label === reference) ?? arms[0]!;
  return summarize(arms, chosen.label, threshold);
}
