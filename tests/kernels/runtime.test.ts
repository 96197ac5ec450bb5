import { describe, expect, it } from 'vitest';
import { slice } from '../../src/gpu/binding';
import { requestGpu } from '../../src/gpu/device';
import { REQUESTED_LIMITS } from '../../src/gpu/limits';
import { diskShaders } from '../../src/gpu/node';
import { shaderTable } from '../../src/gpu/shader-source';
import { testGpu } from '../helpers/gpu';

const BROKEN = `// a kernel with a syntax error on line 4
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(1) fn main() {
  out[0] = 1.0 +;
}
`;

describe('GPU runtime', () => {
  it('names the adapter and grants the limits it asked for', async () => {
    const gpu = await testGpu();
    expect(gpu.adapter.description.length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(REQUESTED_LIMITS)) {
      expect((gpu.device.limits as unknown as Record<string, number>)[name], name).toBeGreaterThanOrEqual(value);
    }
  });

  it('turns a WGSL syntax error into an Error naming the file and line', async () => {
    const gpu = await testGpu();
    const withBroken = await requestGpu(gpu.instance, shaderTable({ broken: BROKEN }), 'test');
    try {
      await expect(withBroken!.kernel({ shader: 'broken', entry: 'main' })).rejects.toThrow(/shaders\/broken\.wgsl:4:\d+: error: .*\n\s+out\[0\] = 1\.0 \+;/);
    } finally {
      withBroken!.destroy();
    }
  });

  it('names the kernel when an entry point does not exist', async () => {
    const gpu = await testGpu();
    await expect(gpu.kernel({ shader: 'matmul', entry: 'nope' })).rejects.toThrow(/shaders\/matmul\.wgsl:nope/);
  });

  it('names a shader file that does not exist', async () => {
    const gpu = await testGpu();
    await expect(gpu.kernel({ shader: 'no-such-file', entry: 'main' })).rejects.toThrow(/No shader shaders\/no-such-file\.wgsl/);
  });

  it('reads every shader in shaders/ from disk', () => {
    expect(diskShaders().load('matmul')).toMatch(/fn matmul/);
  });

  it('expands `// #include NAME` once per shader, and names a missing or circular include', () => {
    const table = shaderTable({
      main: 'fn a() {}\n// #include lib\n// #include util\n',
      lib: '// #include util\nfn b() {}',
      util: 'fn c() {}',
      loop: '// #include back',
      back: '// #include loop',
      lost: '// #include nowhere',
    });
    expect(table.load('main')).toBe('fn a() {}\nfn c() {}\nfn b() {}\n\n');
    expect(() => table.load('loop')).toThrow(/shaders\/back\.wgsl includes loop, which includes it back: loop → back → loop/);
    expect(() => table.load('lost')).toThrow(/No shader shaders\/nowhere\.wgsl, included by shaders\/lost\.wgsl/);
  });

  it('caches a pipeline per shader, entry point and constants', async () => {
    const gpu = await testGpu();
    const spec = { shader: 'matmul', entry: 'matmul', constants: { TRANS_A: true, TRANS_B: false } };
    expect(await gpu.kernel(spec)).toBe(await gpu.kernel({ ...spec }));
    expect(await gpu.kernel(spec)).not.toBe(await gpu.kernel({ ...spec, constants: { TRANS_A: false, TRANS_B: false } }));
  });

  it('makes one bind group per set of buffers and slices, and reuses it', async () => {
    const gpu = await testGpu();
    const kernel = await gpu.kernel({ shader: 'gather', entry: 'gather_rows' });
    const params = gpu.uniform(new Uint32Array(4));
    const [out, src, rows, other] = [256, 256, 256, 256].map((elements, i) => gpu.zeros(elements * 4, `bind ${i}`));
    try {
      const group = kernel.bind(params, [out!, src!, rows!]);
      expect(kernel.bind(params, [out!, src!, rows!])).toBe(group);
      expect(kernel.bind(params, [other!, src!, rows!])).not.toBe(group);
      expect(kernel.bind(params, [out!, src!, other!])).not.toBe(group);
      const half = slice(src!, 64, 64);
      expect(kernel.bind(params, [out!, half, rows!])).not.toBe(group);
      expect(kernel.bind(params, [out!, slice(src!, 64, 64), rows!])).toBe(kernel.bind(params, [out!, half, rows!]));
    } finally {
      for (const b of [out, src, rows, other]) b!.destroy();
    }
  });

  it('builds a pipeline on first use from a loaded shader, once per constants, and says when the shader was not loaded', async () => {
    const gpu = await testGpu();
    const spec = { shader: 'gather', entry: 'gather_rows' };
    const fresh = await requestGpu(gpu.instance, diskShaders(), 'test');
    try {
      expect(() => fresh!.kernelNow(spec)).toThrow(/shaders\/gather\.wgsl:gather_rows: shaders\/gather\.wgsl was not loaded \(await gpu\.loadShader first\)/);
      await fresh!.loadShader('gather');
      expect(fresh!.kernelNow(spec)).toBe(fresh!.kernelNow({ ...spec }));
    } finally {
      fresh!.destroy();
    }
  });
});
