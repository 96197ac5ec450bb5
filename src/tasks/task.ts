/** The tasks RL trains on (docs/design.md §4): the shared types, the special and digit tokens, and how completions are read. */

export type TaskName = 'add' | 'sort' | 'reverse' | 'sum-to';
export const REWARD_KINDS = ['sparse', 'dense'] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];

export interface Problem {
  /** Token ids, exactly task.promptLength long (left-padded with PAD if the natural prompt is shorter), ending with the token after which the answer starts (e.g. '='). */
  prompt: number[];
  /** A key that identifies the problem (used to keep the eval set out of training). */
  key: string;
}

export interface Task {
  name: TaskName;
  /** Token strings; the index is the token id. PAD = 0, BOS = 1, EOS = 2 in every task. */
  vocab: string[];
  promptLength: number;
  /** Most completion tokens the model may emit, EOS included. */
  maxCompletion: number;
  /** promptLength + maxCompletion: the model's maxSeqLen. */
  seqLen: number;
  /** A training problem drawn with `rng`; never one of the eval problems. */
  sample(rng: () => number): Problem;
  /** The held-out eval set: fixed (same on every call and every machine), disjoint from training. */
  evalSet(): Problem[];
  /** Reward of a completion (token ids after the prompt, EOS and anything after it included or not). */
  reward(problem: Problem, completion: readonly number[], kind: RewardKind): number;
  /** A correct completion ending with EOS, for supervised warm-up (for many-answer tasks, drawn with rng among correct answers). */
  solution(problem: Problem, rng: () => number): number[];
  /** Human-readable text of token ids (PAD dropped, EOS shown as ⏎ or similar). */
  decode(tokens: readonly number[]): string;
}

export interface TaskOptions {
  /** add: digits per operand; sort, reverse: digits in the string; sum-to: the longest answer. */
  digits: number;
  /** Problems in the held-out eval set. */
  evalSize: number;
  /** sum-to only: the shortest answer (clamped to `digits`); the other tasks ignore it. */
  minDigits: number;
}

export const PAD = 0,
  BOS = 1,
  EOS = 2;

/** Token id of the digit '0'; '1'…'9' follow it. */
const DIGIT_ZERO = 3;

/** A task's vocabulary: the special tokens, the ten digits, then the task's own symbols. */
export function digitVocab(symbols: readonly string[]): string[] {
  return ['<pad>', '<bos>', '<eos>', ...'0123456789', ...symbols];
}

export function digitToken(digit: number): number {
  return DIGIT_ZERO + digit;
}

/** The digit a token stands for, or undefined if it is not a digit. */
export function tokenDigit(token: number): number | undefined {
  const digit = token - DIGIT_ZERO;
  return Number.isInteger(digit) && digit >= 0 && digit <= 9 ? digit : undefined;
}

export function symbolToken(vocab: readonly string[], symbol: string): number {
  const id = vocab.indexOf(symbol);
  if (id < 0) throw new Error(`token '${symbol}' is not in the vocabulary`);
  return id;
}

/** `value` as `width` digit tokens, most significant first, zero-padded (so prompts have a fixed layout). */
export function numberTokens(value: number, width: number): number[] {
  return [...String(value).padStart(width, '0')].map((c) => digitToken(Number(c)));
}

/** The `count` digits at tokens[start…]; throws on a non-digit, since only a malformed prompt has one there. */
export function readDigits(tokens: readonly number[], start: number, count: number): number[] {
  return tokens.slice(start, start + count).map((token, i) => {
    const digit = tokenDigit(token);
    if (digit === undefined) throw new Error(`malformed prompt: token ${token} at ${start + i} is not a digit`);
    return digit;
  });
}

/** The number whose digits, most significant first, are `digits`. */
export function digitsValue(digits: readonly number[]): number {
  return digits.reduce((value, digit) => 10 * value + digit, 0);
}

/** An integer uniform in [0, n). */
export function randomInt(rng: () => number, n: number): number {
  return Math.floor(rng() * n);
}

/** What a reward reads from a completion: the tokens up to and including the first EOS within maxCompletion. */
export interface Completion {
  /** Tokens up to and including the first EOS; all of them (capped at maxCompletion) if there is none. */
  tokens: number[];
  /** The tokens before that EOS. */
  answer: number[];
  /** Whether an EOS ended the completion within maxCompletion. */
  terminated: boolean;
}

export function readCompletion(completion: readonly number[], maxCompletion: number): Completion {
  const window = completion.slice(0, maxCompletion);
  const end = window.indexOf(EOS);
  if (end < 0) return { tokens: window, answer: window, terminated: false };
  return { tokens: window.slice(0, end + 1), answer: window.slice(0, end), terminated: true };
}

/** Fraction of a `length`-position template that `tokens` matches position by position; a missing or extra token counts as a miss. */
export function positionalCredit(tokens: readonly number[], length: number, matches: (token: number, position: number) => boolean): number {
  let hits = 0;
  for (let i = 0; i < Math.min(tokens.length, length); i++) if (matches(tokens[i]!, i)) hits++;
  return hits / Math.max(tokens.length, length);
}

/** Token ids as text: PAD dropped, BOS as ▸, EOS as ⏎, an id outside the vocabulary as �. */
export function decodeTokens(vocab: readonly string[], tokens: readonly number[]): string {
  const text = (token: number) => (token === PAD ? '' : token === BOS ? '▸' : token === EOS ? '⏎' : (vocab[token] ?? '�'));
  return tokens.map(text).join('');
}

/** `value` if it is an integer in [min, max]; throws naming the option otherwise. */
export function checkOption(label: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`task option ${label} must be an integer in [${min}, ${max}], got ${value}`);
  }
  return value;
}
