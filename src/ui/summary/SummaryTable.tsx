import { type ReactNode, useMemo, useState } from 'react';
import { STATISTIC_NAMES, STATISTICS, type Summary } from '../../experiment/summary';
import { armColor } from '../charts/arm-colors';
import { ValueBox } from '../controls/ValueBox';
import { useTraining } from '../training/use-training';
import { pageSummary } from './page-summary';
import { differenceCell, percentOf, statisticCell, statisticHeading, statisticValue } from './summary-cells';
import { summaryChoiceStore, useSummaryChoice } from './summary-choice';

/**
 * Held-out accuracy per arm over its seeds (start, end, best, mean, gain, iterations to a threshold), then
 * each arm against a reference arm, paired by seed, with what the 95% interval says; live as runs train.
 */
export function SummaryTable() {
  const experiment = useTraining((s) => s.experiment);
  const runs = useTraining((s) => s.runs);
  const reference = useSummaryChoice((c) => c.reference);
  const threshold = useSummaryChoice((c) => c.threshold);
  const summary = useMemo(() => experiment && pageSummary(experiment.setup, runs, { reference, threshold }), [experiment, runs, reference, threshold]);
  if (!summary) return null;
  const headings = STATISTIC_NAMES.map((name) => (
    <th key={name} scope="col" title={STATISTICS[name]}>
      {statisticHeading(name, summary.threshold)}
    </th>
  ));

  return (
    <section className="summary" aria-labelledby="summary-title" data-testid="summary">
      <div className="summary__bar">
        <h3 id="summary-title">Summary</h3>
        <label>
          Reference arm{' '}
          <select value={summary.reference} onChange={(e) => summaryChoiceStore.setState({ reference: e.target.value })}>
            {summary.arms.map(({ label }) => (
              <option key={label} value={label}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <ThresholdInput threshold={threshold} />
      </div>
      <table data-testid="summary-arms">
        <caption>
          Held-out greedy accuracy in points, mean ± 95% interval over seeds (Student t); iterations to {percentOf(summary.threshold)}% leave out, and count,
          the seeds that have not reached it. Hover a cell for each seed’s value.
        </caption>
        <thead>
          <tr>
            <th scope="col">Arm</th>
            <th scope="col">Seeds</th>
            {headings}
          </tr>
        </thead>
        <tbody>
          {summary.arms.map(({ label, seeds, statistics }, i) => (
            <tr key={label}>
              <th scope="row">
                <span className="legend__swatch" style={{ background: armColor(i) }} aria-hidden="true" />
                {label}
              </th>
              <td>{seeds.length}</td>
              {STATISTIC_NAMES.map((name) => {
                const cell = statisticCell(name, statistics[name], seeds);
                return (
                  <td key={name} title={cell.perSeed}>
                    {cell.text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <Differences summary={summary} headings={headings} />
      <SeedValues summary={summary} headings={headings} />
    </section>
  );
}

/** The threshold in percent; a value outside 0–100 is marked and not used. */
function ThresholdInput({ threshold }: { threshold: number }) {
  const [refused, setRefused] = useState(false);
  return (
    <span className="summary__threshold">
      <ValueBox
        label="Threshold"
        value={percentOf(threshold)}
        min={0}
        max={100}
        step={1}
        invalid={refused}
        onValue={(percent) => {
          const valid = percent >= 0 && percent <= 100;
          setRefused(!valid);
          if (valid) summaryChoiceStore.setState({ threshold: percent / 100 });
        }}
      />{' '}
      % threshold
    </span>
  );
}

/** Each other arm − the reference, seed by seed: the mean difference, its interval and the verdict. */
function Differences({ summary, headings }: { summary: Summary; headings: readonly ReactNode[] }) {
  const compared = summary.arms.filter((a) => a.versusReference);
  if (compared.length === 0) return null;
  return (
    <table data-testid="summary-differences">
      <caption>Paired by seed against {summary.reference}: each arm’s value minus the reference’s, mean ± 95% interval, and what the interval says.</caption>
      <thead>
        <tr>
          <th scope="col">Arm − {summary.reference}</th>
          {headings}
        </tr>
      </thead>
      <tbody>
        {compared.map(({ label, seeds, versusReference }) => (
          <tr key={label}>
            <th scope="row">
              {label} − {summary.reference}
            </th>
            {STATISTIC_NAMES.map((name) => {
              const cell = differenceCell(name, versusReference![name], seeds.length);
              return (
                <td key={name} title={cell.perSeed}>
                  {cell.text}
                  <span className="summary__verdict">{cell.verdict}</span>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Every seed's value of every statistic, folded away. */
function SeedValues({ summary, headings }: { summary: Summary; headings: readonly ReactNode[] }) {
  return (
    <details className="summary__seeds">
      <summary>Each seed’s values</summary>
      <table>
        <caption>Per seed, in points (iterations to {percentOf(summary.threshold)}%); — where a run has no value yet.</caption>
        <thead>
          <tr>
            <th scope="col">Arm</th>
            <th scope="col">Seed</th>
            {headings}
          </tr>
        </thead>
        <tbody>
          {summary.arms.flatMap(({ label, seeds, statistics }) =>
            seeds.map((seed, i) => (
              <tr key={`${label}:${seed}`}>
                <th scope="row">{label}</th>
                <td>{seed}</td>
                {STATISTIC_NAMES.map((name) => (
                  <td key={name}>{statisticValue(name, statistics[name].perSeed[i]!)}</td>
                ))}
              </tr>
            )),
          )}
        </tbody>
      </table>
    </details>
  );
}
