import { describe, expect, it } from 'vitest';
import { BOS, DEFAULT_TASK_OPTIONS, EOS, PAD, TASK_NAMES, makeTask, type Task } from '../../src/tasks/index';
import { uniformRng } from '../../src/util/rng';

/** The first eval problems of each task at its defaults: the eval set must be the same on every machine. */
const FIRST_EVAL_KEYS = {
  add: ['▸41+90=', '▸39+22=', '▸55+40='],
  sort: ['▸49325=', '▸47165=', '▸87982='],
  reverse: ['▸49325=', '▸47165=', '▸87982='],
  'sum-to': ['▸Σ19n3¬9=', '▸Σ08n4¬8=', '▸Σ05n3¬9='],
};

const draw = (task: Task, seed: number, n: number) => {
  const rng = uniformRng(seed);
  return Array.from({ length: n }, () => task.sample(rng));
};

const inOpenUnit = (x: number) => x > 0 && x < 1;

describe.each(TASK_NAMES)('task %s', (name) => {
  const task = makeTask(name);
  const digitTokens = task.vocab.flatMap((s, id) => (/^[0-9]$/.test(s) ? [id] : []));
  const training = draw(task, 1, 20_000);

  it('has PAD, BOS, EOS first and seqLen = promptLength + maxCompletion', () => {
    expect(task.name).toBe(name);
    expect(task.vocab.slice(0, 3)).toEqual(['<pad>', '<bos>', '<eos>']);
    expect([PAD, BOS, EOS]).toEqual([0, 1, 2]);
    expect(new Set(task.vocab).size).toBe(task.vocab.length);
    expect(task.seqLen).toBe(task.promptLength + task.maxCompletion);
  });

  it('makes prompts of exactly promptLength valid ids, starting with BOS and ending with =', () => {
    // BOS, then ids past EOS (digits and symbols, no PAD: every natural prompt is already full length), then '='.
    const wellFormed = ({ prompt }: { prompt: number[] }) =>
      prompt.length === task.promptLength &&
      prompt[0] === BOS &&
      prompt.slice(1).every((id) => Number.isInteger(id) && id > EOS && id < task.vocab.length) &&
      task.vocab[prompt.at(-1)!] === '=';
    expect([...training, ...task.evalSet()].filter((p) => !wellFormed(p))).toEqual([]);
  });

  it('draws training problems from a seeded generator', () => {
    expect(draw(task, 1, 50)).toEqual(training.slice(0, 50));
    expect(draw(task, 2, 50)).not.toEqual(training.slice(0, 50));
    expect(new Set(training.slice(0, 200).map((p) => p.key)).size).toBeGreaterThan(50);
  });

  it('has a fixed eval set of evalSize distinct problems, disjoint from 20 000 training draws', () => {
    const evalSet = task.evalSet();
    const size = DEFAULT_TASK_OPTIONS[name].evalSize;
    expect(size).toBeGreaterThanOrEqual(name === 'sum-to' ? 296 : 512);
    expect(evalSet).toHaveLength(size);
    expect(task.evalSet()).toEqual(evalSet);
    expect(makeTask(name).evalSet()).toEqual(evalSet);
    expect(evalSet.slice(0, 3).map((p) => p.key)).toEqual(FIRST_EVAL_KEYS[name]);
    expect(new Set(evalSet.map((p) => p.key)).size).toBe(size);
    expect(new Set(evalSet.map((p) => p.prompt.join())).size).toBe(size);
    const evalPrompts = new Set(evalSet.map((p) => p.prompt.join()));
    expect(training.filter((p) => evalPrompts.has(p.prompt.join()))).toEqual([]);
    expect(makeTask(name, { evalSize: 32 }).evalSet()).toEqual(evalSet.slice(0, 32));
  });

  it('keys identify prompts', () => {
    const promptsByKey = new Map<string, Set<string>>();
    for (const p of training) promptsByKey.set(p.key, (promptsByKey.get(p.key) ?? new Set()).add(p.prompt.join()));
    expect([...promptsByKey.values()].filter((prompts) => prompts.size > 1)).toEqual([]);
  });

  it('scores solution() 1 sparse and 1 dense, with trailing tokens after EOS ignored', () => {
    const rng = uniformRng(3);
    for (const p of [...training.slice(0, 500), ...task.evalSet()]) {
      const s = task.solution(p, rng);
      expect(s.at(-1)).toBe(EOS);
      expect(s.slice(0, -1)).not.toContain(EOS);
      expect(s.length).toBeLessThanOrEqual(task.maxCompletion);
      expect(task.reward(p, s, 'sparse')).toBe(1);
      expect(task.reward(p, s, 'dense')).toBe(1);
      const padded = [...s, digitTokens[0]!, EOS, digitTokens[1]!].slice(0, task.maxCompletion + 2);
      expect(task.reward(p, padded, 'sparse')).toBe(1);
      expect(task.reward(p, padded, 'dense')).toBe(1);
    }
  });

  // Dense credit is positional: a completion that has every position wrong (empty, or shifted) gets 0.
  it('gives corrupted solutions sparse 0 and partial dense credit in (0, 1); empty ones 0', () => {
    const rng = uniformRng(4);
    for (const p of training.slice(0, 200)) {
      const s = task.solution(p, rng);
      const answer = s.slice(0, -1);
      const wrongDigit = [digitTokens.find((d) => d !== answer[0])!, ...answer.slice(1), EOS];
      const corrupted = {
        wrongDigit,
        missingEos: answer,
        missingEosThenJunk: [...answer, digitTokens[5]!, digitTokens[5]!],
        extraBeforeEos: [...answer, answer[0]!, EOS],
        droppedLastDigit: [...answer.slice(0, -1), EOS],
      };
      for (const [what, completion] of Object.entries(corrupted)) {
        expect(task.reward(p, completion, 'sparse'), what).toBe(0);
        expect(inOpenUnit(task.reward(p, completion, 'dense')), what).toBe(true);
        // What follows the first EOS never matters.
        if (completion.includes(EOS)) {
          expect(task.reward(p, [...completion, ...answer, EOS], 'dense'), what).toBe(task.reward(p, completion, 'dense'));
        }
      }
      for (const empty of [[], [EOS], [EOS, ...s]]) {
        expect(task.reward(p, empty, 'sparse')).toBe(0);
        expect(task.reward(p, empty, 'dense')).toBe(0);
      }
    }
  });

  it('decodes readably: no PAD, BOS as ▸, EOS as ⏎', () => {
    const p = training[0]!;
    const prompt = task.decode(p.prompt);
    expect(prompt).toMatch(/^▸[^<>]*=$/);
    expect(task.decode([PAD, PAD, ...p.prompt])).toBe(prompt);
    expect(task.decode(task.solution(p, uniformRng(5)))).toMatch(/^[0-9]+⏎/);
  });
});
