import type { Gpu } from '../gpu/gpu';
import { Attention } from '../kernels/attention';
import { CrossEntropy } from '../kernels/crossentropy';
import { Encoder } from '../kernels/encoder';
import { Gather } from '../kernels/gather';
import { GradNorm } from '../kernels/gradnorm';
import { LayerNorm } from '../kernels/layernorm';
import { Matmul } from '../kernels/matmul';
import { Optimizer } from '../kernels/optimizer';

/** Every kernel family the GPT needs, compiled once per device. */
export interface GptKernels {
  matmul: Matmul;
  encoder: Encoder;
  gather: Gather;
  layerNorm: LayerNorm;
  attention: Attention;
  crossEntropy: CrossEntropy;
  gradNorm: GradNorm;
  optimizer: Optimizer;
}

const cache = new WeakMap<Gpu, Promise<GptKernels>>();

export function gptKernels(gpu: Gpu): Promise<GptKernels> {
  let kernels = cache.get(gpu);
  if (!kernels) {
    kernels = (async () => {
      const [matmul, encoder, gather, layerNorm, attention, crossEntropy, gradNorm, optimizer] = await Promise.all([
        Matmul.create(gpu),
        Encoder.create(gpu),
        Gather.create(gpu),
        LayerNorm.create(gpu),
        Attention.create(gpu),
        CrossEntropy.create(gpu),
        GradNorm.create(gpu),
        Optimizer.create(gpu),
      ]);
      return { matmul, encoder, gather, layerNorm, attention, crossEntropy, gradNorm, optimizer };
    })();
    cache.set(gpu, kernels);
  }
  return kernels;
}
