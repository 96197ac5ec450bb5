// The benchmarked GPT (docs/design.md §2) and its training step written with jax-js: valueAndGrad + jit on the webgpu backend, Adam written out.
import { defaultDevice, init, jit, nn, numpy as np, random, tree, valueAndGrad } from '@jax-js/jax';
import type { BenchSession, Implementation } from '../implementation';
import type { AdamHyper, BenchProblem } from '../problem';
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
  return xc
    .div(np.sqrt(variance.add(LN_EPS)))
    .mul(w)
    .add(b);
}

const linear = (x: np.Array, w: np.Array, b?: np.Array) => (b ? np.matmul(x, w).add(b) : np.matmul(x, w));

/** q, k, v [B, H, T, hd] of layer `l` → the attention output [B, H, T, hd]. */
type Attend = (l: number, q: np.Array, k: np.Array, v: np.Array) => np.Array;

/** softmax(q kᵀ/√hd + mask) v, with an additive mask broadcast onto the scores [B, H, Tq, Tk]. */
function attention(q: np.Array, k: np.Array, v: np.Array, mask: np.Array): np.Array {
  const hd = q.shape[3]!;
  // Written out rather than nn.dotProductAttention, whose einsum parser needs iterator helpers that Node 20 lacks.
  return np.matmul(
    nn.softmax(
      np
        .matmul(q, k.transpose([0, 1, 3, 2]))
        .mul(1 / Math.sqrt(hd))
        .add(mask),
      -1,
    ),
    v,
  );
}

/** Logits [B·T, V] of the embedded tokens `h` [B·T, D]; consumes `p`, and each layer's q, k, v go through `attend`. */
function transformer(problem: BenchProblem, p: Params, h: np.Array, B: number, T: number, attend: Attend): np.Array {
  const { dim: D, heads: H, layers: L } = problem.config;
  for (let l = 0; l < L; l++) {
    const w = (name: string) => p[`h.${l}.${name}`]!;
    const qkv = linear(layerNorm(h.ref, w('ln1.w'), w('ln1.b')), w('attn.qkv.w'), w('attn.qkv.b'))
      .reshape([B, T, 3, H, D / H])
      .transpose([2, 0, 3, 1, 4]); // [3, B, H, T, hd]
    const [q, k, v] = [0, 1, 2].map((i) => qkv.ref.slice(i)) as [np.Array, np.Array, np.Array]; // each [B, H, T, hd]
    qkv.dispose();
    const y = attend(l, q, k, v)
      .transpose([0, 2, 1, 3])
      .reshape([B * T, D]);
    h = h.add(linear(y, w('attn.proj.w'), w('attn.proj.b')));
    const hidden = nn.gelu(linear(layerNorm(h.ref, w('ln2.w'), w('ln2.b')), w('mlp.fc.w'), w('mlp.fc.b')), { approximate: true });
    h = h.add(linear(hidden, w('mlp.proj.w'), w('mlp.proj.b')));
  }
  return linear(layerNorm(h, p['lnf.w']!, p['lnf.b']!), p['lm_head.w']!);
}

const causalAttention: Attend = (_l, q, k, v) => {
  const T = q.shape[2]!;
  return attention(q, k, v, np.array(causalMask(T), { shape: [T, T] }));
};

/** Per layer, the keys and values of the S positions a rollout fills, [R, H, S, hd] each (zeros where not yet written). */
type KvCache = { k: np.Array[]; v: np.Array[] }; // a type, not an interface: jit's tree type needs the implicit index signature

/** Token plus position embedding [B·T, D] of one-hot tokens [B·T, V] at positions 0 … T−1. */
function embed(p: Params, x: np.Array, B: number, T: number): np.Array {
  const D = p.wte!.shape[1]!;
  return np
    .matmul(x, p.wte!)
    .reshape([B, T, D])
    .add(p.wpe!.slice([0, T]))
    .reshape([B * T, D]);
}

/** Logits [B·T, V] for one-hot tokens [B·T, V] (T ≤ maxSeqLen), causal attention over the whole sequence; consumes `p`. */
function forward(problem: BenchProblem, p: Params, x: np.Array, B: number, T: number, attend: Attend = causalAttention): np.Array {
  return transformer(problem, p, embed(p, x, B, T), B, T, attend);
}

