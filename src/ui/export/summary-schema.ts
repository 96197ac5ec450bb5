// The summary an exported file carries (the page's summary table, as `sweep` writes summary.json), checked
// field by field when the file is read back; statistics that are not defined were written as null.
import { z } from 'zod';
import { armSchema } from '../../experiment/arms';
import { STATISTIC_NAMES, type Statistic } from '../../experiment/summary';
import type { Verdict } from '../../util/stats';

const VERDICTS = ['better', 'worse', 'no difference detectable', 'identical', 'too few seeds'] as const satisfies readonly Verdict[];

const value = z
  .number()
  .nullable()
  .transform((v) => v ?? Number.NaN);
const interval = { mean: value, ci95: value, n: z.int().min(0), perSeed: z.array(value) };
const statistic = z.strictObject(interval);
const difference = z.strictObject({ ...interval, verdict: z.enum(VERDICTS) });
const byStatistic = <S extends z.ZodType>(schema: S) =>
  z.strictObject(Object.fromEntries(STATISTIC_NAMES.map((name) => [name, schema])) as Record<Statistic, S>);

export const summarySchema = z.strictObject({
  reference: z.string().min(1),
  threshold: z.number().min(0).max(1),
  arms: z.array(
    z.strictObject({
      label: z.string().min(1),
      algo: armSchema.shape.algo,
      overrides: armSchema.shape.overrides,
      seeds: z.array(z.int()),
      statistics: byStatistic(statistic),
      versusReference: byStatistic(difference).nullable(),
    }),
  ),
});
