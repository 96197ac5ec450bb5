import { useMemo, useRef } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { type PresetName, PRESETS } from '../../loss/presets';
import { ChartExport } from '../export/ChartExport';
import type { RunRecord } from '../training/runs';
import { ARM_COLORS } from './arm-colors';
import { niceAxis } from './axis';
import { formatTick, formatValue, type MetricSpec } from './metric-table';
import { acrossSeeds, chartRows, type ChartRow, valueRange, X_AXES, type XAxisKind } from './series';

/** Below this many points a series shows its dots, so one or two iterations are visible at all. */
const DOTS_UNDER = 24;

export interface ArmRuns {
  arm: PresetName;
  runs: RunRecord[];
}

/** One metric: per arm, the mean over seeds as a line and their min–max (or a bucket's) as a band behind it. */
export function MetricChart({ spec, arms, axis }: { spec: MetricSpec; arms: readonly ArmRuns[]; axis: XAxisKind }) {
  const rows = useMemo(
    () =>
      chartRows(
        arms.map(({ arm, runs }) => ({
          arm,
          bands: acrossSeeds(
            runs.map((r) => r.metrics),
            spec.value,
            axis,
          ),
        })),
      ),
    [arms, spec, axis],
  );
  const count = (arm: PresetName) => rows.filter((row) => row.mean[arm] !== undefined).length;
  const banded = rows.some((row) => Object.values(row.band).some(([lo, hi]) => hi > lo));
  const range = valueRange(rows) ?? [0, 1];
  const axisY = niceAxis(Math.max(spec.bounds[0], range[0]), Math.min(spec.bounds[1], range[1]));
  const tick = (v: number) => formatTick(v, spec.format, axisY.step);
  const { label, unit } = X_AXES[axis];
  const figure = useRef<HTMLElement>(null);

  return (
    <figure ref={figure} className="chart" data-testid={`chart-${spec.id}`} data-points={arms.map(({ arm }) => `${arm}:${count(arm)}`).join(' ')}>
      <figcaption>
        <span className="chart__heading">
          <span className="chart__title">{spec.title}</span>
          <ChartExport figure={figure} id={spec.id} title={spec.title} arms={arms} axis={axis} drawn={rows.length > 0} />
        </span>
        <span className="chart__help">{spec.help}</span>
      </figcaption>
      {rows.length === 0 ? (
        <p className="chart__empty">No points yet.</p>
      ) : (
        <ResponsiveContainer width="100%" height={170}>
          <ComposedChart data={rows} margin={{ top: 6, right: 10, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#e3e6de" strokeDasharray="3 3" />
            <XAxis
              type="number"
              dataKey="x"
              domain={['dataMin', 'dataMax']}
              allowDecimals={axis === 'time'}
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
            {banded &&
              arms.map(({ arm }) => (
                <Area
                  key={`${arm}-band`}
                  dataKey={(row: ChartRow) => row.band[arm]}
                  stroke="none"
                  fill={ARM_COLORS[arm]}
                  fillOpacity={0.18}
                  connectNulls
                  isAnimationActive={false}
                  legendType="none"
                  tooltipType="none"
                />
              ))}
            {arms.map(({ arm }) => (
              <Line
                key={arm}
                name={PRESETS[arm].label}
                dataKey={(row: ChartRow) => row.mean[arm]}
                stroke={ARM_COLORS[arm]}
                strokeWidth={1.6}
                dot={rows.length < DOTS_UNDER ? { r: 2.5 } : false}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
