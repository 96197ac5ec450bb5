// What the matmul kernels share (included by matmul.wgsl, matmul-direct.wgsl and
// matmul-direct-vec4.wgsl; no entry points): the uniform block, the layout and the epilogue that
// turns four accumulated dot products into what is stored. The epilogue fuses the layer that follows a product into it, as llm.c's CUDA matmul does
// for GELU: one pass over C instead of two or three, and no separate dispatch.

struct Params {
  M: u32,
  N: u32,
  K: u32,
  flags: u32,     // ADD_BIAS
  strideA: u32,   // elements between batches
  strideB: u32,
  strideC: u32,
  alpha: f32,
}

@group(0) @binding(0) var<uniform> p: Params;

// The layout, fixed per pipeline.
override TRANS_A: bool = false; // A stored [K,M] rather than [M,K]
override TRANS_B: bool = false; // B stored [N,K] rather than [K,N]

// Tested at run time: the CPU kernels load the bias once per column of their block, so the test costs little.
const ADD_BIAS = 1u; // + bias[n]

fn hasFlag(flag: u32) -> bool {
  return (p.flags & flag) != 0u;
}

// + C (gradients accumulate, as in llm.c), fixed per pipeline: a CPU adapter runs both sides of a
// branch with lanes masked off, so tested at run time it would load C for every product that does not
// add into it too, slowing the forward products (measured: bench/RESULTS.md).
override ACCUMULATE: bool = false;

// The fused layer, fixed per pipeline: tested at run time, the branches cost a CPU adapter a good part
// of a small product (measured: bench/RESULTS.md); specialised, an epilogue not used costs nothing.
override EPILOGUE = 0u;
const RESIDUAL = 1u;      // + aux (the residual connection after a projection)
const GELU = 2u;          // aux ← the pre-activation, C ← gelu(pre-activation)
const GELU_BACKWARD = 3u; // the product times gelu'(aux): the gradient through GELU, aux holding its input
const SUM_B_COLUMNS = 4u; // aux[n] += Σ_k B[k, n], aux of N values: the bias gradient next to the weight's (Aᵀ·B only)

/** Whether the epilogue reads aux. */
fn readsAux() -> bool {
  return EPILOGUE == RESIDUAL || EPILOGUE == GELU_BACKWARD;
}

struct Stored {
  c: vec4f,
  aux: vec4f, // written back only under GELU
}

/**
 * Four outputs: alpha·acc, through GELU's gradient, plus bias, aux and the old C, through GELU. The
 * caller loads bias and old C only with ADD_BIAS and ACCUMULATE and passes zeros otherwise, so they
 * are added without a second test.
 */
fn epilogue(acc: vec4f, bias: vec4f, aux: vec4f, old: vec4f) -> Stored {
  var v = p.alpha * acc;
  if (EPILOGUE == GELU_BACKWARD) { v *= geluSlope(aux); }
  v += bias + old;
  if (EPILOGUE == RESIDUAL) { v += aux; }
  if (EPILOGUE == GELU) { return Stored(gelu(v), v); }
  return Stored(v, aux);
}

// #include gelu-math
