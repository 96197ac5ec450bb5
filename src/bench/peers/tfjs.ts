// The benchmarked GPT (docs/design.md §2) and its training step written with TF.js: tf.variableGrads + tf.train.adam on the webgpu backend.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { BenchSession, Implementation } from '../implementation';
import type { BenchProblem } from '../problem';
import { causalMask } from './causal-mask';
import { namedWeights } from './weights';

const LN_EPS = 1e-5;
let sessions = 0;

function layerNorm(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return x
    .sub(mean)
    .mul(tf.rsqrt(variance.add(LN_EPS)))
    .mul(w)
    .add(b);
}

/** GELU, tanh form. */
function gelu(x: tf.Tensor): tf.Tensor {
  const inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
  return x.mul(0.5).mul(tf.tanh(inner).add(1));
}

/** Per layer, the keys and values of every position decoded so far, [B, H, t, hd] each; empty before the prompts. */
interface KvCache {
  k: tf.Tensor[];
  v: tf.Tensor[];
}

class TfjsGpt {
  private readonly masks = new Map<number, tf.Tensor2D>();

  constructor(
    private readonly problem: BenchProblem,
    private readonly p: Map<string, tf.Variable>,
  ) {}

  private w(name: string): tf.Variable {
    const v = this.p.get(name);
    if (!v) throw new Error(`tfjs peer: no weight ${name}`);
    return v;
  }

  private causalMask(T: number): tf.Tensor2D {
    let mask = this.masks.get(T);
    if (!mask) this.masks.set(T, (mask = tf.keep(tf.tensor2d(causalMask(T), [T, T])))); // made inside a tidy, kept past it
    return mask;
  }

  private linear(x: tf.Tensor, name: string, bias = true): tf.Tensor {
    const y = tf.matMul(x, this.w(`${name}.w`));
    return bias ? y.add(this.w(`${name}.b`)) : y;
  }

  /**
   * Logits [B·T, V] for tokens [B, T] (T ≤ maxSeqLen). With a cache, the tokens sit after the cached
   * positions, attend to them too, and their keys and values are appended (kept past any tidy):
   * T > 1 only for the prompts, into an empty cache.
   */
  forward(tokens: tf.Tensor2D, cache?: KvCache): tf.Tensor {
    const [B, T] = tokens.shape;
    const { dim: D, heads: H, layers: L } = this.problem.config;
    const hd = D / H;
    const pos0 = cache?.k[0]?.shape[2] ?? 0;
    if (T > 1 && pos0 > 0) throw new Error('tfjs peer: several tokens after cached positions');
    const positions = this.w('wpe').slice([pos0, 0], [T, D]);
    let x = tf.gather(this.w('wte'), tokens.reshape([B * T])).add(tf.tile(positions, [B, 1])); // [B·T, D]
    for (let l = 0; l < L; l++) {
      const qkv = this.linear(layerNorm(x, this.w(`h.${l}.ln1.w`), this.w(`h.${l}.ln1.b`)), `h.${l}.attn.qkv`); // [B·T, 3D]
      const head = (i: number) =>
        qkv
          .slice([0, i * D], [B * T, D])
          .reshape([B, T, H, hd])
          .transpose([0, 2, 1, 3]); // [B, H, T, hd]
      let [k, v] = [head(1), head(2)];
      if (cache) {
        if (pos0 > 0) [k, v] = [tf.concat([cache.k[l]!, k], 2), tf.concat([cache.v[l]!, v], 2)];
        [cache.k[l], cache.v[l]] = [tf.keep(k), tf.keep(v)];
      }
      let scores = tf.matMul(head(0), k, false, true).mul(1 / Math.sqrt(hd)); // [B, H, T, pos0 + T]
      if (T > 1) scores = scores.add(this.causalMask(T));
      const y = tf
        .matMul(tf.softmax(scores), v)
        .transpose([0, 2, 1, 3])
        .reshape([B * T, D]);
      x = x.add(this.linear(y, `h.${l}.attn.proj`));
      const hidden = gelu(this.linear(layerNorm(x, this.w(`h.${l}.ln2.w`), this.w(`h.${l}.ln2.b`)), `h.${l}.mlp.fc`)); // [B·T, 4D]
      x = x.add(this.linear(hidden, `h.${l}.mlp.proj`));
    }
    return tf.matMul(layerNorm(x, this.w('lnf.w'), this.w('lnf.b')), this.w('lm_head.w'));
  }

  /** Mean cross-entropy of the logits against targets [B·T]. */
  loss(tokens: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
    const logp = tf.logSoftmax(this.forward(tokens));
    return tf.neg(tf.mean(tf.sum(logp.mul(tf.oneHot(targets, this.problem.config.vocabSize)), -1))) as tf.Scalar;
  }

  dispose(): void {
    for (const mask of this.masks.values()) mask.dispose();
  }
}

async function open(problem: BenchProblem): Promise<BenchSession> {
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs peer: the webgpu backend did not start');
  const { B, T, adam, sampling: s } = problem;
  const prefix = `bench${++sessions}/`; // TF.js names variables globally
  const vars = new Map(namedWeights(problem).map(({ name, shape, values }) => [name, tf.variable(tf.tensor(values, shape), true, prefix + name)]));
  const gpt = new TfjsGpt(problem, vars);
  const tokens = tf.tensor2d(Int32Array.from(problem.tokens), [B, T], 'int32');
  const targets = tf.tensor1d(Int32Array.from(problem.targets), 'int32');
  const optimizer = tf.train.adam(adam.lr, adam.beta1, adam.beta2, adam.eps);
  const varList = [...vars.values()];
  return {
    async trainStep() {
      const loss = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => gpt.loss(tokens, targets), varList);
        optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
        return value;
      });
      const [value] = await loss.data();
      loss.dispose();
      return value!;
    },
    // The prompts through the model into the KV cache, then one token per step, tf.multinomial at τ on the last position's logits.
    async sample(round) {
      const cache: KvCache = { k: [], v: [] };
      const drawn: tf.Tensor2D[] = [];
      const prompts = tf.tensor2d(Int32Array.from(s.prompts), [s.rows, s.promptLength], 'int32');
      let input = prompts;
      for (let j = 0; j < s.newTokens; j++) {
        const stale = [...cache.k, ...cache.v];
        const next = tf.tidy(() => {
          const logits = gpt.forward(input, cache).reshape([s.rows, input.shape[1], -1]);
          const last = logits.slice([0, input.shape[1] - 1, 0], [s.rows, 1, -1]).reshape([s.rows, -1]);
          return tf.multinomial(last.div<tf.Tensor2D>(s.temperature), 1, round * 65536 + j) as tf.Tensor2D; // [rows, 1]
        });
        tf.dispose(stale);
        drawn.push(next);
        input = next;
      }
      const completions = tf.concat(drawn, 1);
      const values = await completions.data();
      tf.dispose([prompts, completions, ...drawn, ...cache.k, ...cache.v]);
      return Uint32Array.from(values);
    },
    dispose() {
      tf.dispose([tokens, targets, ...varList]);
      optimizer.dispose();
      gpt.dispose();
    },
  };
}

export const tfjsPeer: Implementation = {
  name: 'tfjs',
  description: `TF.js ${tf.version.tfjs}, webgpu backend, tf.variableGrads + tf.train.adam`,
  decoding: 'KV cache (keys and values concatenated per step), prompts prefilled in one pass; tf.multinomial',
  open,
};
