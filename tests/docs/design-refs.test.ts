import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Comments and docs cite the design by section number, as docs/design.md followed by a section sign
// and the number. Every such citation must land on a `## N. Title` heading of docs/design.md, and
// nothing may still point at the design that used to live outside the repository.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DESIGN = 'docs/design.md';
const SCANNED = ['src', 'shaders', 'tests', 'bench', 'docs', 'README.md'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git']);
const BINARY = /\.(ckpt|bin|png|jpe?g|gif|webp|ico|wasm|pdf|zip|gz)$/i;

/** A citation of the in-repository design: the section number N of §N or §N.M, or null where none follows the sign. */
const CITATION = /design\.md §(\d+)?/g;
/** Pointers at the old design outside the clone (case-sensitive: the in-repository one is lower case). */
const OUTSIDE = /DESIGN(?: §|\.md)|shared\/DESIGN/;

/** Every text file under the scanned roots, as paths relative to the repository root. */
function scannedFiles(): string[] {
  const files: string[] = [];
  const visit = (path: string) => {
    const name = path.split('/').at(-1)!;
    if (statSync(join(ROOT, path)).isDirectory()) {
      if (SKIPPED_DIRS.has(name)) return;
      for (const entry of readdirSync(join(ROOT, path)).sort()) visit(`${path}/${entry}`);
    } else if (!BINARY.test(name)) {
      files.push(path);
    }
  };
  for (const root of SCANNED) if (existsSync(join(ROOT, root))) visit(root);
  return files;
}

/** The file's lines, or null for a binary file (one with a NUL byte) that the extension list missed. */
function textLines(path: string): string[] | null {
  const bytes = readFileSync(join(ROOT, path));
  return bytes.includes(0) ? null : bytes.toString('utf8').split('\n');
}

interface Hit {
  where: string;
  text: string;
}

function scan(): { citations: (Hit & { section: number | null })[]; outside: Hit[] } {
  const citations: (Hit & { section: number | null })[] = [];
  const outside: Hit[] = [];
  for (const path of scannedFiles()) {
    const lines = textLines(path);
    if (!lines) continue;
    lines.forEach((line, i) => {
      const where = `${path}:${i + 1}`;
      for (const match of line.matchAll(CITATION)) {
        citations.push({ where, text: match[0], section: match[1] === undefined ? null : Number(match[1]) });
      }
      if (OUTSIDE.test(line)) outside.push({ where, text: line.trim() });
    });
  }
  return { citations, outside };
}

/** The numbers N of the `## N. Title` headings of docs/design.md, in order. */
function sectionNumbers(): number[] {
  const numbers: number[] = [];
  for (const line of readFileSync(join(ROOT, DESIGN), 'utf8').split('\n')) {
    const heading = /^## (\d+)\. \S/.exec(line);
    if (heading) numbers.push(Number(heading[1]));
  }
  return numbers;
}

describe('citations of docs/design.md', () => {
  const { citations, outside } = scan();

  it('finds citations to check (the scan sees the tree)', () => {
    expect(citations.length).toBeGreaterThan(0);
  });

  it('has sections 1 to 10, in order, each a `## N. Title` heading', () => {
    expect(sectionNumbers()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('lands every citation on a section heading', () => {
    const sections = new Set(sectionNumbers());
    const dangling = citations
      .filter(({ section }) => section === null || !sections.has(section))
      .map(({ where, text, section }) =>
        section === null ? `${where}: "${text}" names no section number` : `${where}: §${section} has no heading in ${DESIGN}`,
      );
    expect(dangling, `dangling citations of ${DESIGN}:\n${dangling.join('\n')}`).toEqual([]);
  });

  it('cites no design outside the repository', () => {
    const offenders = outside.map(({ where, text }) => `${where}: ${text}`);
    expect(offenders, `cite ${DESIGN} instead:\n${offenders.join('\n')}`).toEqual([]);
  });
});
