import { beforeAll, expect, it } from 'vitest';
import type { Gpu } from '../../src/gpu/gpu';
import { Gather } from '../../src/kernels/gather';
import { testGpu } from '../helpers/gpu';
import { testSeed, uniformRng } from '../helpers/random';

let gpu: Gpu;
let gather: Gather;
const rng = uniformRng(testSeed('gather'));

beforeAll(async () => {
  gpu = await testGpu();
  gather = await Gather.create(gpu);
});

it('copies the chosen rows, repeats included, bit for bit', async () => {
  for (const [N, M, rowLength] of [
    [7, 3, 5],
    [40, 40, 33],
    [3, 9, 1],
    [64, 17, 1100],
  ] as const) {
    const src = Uint32Array.from({ length: N * rowLength }, () => Math.floor(rng() * 2 ** 32));
    const rows = Uint32Array.from({ length: M }, () => Math.floor(rng() * N));
    const dst = gpu.upload(new Uint32Array(M * rowLength).fill(0xdeadbeef), 'dst');
    const rec = gpu.recorder();
    gather.rows(rec, dst, gpu.upload(src, 'src'), gpu.upload(rows, 'rows'), { M, rowLength });
    rec.submit();
    const got = new Uint32Array(await gpu.read(dst));
    const want = new Uint32Array(M * rowLength);
    rows.forEach((r, m) => want.set(src.subarray(r * rowLength, (r + 1) * rowLength), m * rowLength));
    expect(Array.from(got)).toEqual(Array.from(want));
  }
});
