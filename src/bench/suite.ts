import type { Gpu } from '../gpu/gpu';
import type { BenchSession, Implementation } from './implementation';
import type { BenchOptions } from './options';
import { type BenchProblem, benchProblem } from './problem';
import { type BenchResult, ratios, type SetupResult } from './results';
import { timeRlIteration } from './rl-iteration';
import { timeSampling } from './sampling';
import { timeTrainSteps } from './train-step';

export type Emit = (result: BenchResult) => void;

export function adapterName(gpu: Gpu): string {
  const a = gpu.adapter;
  return `${a.description || a.architecture || a.device} (${a.vendor})`;
}

async function openAll(impls: readonly Implementation[], problem: BenchProblem): Promise<BenchSession[]> {
  const sessions: BenchSession[] = [];
  try {
    for (const impl of impls) sessions.push(await impl.open(problem));
  } catch (error) {
    for (const s of sessions) s.dispose();
    throw error;
  }
  return sessions;
}

/** Every requested measurement for every preset, each result emitted as soon as it exists; the ratios close each preset. */
export async function runSuite(
  gpu: Gpu,
  impls: readonly Implementation[],
  o: BenchOptions,
  host: Pick<SetupResult, 'mode' | 'host'>,
  emit: Emit,
): Promise<void> {
  emit({
    bench: 'setup',
    ...host,
    adapter: adapterName(gpu),
    date: new Date().toISOString(),
    implementations: impls.map(({ name, description }) => ({ name, description })),
  });
  for (const preset of o.presets) {
    const problem = benchProblem(preset, o.vocab);
    const results: BenchResult[] = [];
    const out = (rs: BenchResult[]) => {
      results.push(...rs);
      rs.forEach(emit);
    };
    if (o.measure.includes('train') || o.measure.includes('sampling')) {
      const sessions = await openAll(impls, problem);
      try {
        if (o.measure.includes('train')) out(await timeTrainSteps(impls, sessions, problem, o.warmup, o.runs));
        if (o.measure.includes('sampling')) out(await timeSampling(impls, sessions, problem, o.warmup, o.runs));
      } finally {
        for (const s of sessions) s.dispose();
      }
    }
    if (o.measure.includes('rl') && o.peers.includes('ours')) out([await timeRlIteration(gpu, preset, o.warmup, o.runs)]);
    ratios(preset, results).forEach(emit);
  }
}
