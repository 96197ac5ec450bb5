import type { BenchResult, RatioResult, RlIterationResult, SamplingResult, SetupResult, TrainStepResult } from './results';

const fixed = (x: number, digits = 1) => x.toFixed(digits);
const whole = (x: number) => Math.round(x).toLocaleString('en-US');
const ratio = (x: number | null) => (x === null ? '—' : `${x >= 10 ? fixed(x, 0) : fixed(x, 2)}×`);

function table(header: string[], rows: string[][]): string {
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** One line per result while the run goes on. */
export function progressLine(r: BenchResult): string {
  switch (r.bench) {
    case 'setup':
      return `${r.mode} · ${r.adapter} · ${r.host} · ${r.date}\n  ${r.implementations.map((i) => `${i.name}: ${i.description}`).join('\n  ')}`;
    case 'train-step':
      return `${r.preset} train step ${r.impl}: ${fixed(r.msPerStep)} ms, ${whole(r.tokensPerSecond)} tokens/s, ${fixed(r.gflopPerSecond, 2)} GFLOP/s, ${r.dispatches} dispatches, losses ${r.firstLoss.toFixed(5)} → ${r.lastLoss.toFixed(5)}`;
    case 'sampling':
      return `${r.preset} sampling ${r.impl}: ${fixed(r.msPerRollout)} ms per rollout, ${whole(r.tokensPerSecond)} tokens/s, ${r.dispatches} dispatches`;
    case 'rl-iteration':
      return `${r.preset} RL iteration: sampling ${fixed(r.samplingMs)} ms, scoring ${fixed(r.scoringMs)} ms, ${r.K} inner steps ${fixed(r.innerStepsMs)} ms`;
    case 'ratio':
      return `${r.preset} ours ÷ ${r.peer}: training step ${ratio(r.trainStep)}, sampling ${ratio(r.sampling)}`;
  }
}

/** Ours against the faster peer (the smaller ratio) of one preset, against the targets: training ≥ 2×, sampling ≥ 5×. */
function targetsLine(ratios: readonly RatioResult[]): string {
  const against = (key: 'trainStep' | 'sampling', target: number) => {
    const values = ratios.map((r) => r[key]).filter((x): x is number => x !== null);
    if (values.length === 0) return `${key === 'trainStep' ? 'training step' : 'sampling'} not measured`;
    const worst = Math.min(...values);
    return `${key === 'trainStep' ? 'training step' : 'sampling'} ${ratio(worst)} the faster peer (target ≥ ${target}×: ${worst >= target ? 'met' : 'not met'})`;
  };
  return `- ${ratios[0]!.preset}: ${against('trainStep', 2)}; ${against('sampling', 5)}.`;
}

/** Markdown tables of a whole run, as bench/RESULTS.md records them. */
export function markdownReport(results: readonly BenchResult[], runs: number, warmup: number): string {
  const of = <K extends BenchResult['bench']>(bench: K) => results.filter((r): r is Extract<BenchResult, { bench: K }> => r.bench === bench);
  const setup: SetupResult | undefined = of('setup')[0];
  const parts: string[] = [];
  if (setup)
    parts.push(
      `${setup.mode === 'node' ? 'Node (Dawn)' : 'Headless Chromium'} · adapter: ${setup.adapter} · ${setup.host} · ${setup.date.slice(0, 10)} · median of ${runs} runs after ${warmup} warm-up, implementations interleaved`,
    );
  const train: TrainStepResult[] = of('train-step');
  if (train.length) {
    parts.push(
      table(
        ['preset', 'B×T', 'params', 'implementation', 'ms / step', 'tokens / s', 'GFLOP/s', 'dispatches / step', 'first loss', 'last loss'],
        train.map((r) => [
          r.preset,
          `${r.B}×${r.T}`,
          `${fixed(r.params / 1e6, 2)}M`,
          r.impl,
          fixed(r.msPerStep),
          whole(r.tokensPerSecond),
          fixed(r.gflopPerSecond, 2),
          String(r.dispatches),
          r.firstLoss.toFixed(5),
          r.lastLoss.toFixed(5),
        ]),
      ),
    );
  }
  const sampling: SamplingResult[] = of('sampling');
  if (sampling.length) {
    parts.push(
      table(
        ['preset', 'rows × (prompt + new)', 'implementation', 'decoding', 'ms / rollout', 'new tokens / s', 'dispatches / rollout'],
        sampling.map((r) => [
          r.preset,
          `${r.rows} × (${r.promptLength} + ${r.newTokens})`,
          r.impl,
          r.decoding,
          fixed(r.msPerRollout),
          whole(r.tokensPerSecond),
          String(r.dispatches),
        ]),
      ),
    );
  }
  const rl: RlIterationResult[] = of('rl-iteration');
  if (rl.length) {
    parts.push(
      table(
        ['preset', 'task', 'N = B·G', 'completion', 'K × M', 'sampling ms', 'scoring ms', 'inner steps ms', 'iteration ms', 'held-out eval ms'],
        rl.map((r) => [
          r.preset,
          r.task,
          String(r.N),
          String(r.completionLength),
          `${r.K} × ${r.M}`,
          fixed(r.samplingMs),
          fixed(r.scoringMs),
          fixed(r.innerStepsMs),
          fixed(r.totalMs),
          `${fixed(r.evalMs)} (${r.evalProblems} problems)`,
        ]),
      ),
    );
  }
  const ratios: RatioResult[] = of('ratio');
  if (ratios.length) {
    parts.push(
      table(
        ['preset', 'ours ÷', 'training step', 'sampling'],
        ratios.map((r) => [r.preset, r.peer, ratio(r.trainStep), ratio(r.sampling)]),
      ),
    );
    parts.push([...new Set(ratios.map((r) => r.preset))].map((preset) => targetsLine(ratios.filter((r) => r.preset === preset))).join('\n'));
  }
  return parts.join('\n\n');
}
