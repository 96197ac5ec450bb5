// What both matmul families share (included by matmul.wgsl and matmul-direct.wgsl; no entry
// points): the uniform block and the epilogue that turns four accumulated dot products into what is
// stored. The epilogue fuses the layer that follows a product into it, as llm.c's CUDA matmul does
// for GELU: one pass over C instead of two or three, and no separate dispatch.

struct Params {
  M: u32,
  N: u32,
  K: u32,
  flags: u32,     // the epilogue: a sum of the flags below
  strideA: u32,   // elements between batches
  strideB: u32,
  strideC: u32,
  alpha: f32,
}

@group(0) @binding(0) var<uniform> p: Params;

const ADD_BIAS = 1u;      // + bias[n]
const ACCUMULATE = 2u;    // + C (gradients accumulate, as in llm.c)
const ADD_AUX = 4u;       // + aux (the residual connection after a projection)
const GELU_FORWARD = 8u;  // aux ← the pre-activation, C ← gelu(pre-activation)
const GELU_BACKWARD = 16u; // the product times gelu'(aux): the gradient through GELU, aux holding its input
const SUM_B_COLUMNS = 32u; // aux[n] += Σ_k B[k, n], aux of N values: the bias gradient next to the weight's (Aᵀ·B only)

fn hasFlag(flag: u32) -> bool {
  return (p.flags & flag) != 0u;
}

/** Whether the epilogue reads aux. */
fn readsAux() -> bool {
  return hasFlag(ADD_AUX | GELU_BACKWARD);
}

struct Stored {
  c: vec4f,
  aux: vec4f, // written back only under GELU_FORWARD
}

/** Four outputs: alpha·acc, through GELU's gradient, plus bias, aux and the old C, through GELU; operands not flagged are ignored. */
fn epilogue(acc: vec4f, bias: vec4f, aux: vec4f, old: vec4f) -> Stored {
  var v = p.alpha * acc;
  if (hasFlag(GELU_BACKWARD)) { v *= geluSlope(aux); }
  if (hasFlag(ADD_BIAS)) { v += bias; }
  if (hasFlag(ADD_AUX)) { v += aux; }
  if (hasFlag(ACCUMULATE)) { v += old; }
  if (hasFlag(GELU_FORWARD)) { return Stored(gelu(v), v); }
  return Stored(v, aux);
}

// #include gelu-math
