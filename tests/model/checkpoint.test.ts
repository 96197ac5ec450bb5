import { describe, expect, it } from 'vitest';
import { checkpointParamsFor, decodeCheckpoint, encodeCheckpoint } from '../../src/model/checkpoint';
import { modelConfig } from '../../src/model/config';
import { initParameters } from '../../src/model/init';
import { ALIGN, parameterLayout, tensor } from '../../src/model/layout';

const config = modelConfig('tiny', 13, 11);

describe('parameter layout', () => {
  it('names every tensor of docs/design.md §2 with its shape, aligned for in-place binding', () => {
    const layout = parameterLayout(config);
    const D = 64;
    expect(tensor(layout, 'wte').shape).toEqual([13, D]);
    expect(tensor(layout, 'wpe').shape).toEqual([11, D]);
    expect(tensor(layout, 'h.1.attn.qkv.w').shape).toEqual([D, 3 * D]);
    expect(tensor(layout, 'h.0.mlp.proj.w').shape).toEqual([4 * D, D]);
    expect(tensor(layout, 'lm_head.w').shape).toEqual([D, 13]);
    expect(layout.tensors).toHaveLength(2 + 12 * 2 + 3);
    expect(layout.count).toBe(13 * D + 11 * D + 2 * (12 * D * D + 13 * D) + 2 * D + D * 13);
    for (const t of layout.tensors) expect(t.offset % ALIGN).toBe(0);
    expect(() => tensor(layout, 'h.9.ln1.w')).toThrow(/no tensor "h.9.ln1.w"/);
  });
});

describe('GPT-2 initialisation', () => {
  it('is seeded, with std 0.02, scaled residual projections, unit LayerNorm weights and zero biases', () => {
    const layout = parameterLayout(config);
    const a = initParameters(config, layout, 7);
    expect(initParameters(config, layout, 7)).toEqual(a);
    expect(initParameters(config, layout, 8)).not.toEqual(a);
    const std = (name: string) => {
      const { offset, size } = tensor(layout, name);
      let s = 0;
      for (let i = 0; i < size; i++) s += a[offset + i]! ** 2;
      return Math.sqrt(s / size);
    };
    // Sample std of n normals is within a few σ/√(2n) of σ; 5 standard errors as the margin.
    const within = (name: string, sigma: number) => {
      const n = tensor(layout, name).size;
      expect(Math.abs(std(name) - sigma)).toBeLessThan((5 * sigma) / Math.sqrt(2 * n));
    };
    within('h.0.attn.qkv.w', 0.02);
    within('h.1.mlp.fc.w', 0.02);
    within('h.0.mlp.proj.w', 0.02 / Math.sqrt(4));
    within('h.1.attn.proj.w', 0.02 / Math.sqrt(4));
    const ln = tensor(layout, 'h.0.ln1.w');
    expect([...a.subarray(ln.offset, ln.offset + ln.size)].every((x) => x === 1)).toBe(true);
    const bias = tensor(layout, 'h.1.mlp.fc.b');
    expect([...a.subarray(bias.offset, bias.offset + bias.size)].every((x) => x === 0)).toBe(true);
  });
});

describe('checkpoints', () => {
  it('round-trips config, layout, metadata and every parameter bit for bit', () => {
    const params = initParameters(config, parameterLayout(config), 3);
    const bytes = encodeCheckpoint(config, params, { task: 'add', steps: 12, note: 'β = 0.04 — ünïcode' });
    const loaded = decodeCheckpoint(bytes);
    expect(loaded.header.config).toEqual(config);
    expect(loaded.header.meta).toEqual({ task: 'add', steps: 12, note: 'β = 0.04 — ünïcode' });
    expect(loaded.params).toEqual(params);
    expect(checkpointParamsFor(config, loaded)).toEqual(params);
    // The data is little-endian float32 at a 4-byte-aligned offset given by the header length.
    const view = new DataView(bytes.buffer);
    const dataStart = 12 + view.getUint32(8, true);
    expect(dataStart % 4).toBe(0);
    expect(view.getFloat32(dataStart + 4 * tensor(parameterLayout(config), 'wpe').offset, true)).toBe(params[tensor(parameterLayout(config), 'wpe').offset]);
  });

  it('refuses a checkpoint of another shape, naming both shapes', () => {
    const small = modelConfig('small', 13, 11);
    const bytes = encodeCheckpoint(small, initParameters(small, parameterLayout(small), 1));
    expect(() => checkpointParamsFor(config, decodeCheckpoint(bytes))).toThrow(
      /checkpoint is for a model with V=13 T=11 D=128 L=4 H=4, but this model has V=13 T=11 D=64 L=2 H=4/,
    );
  });

  it('refuses files that are not checkpoints or are cut short', () => {
    expect(() => decodeCheckpoint(new TextEncoder().encode('hello world, not a checkpoint'))).toThrow(/does not start with "GRPOLAB1"/);
    const bytes = encodeCheckpoint(config, initParameters(config, parameterLayout(config), 1));
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 8))).toThrow(/holds \d+ floats where V=13 T=11 D=64 L=2 H=4 needs \d+/);
  });
});
