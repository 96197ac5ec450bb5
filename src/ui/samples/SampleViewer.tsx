import { useMemo, useState } from 'react';
import { armColor } from '../charts/arm-colors';
import { byArm } from '../training/progress';
import { useTraining } from '../training/use-training';
import { LEGEND_TICKS, ratioColor } from './ratio-scale';

/** The latest iteration's samples of each arm, every completion token coloured by its importance ratio. */
export function SampleViewer() {
  const runs = useTraining((s) => s.runs);
  const arms = useMemo(() => byArm(runs), [runs]);
  const seeds = useMemo(() => [...new Set(runs.map((r) => r.seed))], [runs]);
  const [chosen, setSeed] = useState<number | null>(null);
  if (!runs.some((r) => r.samples.length > 0)) return null;
  const seed = chosen !== null && seeds.includes(chosen) ? chosen : seeds[0];

  return (
    <section className="samples" aria-labelledby="samples-title">
      <div className="samples__bar">
        <h3 id="samples-title">Latest samples</h3>
        {seeds.length > 1 && (
          <label>
            Seed{' '}
            <select value={seed} onChange={(e) => setSeed(Number(e.target.value))}>
              {seeds.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        )}
        <RatioLegend />
      </div>
      <div className="samples__arms">
        {arms.map(({ arm, runs: group }, i) => {
          const run = group.find((r) => r.seed === seed);
          if (!run || run.samples.length === 0) return null;
          return (
            <div key={arm} className="samples__arm" data-testid={`samples-${arm}`}>
              <h4 style={{ borderColor: armColor(i) }}>
                {arm} <span className="samples__when">iteration {run.metrics.length}</span>
              </h4>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Prompt</th>
                    <th scope="col">Completion</th>
                    <th scope="col">Reward</th>
                  </tr>
                </thead>
                <tbody>
                  {run.samples.map((sample, i) => (
                    <tr key={i}>
                      <td className="samples__prompt">{sample.prompt}</td>
                      <td>
                        {sample.completion.map((token, t) => {
                          const ratio = sample.ratios?.[t];
                          return (
                            <span
                              key={t}
                              className="token"
                              style={ratio === undefined ? undefined : { background: ratioColor(ratio) }}
                              title={ratio === undefined ? 'not trained on this iteration' : `ratio ${ratio.toFixed(4)}`}
                            >
                              {token}
                            </span>
                          );
                        })}
                      </td>
                      <td className="samples__reward">{Number(sample.reward.toFixed(3))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        })}
      </div>
    </section>
  );
}

/** The colour scale: how a token's π_θ / π_old ratio reads. */
function RatioLegend() {
  return (
    <figure className="ratio-legend" aria-label="Importance ratio colour scale">
      <div className="ratio-legend__bar" style={{ background: `linear-gradient(to right, ${LEGEND_TICKS.map(ratioColor).join(', ')})` }} />
      <div className="ratio-legend__ticks">
        {LEGEND_TICKS.map((r, i) => (
          <span key={r}>
            {i === 0 ? '≤' : i === LEGEND_TICKS.length - 1 ? '≥' : ''}
            {Number(r.toFixed(2))}
          </span>
        ))}
      </div>
      <figcaption>ratio π_θ / π_old per token (trajectory and sequence levels: one weight per completion); grey: not trained on</figcaption>
    </figure>
  );
}
