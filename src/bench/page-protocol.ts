import type { BenchResult } from './results';

/** What the bench page says on its console, one message per line, for `bench --browser` to read. */
export type PageMessage = { kind: 'result'; result: BenchResult } | { kind: 'done' } | { kind: 'error'; message: string };

export const PAGE_PREFIX = 'grpo-lab-bench ';

export function pageLine(message: PageMessage): string {
  return PAGE_PREFIX + JSON.stringify(message);
}

/** The message on a console line, or null for any other line. */
export function parsePageLine(line: string): PageMessage | null {
  return line.startsWith(PAGE_PREFIX) ? (JSON.parse(line.slice(PAGE_PREFIX.length)) as PageMessage) : null;
}
