// The benchmarked GPT (DESIGN §2) and its training step written with jax-js: valueAndGrad + jit on the webgpu backend, Adam written out.
import { defaultDevice, init, jit, nn, numpy as np, random, tree, valueAndGrad } from '@jax-js/jax';
import type { BenchSession, Implementation } from '../../src/bench/implementation';
import type { AdamHyper, BenchProblem } from '../../src/bench/problem';
import { causalMask } from './causal-mask';
import { namedWeights } from './weights';

// jax-js moves arrays into the operations that use them (Rust-like): `.ref` keeps one alive for another use.
type Params = Record<string, np.Array>;

const LN_EPS = 1e-5;

/** Rows of `ids` as one-hot float32 [ids.length, V]; jax-js 0.1.25 cannot differentiate np.take inside jit (scatter), a one-hot matmul it can. */
function oneHotRows(ids: Uint32Array, V: number): np.Array {
  const out = new Float32Array(ids.length * V);
  ids.forEach((id, i) => (out[i * V + id] = 1));
  return np.array(out, { shape: [ids.length, V] });
}

function layerNorm(x: np.Array, w: np.Array, b: np.Array): np.Array {
  const xc = x.ref.sub(x.mean(-1, { keepdims: true }));
  const variance = np.square(xc.ref).mean(-1, { keepdims: true });
  return xc.div(np.sqrt(variance.add(LN_EPS))).mul(w).add(b);
}

const linear = (x: np.Array, w: np.Array, b?: np.Array) => (b ? np.matmul(x, w).add(b) : np.matmul(x, w));

/** Logits [B·T, V] for one-hot tokens [B·T, V] (T ≤ maxSeqLen); consumes `p`. */
function forward(problem: BenchProblem, p: Params, x: np.Array, B: number, T: number): np.Array {
  const { dim: D, heads: H, layers: L } = problem.config;
  let h = np.matmul(x, p['wte']!).reshape([B, T, D]).add(p['wpe']!.slice([0, T])).reshape([B * T, D]);
  for (let l = 0; l < L; l++) {
    const w = (name: string) => p[`h.${l}.${name}`]!;
    const qkv = linear(layerNorm(h.ref, w('ln1.w'), w('ln1.b')), w('attn.qkv.w'), w('attn.qkv.b')).reshape([B, T, 3, H, D / H]).transpose([2, 0, 3, 1, 4]); // [3, B, H, T, hd]
    const [q, k, v] = [0, 1, 2].map((i) => qkv.ref.slice(i)) as [np.Array, np.Array, np.Array]; // each [B, H, T, hd]
    qkv.dispose();
    // Written out rather than nn.dotProductAttention, whose einsum parser needs iterator helpers that Node 20 lacks.
    const scores = np.matmul(q, k.transpose([0, 1, 3, 2])).mul(1 / Math.sqrt(D / H)).add(np.array(causalMask(T), { shape: [T, T] })); // [B, H, T, T]
    const y = np.matmul(nn.softmax(scores, -1), v).transpose([0, 2, 1, 3]).reshape([B * T, D]);
    h = h.add(linear(y, w('attn.proj.w'), w('attn.proj.b')));
    const hidden = nn.gelu(linear(layerNorm(h.ref, w('ln2.w'), w('ln2.b')), w('mlp.fc.w'), w('mlp.fc.b')), { approximate: true });
    h = h.add(linear(hidden, w('mlp.proj.w'), w('mlp.proj.b')));
  }
  return linear(layerNorm(h, p['lnf.w']!, p['lnf.b']!), p['lm_head.w']!);
}

/** One Adam update of every tensor (bias corrections bc1 = 1 − β1ᵗ, bc2 = 1 − β2ᵗ): new parameters and moments. */
function adam(h: AdamHyper, p: Params, g: Params, m: Params, v: Params, bc1: np.Array, bc2: np.Array): [Params, Params, Params] {
  const next: [Params, Params, Params] = [{}, {}, {}];
  for (const name of Object.keys(p)) {
    const grad = g[name]!;
    const mi = m[name]!.mul(h.beta1).add(grad.ref.mul(1 - h.beta1));
    const vi = v[name]!.mul(h.beta2).add(np.square(grad).mul(1 - h.beta2));
    const step = mi.ref.div(bc1.ref).div(np.sqrt(vi.ref.div(bc2.ref)).add(h.eps)).mul(h.lr);
    next[0][name] = p[name]!.sub(step);
    next[1][name] = mi;
    next[2][name] = vi;
  }
  bc1.dispose();
  bc2.dispose();
  return next;
}

async function open(problem: BenchProblem): Promise<BenchSession> {
  if (!(await init('webgpu')).includes('webgpu')) throw new Error('jaxjs peer: the webgpu backend did not start');
  defaultDevice('webgpu');
  const { B, T, adam: hyper, sampling: s, config } = problem;
  const V = config.vocabSize;
  const weights = namedWeights(problem);
  let params: Params = Object.fromEntries(weights.map(({ name, shape, values }) => [name, np.array(values, { shape })]));
  let m: Params = Object.fromEntries(weights.map(({ name, shape }) => [name, np.zeros(shape)]));
  let v: Params = Object.fromEntries(weights.map(({ name, shape }) => [name, np.zeros(shape)]));
  const x = oneHotRows(problem.tokens, V);
  const y = oneHotRows(problem.targets, V);

  const loss = (p: Params, xs: np.Array, ys: np.Array) => np.sum(nn.logSoftmax(forward(problem, p, xs, B, T), -1).mul(ys)).mul(-1 / (B * T));
  const trainStep = jit((p: Params, mp: Params, vp: Params, xs: np.Array, ys: np.Array, bc1: np.Array, bc2: np.Array) => {
    const [value, grads] = valueAndGrad(loss)(tree.ref(p), xs, ys);
    return [value, ...adam(hyper, p, grads, mp, vp, bc1, bc2)] as [np.Array, Params, Params, Params];
  });
  // No KV cache: each new token runs the model over the whole prefix again (one compiled program per prefix length), then random.categorical at τ.
  const nextToken = jit((p: Params, seq: np.Array, key: np.Array) => {
    const [R, t] = seq.shape as [number, number];
    const logits = forward(problem, p, nn.oneHot(seq.reshape([R * t]), V), R, t).reshape([R, t, V]).slice([], t - 1); // [R, V]
    return random.categorical(key, logits.div(s.temperature));
  });
  let steps = 0;
  return {
    async trainStep() {
      steps++;
      const bc = (beta: number) => np.array(1 - beta ** steps);
      const [value, ...state] = trainStep(params, m, v, x.ref, y.ref, bc(hyper.beta1), bc(hyper.beta2));
      [params, m, v] = state;
      const [loss] = await value.data();
      return loss!;
    },
    async sample(round) {
      let seq = np.array(Int32Array.from(s.prompts), { shape: [s.rows, s.promptLength], dtype: np.int32 });
      for (let j = 0; j < s.newTokens; j++) {
        const next = nextToken(tree.ref(params), seq.ref, random.key(round * 65536 + j));
        seq = np.concatenate([seq, next.reshape([s.rows, 1])], 1);
      }
      return Uint32Array.from(await seq.slice([], [s.promptLength]).data());
    },
    dispose() {
      tree.dispose([params, m, v, x, y]);
      trainStep.dispose();
      nextToken.dispose();
    },
  };
}

export const jaxjsPeer: Implementation = {
  name: 'jaxjs',
  description: 'jax-js 0.1.25, webgpu backend, valueAndGrad + jit, Adam written out',
  decoding: 'no KV cache: the whole prefix again per token; random.categorical',
  open,
};
