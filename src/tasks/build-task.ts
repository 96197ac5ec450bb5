import { uniformRng } from '../util/rng';
import { type Completion, type Problem, type RewardKind, type Task, type TaskName, EOS, decodeTokens, readCompletion } from './task';

/** What a task defines over its own problem parameters P; buildTask adds the eval split, completion reading and EOS. */
export interface TaskSpec<P> {
  name: TaskName;
  vocab: string[];
  promptLength: number;
  maxCompletion: number;
  /** How many distinct problems drawProblem can return: evalSize may take at most half of them. */
  problemCount: number;
  drawProblem(rng: () => number): P;
  /** The prompt of a problem, promptLength tokens. */
  encode(problem: P): number[];
  /** The inverse of encode: rewards are computed from the prompt alone, so any copy of a Problem scores the same. */
  parse(prompt: readonly number[]): P;
  /** A correct answer, EOS excluded. */
  solve(problem: P, rng: () => number): number[];
  score(problem: P, completion: Completion, kind: RewardKind): number;
  decode?(tokens: readonly number[]): string;
}

/** Eval problems come from their own fixed seed, so the set is the same on every call and every machine. */
const EVAL_SEED = 0x5eed_e7a1;

export function buildTask<P>(spec: TaskSpec<P>, evalSize: number): Task {
  const limit = Math.floor(spec.problemCount / 2);
  if (!Number.isInteger(evalSize) || evalSize < 1 || evalSize > limit) {
    throw new Error(`${spec.name}: evalSize must be an integer in [1, ${limit}] (half of ${spec.problemCount} problems), got ${evalSize}`);
  }
  const toProblem = (params: P): Problem => {
    const prompt = spec.encode(params);
    if (prompt.length !== spec.promptLength) throw new Error(`${spec.name}: prompt has ${prompt.length} tokens, not ${spec.promptLength}`);
    return { prompt, key: decodeTokens(spec.vocab, prompt) };
  };
  const evalRng = uniformRng(EVAL_SEED);
  const evalProblems = drawDistinct(() => toProblem(spec.drawProblem(evalRng)), evalSize);
  const evalKeys = new Set(evalProblems.map((p) => p.key));
  return {
    name: spec.name,
    vocab: spec.vocab,
    promptLength: spec.promptLength,
    maxCompletion: spec.maxCompletion,
    seqLen: spec.promptLength + spec.maxCompletion,
    sample(rng) {
      // Rejection keeps training off the eval set; eval holds at most half the problems, so ≤ 2 draws on average.
      for (;;) {
        const problem = toProblem(spec.drawProblem(rng));
        if (!evalKeys.has(problem.key)) return problem;
      }
    },
    evalSet: () => evalProblems.map((p) => ({ prompt: [...p.prompt], key: p.key })),
    reward: (problem, completion, kind) => spec.score(spec.parse(problem.prompt), readCompletion(completion, spec.maxCompletion), kind),
    solution: (problem, rng) => [...spec.solve(spec.parse(problem.prompt), rng), EOS],
    decode: spec.decode ?? ((tokens) => decodeTokens(spec.vocab, tokens)),
  };
}

/** The first `count` distinct problems `draw` yields, in draw order (so a smaller eval set is a prefix of a larger one). */
function drawDistinct(draw: () => Problem, count: number): Problem[] {
  const byKey = new Map<string, Problem>();
  while (byKey.size < count) {
    const problem = draw();
    if (!byKey.has(problem.key)) byKey.set(problem.key, problem);
  }
  return [...byKey.values()];
}
