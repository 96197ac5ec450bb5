import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { modelCheck } from '../../src/cli/model-check';

const dir = mkdtempSync(join(tmpdir(), 'model-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('writes the documented files, and its gradients agree with float64', async () => {
  const result = await modelCheck(['--preset', 'tiny', '--batch', '2', '--seq', '5', '--vocab', '7', '--seed', '4', '--out', dir]);
  expect(Math.abs(result.loss - result.referenceLoss) / result.referenceLoss).toBeLessThan(1e-5);
  for (const [name, err] of Object.entries(result.gradientErrors)) expect(err, name).toBeLessThanOrEqual(1e-4);

  const layout = JSON.parse(readFileSync(join(dir, 'layout.json'), 'utf8'));
  expect(layout.config).toMatchObject({ vocabSize: 7, maxSeqLen: 5, dim: 64, layers: 2, heads: 4 });
  const total: number = layout.total;
  expect(readFileSync(join(dir, 'params.bin')).length).toBe(4 * total);
  expect(readFileSync(join(dir, 'grads.bin')).length).toBe(4 * total);
  const tokens = JSON.parse(readFileSync(join(dir, 'tokens.json'), 'utf8'));
  expect(tokens.inputs).toHaveLength(2);
  expect(tokens.targets[1]).toHaveLength(5);
  expect(JSON.parse(readFileSync(join(dir, 'loss.json'), 'utf8')).loss).toBeCloseTo(result.loss, 6);
  // params.bin is little-endian float32 at the layout's offsets: LayerNorm weights start at 1.
  const params = readFileSync(join(dir, 'params.bin'));
  const ln = layout.tensors.find((t: { name: string }) => t.name === 'h.0.ln1.w');
  expect(params.readFloatLE(4 * ln.offset)).toBe(1);
});
