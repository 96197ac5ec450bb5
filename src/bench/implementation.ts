import type { BenchProblem } from './problem';

/** One implementation of the benchmarked GPT, opened on one problem. */
export interface BenchSession {
  /** One forward + backward + Adam step on the problem's batch; resolves to that step's mean loss, read back from the GPU. */
  trainStep(): Promise<number>;
  /** Decodes the sampling problem's new tokens after every prompt; resolves to them, [rows · newTokens], read back. */
  sample(round: number): Promise<Uint32Array>;
  dispose(): void;
}

/** Ours or a peer framework: a name for the tables and a way to open a session. */
export interface Implementation {
  /** `ours`, `tfjs` or `jaxjs`: the --peers key. */
  name: string;
  /** What it is, e.g. "TF.js 4.22.0, webgpu backend". */
  description: string;
  /** How it decodes, for the sampling table (e.g. "KV cache, one dispatch per layer op"). */
  decoding: string;
  open(problem: BenchProblem): Promise<BenchSession>;
}
