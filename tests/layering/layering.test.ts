// The dependency rule of docs/design.md §1, enforced: dependency-cruiser reads every import under src/
// and each must point down the ladder gpu ← kernels ← model ← config ← rl ← experiment ← ui, or into a
// leaf, or from the CLI, the benchmark and the oracle to what they may use.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult, type IForbiddenRuleType } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

const LEAVES = ['loss', 'tasks', 'util'];
const STACK = ['gpu', 'kernels', 'model', 'config', 'rl', 'experiment', 'ui'];

/** Each folder of src/ and the folders it may import (besides itself). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  loss: [],
  util: [],
  tasks: ['util'],
  // A layer of the stack imports the layers below it and the leaves; config (the run's fields) reads model presets and optimiser names.
  ...Object.fromEntries(STACK.map((layer, i) => [layer, [...STACK.slice(0, i), ...LEAVES]])),
  // The float64 oracle mirrors kernels, model and rl: it may use their types and shape checks.
  reference: ['gpu', 'kernels', 'model', ...LEAVES],
  // Node-only helpers (serving the built site, launching Chromium) stand alone.
  node: [],
  bench: [...STACK.filter((l) => l !== 'ui'), ...LEAVES, 'node'],
  cli: [...STACK.filter((l) => l !== 'ui'), ...LEAVES, 'node', 'reference', 'bench'],
};

function rules(): IForbiddenRuleType[] {
  const folders = Object.keys(MAY_IMPORT);
  const forbidden: IForbiddenRuleType[] = Object.entries(MAY_IMPORT).map(([folder, allowed]) => ({
    name: `${folder}-imports-only-${allowed.join('-') || 'nothing'}`,
    severity: 'error',
    from: { path: `^src/${folder}/` },
    to: { path: `^src/(${folders.filter((f) => f !== folder && !allowed.includes(f)).join('|')})/` },
  }));
  forbidden.push(
    { name: 'the-page-entry-mounts-ui', severity: 'error', from: { path: '^src/main\\.tsx$' }, to: { path: '^src/(?!ui/)' } },
    {
      name: 'react-only-in-ui',
      severity: 'error',
      from: { path: '^src/(?!ui/|main\\.tsx$)' },
      to: { path: 'node_modules/(react|react-dom|recharts|zustand)/' },
    },
    // Types may refer to each other both ways (a Recorder knows its Gpu and the Gpu makes Recorders); code may not.
    { name: 'no-cycles', severity: 'error', from: { path: '^src/' }, to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } } },
  );
  return forbidden;
}

async function violations(root: string): Promise<string[]> {
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const { output } = await cruise(['src'], {
      validate: true,
      ruleSet: { forbidden: rules() },
      tsPreCompilationDeps: true,
      exclude: { path: 'node_modules' },
    });
    const result = output as ICruiseResult;
    return result.summary.violations.map((v) => `${v.from} → ${v.to} (${v.rule.name})`);
  } finally {
    process.chdir(cwd);
  }
}

describe('the dependency rule (docs/design.md §1)', () => {
  it('holds for every import under src/', async () => {
    expect(await violations(process.cwd())).toEqual([]);
  }, 60_000);

  const scratch = mkdtempSync(join(tmpdir(), 'grpo-lab-layering-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    writeFileSync(join(scratch, path), text);
  };

  it('names an upward import, an import of the oracle, page code using Node helpers, and a cycle', async () => {
    write('src/ui/panel.ts', 'export const panel = 1;\n');
    write('src/kernels/matmul.ts', "import { panel } from '../ui/panel';\nexport const m = panel;\n");
    write('src/reference/matmul.ts', 'export const ref = 1;\n');
    write('src/rl/trainer.ts', "import { ref } from '../reference/matmul';\nexport const t = ref;\n");
    write('src/node/site.ts', 'export const site = 1;\n');
    write('src/experiment/engine.ts', "import { site } from '../node/site';\nexport const e = site;\n");
    write('src/model/a.ts', "import { b } from './b';\nexport const a = () => b;\n");
    write('src/model/b.ts', "import { a } from './a';\nexport const b = () => a;\n");
    const found = await violations(scratch);
    expect(found).toContain('src/kernels/matmul.ts → src/ui/panel.ts (kernels-imports-only-gpu-loss-tasks-util)');
    expect(found).toContain('src/rl/trainer.ts → src/reference/matmul.ts (rl-imports-only-gpu-kernels-model-config-loss-tasks-util)');
    expect(found).toContain('src/experiment/engine.ts → src/node/site.ts (experiment-imports-only-gpu-kernels-model-config-rl-loss-tasks-util)');
    expect(found.filter((v) => v.endsWith('(no-cycles)')).length).toBeGreaterThan(0);
  }, 60_000);
});
