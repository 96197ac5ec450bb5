import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIP_CODE, KL_CODE, LEVEL_CODE, SEQ_STATS } from '../../src/loss/codes';

// WGSL cannot import src/loss/codes.ts, so shaders/policy-loss.wgsl declares the same codes as constants;
// this reads them from the shader's text and holds them to codes.ts, in both directions.
const SHADER = readFileSync(new URL('../../shaders/policy-loss.wgsl', import.meta.url), 'utf8');

/** The shader's `const PREFIX_NAME = Nu;` declarations, as { PREFIX_NAME: N }. */
function shaderConstants(prefix: string): Record<string, number> {
  const declared = [...SHADER.matchAll(new RegExp(`^const (${prefix}_\\w+) = (\\d+)u;`, 'gm'))];
  return Object.fromEntries(declared.map(([, name, value]) => [name!, Number(value)]));
}

/** codes.ts's table under the shader's names: PREFIX_KEY, the key upper-cased with '-' as '_'. */
function asShaderNames(prefix: string, codes: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(codes).map(([key, value]) => [`${prefix}_${key.toUpperCase().replaceAll('-', '_')}`, value]));
}

describe('shaders/policy-loss.wgsl and src/loss/codes.ts', () => {
  it.each([
    ['LEVEL', LEVEL_CODE],
    ['KL', KL_CODE],
    ['CLIP', CLIP_CODE],
  ] as const)('declare the same %s_* codes', (prefix, codes) => {
    expect(shaderConstants(prefix)).toEqual(asShaderNames(prefix, codes));
  });

  it('lay seqStats out alike: SEQ_STATS.width columns per sequence, each written once', () => {
    const writes = [...SHADER.matchAll(/seqStats\[(\d+)u \* i(?: \+ (\d+)u)?\] =/g)].map(([, width, column]) => ({
      width: Number(width),
      column: Number(column ?? 0),
    }));
    expect(new Set(writes.map((w) => w.width))).toEqual(new Set([SEQ_STATS.width]));
    expect(writes.map((w) => w.column).sort()).toEqual([SEQ_STATS.policy, SEQ_STATS.kl, SEQ_STATS.logRatioSum, SEQ_STATS.tokens].sort());
  });
});