/** One Adam update of every tensor (bias corrections bc1 = 1 − β1ᵗ, bc2 = 1 − β2ᵗ): new parameters and moments. */
function adam(h: AdamHyper, p: Params, g: Params, m: Params, v: Params, bc1: np.Array, bc2: np.Array): [Params, Params, Params] {
  const next: [Params, Params, Params] = [{}, {}, {}];
  for (const name of Object.keys(p)) {
    const grad = g[name]!;
    const mi = m[name]!.mul(h.beta1).add(grad.ref.mul(1 - h.beta1));
    const vi = v[name]!.mul(h.beta2).add(np.square(grad).mul(1 - h.beta2));
    const step = mi.ref
      .div(bc1.ref)
      .div(np.sqrt(vi.ref.div(bc2.ref)).add(h.eps))
      .mul(h.lr);
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
  const S = s.promptLength + s.newTokens;
  const sampleNext = (logits: np.Array, key: np.Array) => random.categorical(key, logits.div(s.temperature)); // [R] int32
  // The prompts [R, P] through the whole model: the first new token, and the cache with positions 0 … P−1 written.
  const prefill = jit((p: Params, prompts: np.Array, key: np.Array): [np.Array, KvCache] => {
    const [R, P] = prompts.shape as [number, number];
    const cache: KvCache = { k: [], v: [] };
    const toCache = (a: np.Array) =>
      np.pad(a, [
        [0, 0],
        [0, 0],
        [0, S - P],
        [0, 0],
      ]);
    const logits = forward(problem, p, nn.oneHot(prompts.reshape([R * P]), V), R, P, (l, q, k, v) => {
      cache.k.push(toCache(k.ref));
      cache.v.push(toCache(v.ref));
      return causalAttention(l, q, k, v);
    });
    return [sampleNext(logits.reshape([R, P, V]).slice([], P - 1), key), cache];
  });
  // One token [R] at a position given as data (`at`: one-hot over the S positions; `visible`: 0 up to it, −1e9 after), so one program serves every position.
  const decode = jit((p: Params, cache: KvCache, token: np.Array, at: np.Array, visible: np.Array, key: np.Array): [np.Array, KvCache] => {
    const R = token.shape[0]!;
    const h = np.matmul(nn.oneHot(token, V), p.wte!).add(np.matmul(at.ref.reshape([1, S]), p.wpe!.slice([0, S])));
    const write = at.reshape([1, 1, S, 1]);
    const keep = np.subtract(1, write.ref);
    const next: KvCache = { k: [], v: [] };
    const logits = transformer(problem, p, h, R, 1, (l, q, k, v) => {
      const ck = cache.k[l]!.mul(keep.ref).add(k.mul(write.ref)); // [R, H, S, hd]
      const cv = cache.v[l]!.mul(keep.ref).add(v.mul(write.ref));
      next.k.push(ck.ref);
      next.v.push(cv.ref);
      return attention(q, ck, cv, visible.ref.reshape([1, 1, 1, S]));
    });
    tree.dispose([write, keep, visible]);
    return [sampleNext(logits, key), next];
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
      const key = (j: number) => random.key(round * 65536 + j);
      let [token, cache] = prefill(tree.ref(params), np.array(Int32Array.from(s.prompts), { shape: [s.rows, s.promptLength], dtype: np.int32 }), key(0));
      const tokens = [token.ref];
      for (let j = 1; j < s.newTokens; j++) {
        const pos = s.promptLength - 1 + j;
        const at = new Float32Array(S);
        at[pos] = 1;
        const visible = new Float32Array(S).fill(-1e9, pos + 1);
        [token, cache] = decode(tree.ref(params), cache, token, np.array(at), np.array(visible), key(j));
        tokens.push(token.ref);
      }
      tree.dispose([token, cache]);
      return Uint32Array.from(await np.stack(tokens, 1).data());
    },
    dispose() {
      tree.dispose([params, m, v, x, y]);
      trainStep.dispose();
      prefill.dispose();
      decode.dispose();
    },
  };
}

export const jaxjsPeer: Implementation = {
  name: 'jaxjs',
  description: 'jax-js 0.1.25, webgpu backend, valueAndGrad + jit, Adam written out',
  decoding: 'KV cache (fixed [R, H, S, hd], one jit program for every position), prompt prefilled in one pass; random.categorical',
  open,
};
