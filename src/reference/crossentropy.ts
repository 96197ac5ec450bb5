import type { CrossEntropyDims } from '../kernels/crossentropy';

type Floats = ArrayLike<number>;

/** Float64 reference of CrossEntropy.forward: probs = softmax(logits), losses = −log probs[target] (0 for a target ≥ V). */
export function crossEntropyForward(losses: Float64Array, probs: Float64Array, logits: Floats, targets: ArrayLike<number>, { N, V }: CrossEntropyDims): void {
  for (let i = 0; i < N; i++) {
    const base = i * V;
    let max = -Infinity;
    for (let j = 0; j < V; j++) max = Math.max(max, logits[base + j]!);
    let sum = 0;
    for (let j = 0; j < V; j++) sum += Math.exp(logits[base + j]! - max);
    const lse = max + Math.log(sum);
    for (let j = 0; j < V; j++) probs[base + j] = Math.exp(logits[base + j]! - lse);
    const target = targets[i]!;
    losses[i] = target < V ? lse - logits[base + target]! : 0;
  }
}

/** Float64 reference of CrossEntropy.backward: dlogits += scale·(probs − onehot(target)) on rows whose target is < V. */
export function crossEntropyBackward(
  dlogits: Float64Array,
  probs: Floats,
  targets: ArrayLike<number>,
  { N, V, scale }: CrossEntropyDims & { scale: number },
): void {
  for (let i = 0; i < N; i++) {
    const target = targets[i]!;
    if (target >= V) continue;
    for (let j = 0; j < V; j++) {
      const k = i * V + j;
      dlogits[k] = dlogits[k]! + scale * (probs[k]! - (j === target ? 1 : 0));
    }
  }
}
