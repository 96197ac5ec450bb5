import { BOS, EOS, type Task } from '../../src/tasks/task';

/** Text as token ids, one character a token: ▸ is BOS, ⏎ is EOS, anything else a vocabulary entry. */
export function tokens(task: Task, text: string): number[] {
  return [...text].map((c) => {
    if (c === '▸') return BOS;
    if (c === '⏎') return EOS;
    const id = task.vocab.indexOf(c);
    if (id < 0) throw new Error(`'${c}' is not in the ${task.name} vocabulary`);
    return id;
  });
}

/** The problem whose prompt reads `text`. */
export function problem(task: Task, text: string) {
  const prompt = tokens(task, text);
  return { prompt, key: task.decode(prompt) };
}
