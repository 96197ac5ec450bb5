import { useMemo, useRef } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartExport } from '../export/ChartExport';
import type { ArmRuns } from '../training/progress';
import type { LabelledArm } from '../training/setup-arms';
import { armColor } from './arm-colors';
import { niceAxis } from './axis';
import { flatArms, flatNote } from './flat-by-construction';
import { formatTick, formatValue, type MetricSpec } from './metric-table';
import { type ChartRow, type ChartView, chartRows, clampBands, movingAverage, seedSeries, valueRange, X_AXES } from './series';

/** Below this many points a series shows its dots, so one or two iterations are visible at all. */
const DOTS_UNDER = 24;

interface Props {
  spec: MetricSpec;
  arms: readonly ArmRuns[];
  /** The experiment's arms by label: their configs say where the chart is flat by construction. */
  setupArms: ReadonlyMap<string, LabelledArm>;
  view: ChartView;
}

/**
 * One metric: per arm, the mean over seeds as a line and its band (95% interval or min–max) behind it;
 * an arm for which the metric is flat by construction is not drawn, and a note under the chart says why.
 */
export function MetricChart({ spec, arms, setupArms, view }: Props) {
  // The moving average is drawn, never stored; a metric measured only now and then is drawn as measured.
  const smoothing = spec.sparse ? 0 : view.smoothing;
  const flat = useMemo(
    () =>
      flatArms(
        spec.flat,
        arms.map((a) => a.arm),
        setupArms,
      ),
    [spec, arms, setupArms],
  );
  const drawn = useMemo(() => arms.filter(({ arm }) => !flat.has(arm)), [arms, flat]);
  const rows = useMemo(() => {
    const series = drawn.map(({ arm, runs }) => ({ arm, seeds: runs.map((r) => movingAverage(seedSeries(r.metrics, spec.value, view.axis), smoothing)) }));
    return clampBands(chartRows(series, view.band), spec.bounds, spec.log);
  }, [drawn, spec, view.axis, view.band, smoothing]);
  const note = flatNote(flat);
  const count = (arm: string, of: 'mean' | 'band') => rows.filter((row) => row[of][arm] !== undefined).length;
  const range = valueRange(rows) ?? [0, 1];
  const axisY = niceAxis(Math.max(spec.bounds[0], range[0]), Math.min(spec.bounds[1], range[1]));
  const tick = (v: number) => formatTick(v, spec.format, axisY.step);
  const { label, unit } = X_AXES[view.axis];
  const figure = useRef<HTMLElement>(null);
  const perArm = (of: 'mean' | 'band') => JSON.stringify(Object.fromEntries(arms.map(({ arm }) => [arm, count(arm, of)])));

  return (
    <figure ref={figure} className="chart" data-testid={`chart-${spec.id}`} data-points={perArm('mean')} data-bands={perArm('band')}>
      <figcaption>
        <span className="chart__heading">
          <span className="chart__title">{spec.title}</span>
          <ChartExport figure={figure} id={spec.id} title={spec.title} arms={arms} view={{ ...view, smoothing }} flat={note} drawn={rows.length > 0} />
        </span>
        <span className="chart__help">{spec.help}</span>
      </figcaption>
      {drawn.length === 0 ? (
        <p className="chart__empty chart__flat">{note}</p>
      ) : rows.length === 0 ? (
        <p className="chart__empty">No points yet.</p>
      ) : (
        <ResponsiveContainer width="100%" height={170}>
          <ComposedChart data={rows} margin={{ top: 6, right: 10, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#e3e6de" strokeDasharray="3 3" />
            <XAxis
              type="number"
              dataKey="x"
              domain={['dataMin', 'dataMax']}
              allowDecimals={view.axis === 'time'}
              tickFormatter={(x: number) => `${Number(x.toPrecision(3))}${unit}`}
              fontSize={11}
            />
            {spec.log ? (
              <YAxis width={48} scale="log" domain={['auto', 'auto']} tickFormatter={(v: number) => formatValue(v, spec.format)} fontSize={11} />
            ) : (
              <YAxis width={48} domain={axisY.domain} ticks={axisY.ticks} tickFormatter={tick} fontSize={11} />
            )}
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? formatValue(value, spec.format) : String(value))}
              labelFormatter={(x) => `${label} ${typeof x === 'number' ? Number(x.toPrecision(4)) : String(x)}${unit}`}
              contentStyle={{ fontSize: 12 }}
            />
            {arms.map(({ arm }, i) =>
              flat.has(arm) || count(arm, 'band') === 0 ? null : (
                <Area
                  key={`${arm}-band`}
                  dataKey={(row: ChartRow) => row.band[arm]}
                  stroke="none"
                  fill={armColor(i)}
                  fillOpacity={0.18}
                  connectNulls
                  isAnimationActive={false}
                  legendType="none"
                  tooltipType="none"
                />
              ),
            )}
            {arms.map(({ arm }, i) =>
              flat.has(arm) ? null : (
                <Line
                  key={arm}
                  name={arm}
                  dataKey={(row: ChartRow) => row.mean[arm]}
                  stroke={armColor(i)}
                  strokeWidth={1.6}
                  dot={rows.length < DOTS_UNDER ? { r: 2.5 } : false}
                  connectNulls
                  isAnimationActive={false}
                />
              ),
            )}
          </ComposedChart>
        </ResponsiveContainer>
      )}
      {drawn.length > 0 && note && <p className="chart__flat">{note}</p>}
    </figure>
  );
}
