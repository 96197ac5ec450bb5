import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README's "Reading the code" table points from each equation to the line that computes it, as
// `symbol` in [path:LINE](path#LLINE). When code moves, this test names every entry that no longer holds.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(`${ROOT}README.md`, 'utf8');
const MAX_LINES = 200;

/** The README's lines, without the empty string after a final newline. */
function lines(text: string): string[] {
  const all = text.split('\n');
  return all.at(-1) === '' ? all.slice(0, -1) : all;
}

/** The body of the section headed `## title`, up to the next `## ` heading. */
function section(text: string, title: string): string[] {
  const all = lines(text);
  const start = all.findIndex((line) => line.trim() === `## ${title}`);
  if (start < 0) return [];
  const end = all.findIndex((line, i) => i > start && line.startsWith('## '));
  return all.slice(start + 1, end < 0 ? all.length : end);
}

interface Entry {
  symbol: string;
  path: string;
  line: number;
  anchorPath: string;
  anchorLine: number;
  text: string;
}

const ENTRY = /`([^`]+)` in \[([^\]:]+):(\d+)\]\(([^)#]+)#L(\d+)\)/g;

function entries(rows: string[]): Entry[] {
  return rows.flatMap((row) =>
    [...row.matchAll(ENTRY)].map(([text, symbol, path, line, anchorPath, anchorLine]) => ({
      symbol: symbol!,
      path: path!,
      line: Number(line),
      anchorPath: anchorPath!,
      anchorLine: Number(anchorLine),
      text: text!,
    })),
  );
}

/** What is wrong with one entry, or null if it holds. */
function problem(e: Entry): string | null {
  if (e.anchorPath !== e.path) return `${e.text}: the link goes to ${e.anchorPath}, the text names ${e.path}`;
  if (e.anchorLine !== e.line) return `${e.text}: the text says line ${e.line}, the link #L${e.anchorLine}`;
  if (!existsSync(`${ROOT}${e.path}`)) return `${e.text}: ${e.path} does not exist`;
  const fileLines = readFileSync(`${ROOT}${e.path}`, 'utf8').split('\n');
  const actual = fileLines[e.line - 1];
  if (actual === undefined) return `${e.text}: ${e.path} has only ${fileLines.length} lines`;
  if (!actual.includes(e.symbol)) {
    const found = fileLines.flatMap((l, i) => (l.includes(e.symbol) ? [i + 1] : []));
    const hint = found.length > 0 ? `; it is on line ${found.join(', ')}` : '; it is nowhere in the file';
    return `${e.text}: line ${e.line} of ${e.path} does not contain \`${e.symbol}\`${hint}`;
  }
  return null;
}

describe('README', () => {
  it(`has at most ${MAX_LINES} lines`, () => {
    expect(lines(README).length).toBeLessThanOrEqual(MAX_LINES);
  });

  const rows = section(README, 'Reading the code').filter((line) => line.startsWith('|'));
  const body = rows.slice(2); // the header row and its |---| separator

  it('has a "Reading the code" table whose every row points at the code', () => {
    expect(body.length).toBeGreaterThan(0);
    expect(body.filter((row) => entries([row]).length === 0)).toEqual([]);
    // An entry written slightly wrong (no #L anchor, say) would otherwise go unchecked.
    expect(body.filter((row) => (row.match(/` in \[/g) ?? []).length !== entries([row]).length)).toEqual([]);
  });

  it('points every entry of the map at a line that holds its symbol', () => {
    const found = entries(body);
    expect(found.length).toBeGreaterThan(0);
    expect(found.map(problem).filter((p) => p !== null)).toEqual([]);
  });
});
