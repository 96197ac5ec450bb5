import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { pgCheck } from '../../src/cli/pg-check';
import { checkpointParamsFor, decodeCheckpoint, encodeCheckpoint } from '../../src/model/checkpoint';
import { modelConfig } from '../../src/model/config';
import { initParameters } from '../../src/model/init';
import { parameterLayout } from '../../src/model/layout';
import { makeTask } from '../../src/tasks';

const dir = mkdtempSync(join(tmpdir(), 'pg-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('writes θ_old, θ, π_ref, the trajectories and a loss gradient that float64 reproduces', async () => {
  const task = makeTask('add');
  const config = modelConfig('tiny', task.vocab.length, task.seqLen);
  const base = join(dir, 'base.ckpt');
  writeFileSync(base, encodeCheckpoint(config, initParameters(config, parameterLayout(config), 4)));
  const out = join(dir, 'out');
  const result = await pgCheck([
    '--preset',
    'tic-grpo',
    '--task',
    'add',
    '--seed',
    '2',
    '--drift',
    '2',
    '--advantage',
    'none',
    '--reward',
    'dense',
    '--beta',
    '0.1',
    '--checkpoint',
    base,
    '--out',
    out,
  ]);

  expect(result.drifted).toBeGreaterThan(0); // θ ≠ θ_old
  expect(result.worst).toBeLessThanOrEqual(1e-4);
  for (const file of ['theta.ckpt', 'theta_old.ckpt', 'ref.ckpt', 'trajectories.json', 'grads.bin']) expect(existsSync(join(out, file)), file).toBe(true);
  const old = checkpointParamsFor(config, decodeCheckpoint(readFileSync(join(out, 'theta_old.ckpt'))));
  const ref = checkpointParamsFor(config, decodeCheckpoint(readFileSync(join(out, 'ref.ckpt'))));
  expect(old).toEqual(ref); // π_old sampled the batch from the base model itself
  const trajectories = JSON.parse(readFileSync(join(out, 'trajectories.json'), 'utf8'));
  expect(trajectories).toMatchObject({ task: 'add', N: 8, loss: { level: 'trajectory', beta: 0.1 }, advantageMode: 'none' });
  expect(trajectories.tokens).toHaveLength(8);
  expect(trajectories.advantages).toEqual(trajectories.rewards);
  expect(readFileSync(join(out, 'grads.bin')).length).toBe(4 * parameterLayout(config).total);
});
