// Policy-gradient loss of GRPO and its variants (docs/design.md §3). For M sequences of T completion
// positions it emits the coefficients c = ∂J/∂ℓ that LogProb's backward takes, J = J_policy − β·J_KL,
// and the diagnostics the metrics need. A workgroup per sequence, no atomics:
//   reduction 1: n_i = Σ_t mask and D_i = Σ_t mask·(ℓ − ℓ_old), from which the sequence-level ratio;
//   per token:   ratio, clip code, KL estimate, coefficient;
//   reduction 2: the sequence's contributions to J_policy and J_KL.
// Only the mask of a token with mask 0 is read: its coef, kl and clip are 0 and its ratio is 1.

const THREADS = 64u;

// The codes below are src/loss/codes.ts's (LEVEL_CODE, KL_CODE, CLIP_CODE), which WGSL cannot import;
// tests/rl/policy-loss-codes.test.ts checks that they agree.
const LEVEL_TOKEN = 0u;
const LEVEL_TRAJECTORY = 1u;
const LEVEL_SEQUENCE = 2u;
const LEVEL_NONE_AT_OLD = 3u;

const KL_K1 = 0u;
const KL_K2 = 1u;
const KL_K3 = 2u;

const CLIP_NONE = 0u;
const CLIP_LOW = 1u;
const CLIP_HIGH = 2u;

// Log-ratios are clamped to ±this before exp, so a diverged policy gives large finite weights, never inf
// (MAX_LOG_RATIO in src/loss/config.ts).
const MAX_LOG_RATIO = 20.0;

struct Params {
  M: u32,
  T: u32,
  level: u32,
  zeroGrad: u32,        // trajectory level: a clipped sequence's coefficients are 0, not the truncated weight's
  klEstimator: u32,
  perSequenceMean: u32, // the aggregation weight is divided by n_i (seq-mean-token-mean)
  scale: f32,           // aggregation weight a_{i,t} = scale, or scale/n_i
  invM: f32,            // trajectory and sequence levels weigh each sequence 1/M
  epsLow: f32,
  epsHigh: f32,
  beta: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> coef: array<f32>;        // [M*T]
@group(0) @binding(2) var<storage, read_write> diagnostics: array<f32>; // [3, M*T]: ratio | clip code | kl
@group(0) @binding(3) var<storage, read_write> seqStats: array<f32>;    // [M, 4]: J_policy part, J_KL part, D_i, n_i (SEQ_STATS)
@group(0) @binding(4) var<storage, read> logp: array<f32>;              // [M*T]
@group(0) @binding(5) var<storage, read> logpOld: array<f32>;           // [M*T]
@group(0) @binding(6) var<storage, read> logpRef: array<f32>;           // [M*T]
@group(0) @binding(7) var<storage, read> mask: array<f32>;              // [M*T]
@group(0) @binding(8) var<storage, read> adv: array<f32>;               // [M]

var<workgroup> partials: array<vec2f, THREADS>;

// Σ of `value` over the workgroup, in a fixed tree order; every invocation gets the total.
fn workgroupSum(lid: u32, value: vec2f) -> vec2f {
  partials[lid] = value;
  workgroupBarrier();
  for (var stride = THREADS / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) { partials[lid] += partials[lid + stride]; }
    workgroupBarrier();
  }
  let total = partials[0];
  workgroupBarrier(); // partials is rewritten by the next reduction
  return total;
}

// e^x − 1 − x. Written as exp(x) − 1 − x it loses every digit to cancellation in f32 when |x| is
// small, which is k3's usual case (π_θ near π_ref); there the Taylor series to x⁹ is exact to 3e-9.
fn expm1MinusX(x: f32) -> f32 {
  if (abs(x) < 0.5) {
    return x * x * (1.0 / 2.0 + x * (1.0 / 6.0 + x * (1.0 / 24.0 + x * (1.0 / 120.0 + x * (1.0 / 720.0
      + x * (1.0 / 5040.0 + x * (1.0 / 40320.0 + x * (1.0 / 362880.0))))))));
  }
  return exp(x) - 1.0 - x;
}

// The KL estimate from ℓ and ℓ_ref and its derivative with respect to ℓ: (k, ∂k/∂ℓ).
fn klTerm(l: f32, lRef: f32) -> vec2f {
  switch p.klEstimator {
    case KL_K1: { return vec2f(l - lRef, 1.0); }
    case KL_K2: { let x = l - lRef; return vec2f(0.5 * x * x, x); }
    case KL_K3, default: {
      // k3 = e^x − x − 1 with x = ℓ_ref − ℓ; ∂k3/∂ℓ = 1 − e^x = −(x + k3).
      let x = clamp(lRef - l, -MAX_LOG_RATIO, MAX_LOG_RATIO);
      let k = expm1MinusX(x);
      return vec2f(k, -(x + k));
    }
  }
}

// PPO's clip of ratio r under advantage a binds at 1 + ε_high when a > 0 and at 1 − ε_low when a < 0.
fn clipCode(r: f32, a: f32) -> u32 {
  if (a > 0.0 && r > 1.0 + p.epsHigh) { return CLIP_HIGH; }
  if (a < 0.0 && r < 1.0 - p.epsLow) { return CLIP_LOW; }
  return CLIP_NONE;
}

// The ratio inside min(r·a, clip(r)·a): the bound that binds, else r itself.
fn effectiveRatio(r: f32, code: u32) -> f32 {
  if (code == CLIP_HIGH) { return 1.0 + p.epsHigh; }
  if (code == CLIP_LOW) { return 1.0 - p.epsLow; }
  return r;
}

@compute @workgroup_size(THREADS)
fn forward(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
           @builtin(local_invocation_index) lid: u32) {
  let MT = p.M * p.T;
  for (var i = wg.x; i < p.M; i += nwg.x) {
    let row = i * p.T;

    var local = vec2f(0.0);
    for (var t = lid; t < p.T; t += THREADS) {
      let k = row + t;
      if (mask[k] != 0.0) { local += vec2f(1.0, logp[k] - logpOld[k]); }
    }
    let totals = workgroupSum(lid, local);
    let n = totals.x;
    let logRatioSum = totals.y; // D_i
    let advantage = adv[i];
    let weight = select(p.scale, p.scale / max(n, 1.0), p.perSequenceMean != 0u); // a_{i,t}

    // Sequence-level ratio, clip code, per-token coefficient and J_policy part (trajectory, sequence).
    var seqRatio = 1.0;
    var seqCode = CLIP_NONE;
    var seqCoef = 0.0;
    var seqObjective = 0.0;
    if (n > 0.0 && p.level == LEVEL_TRAJECTORY) {
      let w = exp(clamp(logRatioSum, -MAX_LOG_RATIO, MAX_LOG_RATIO));
      let clipped = w > 1.0 + p.epsHigh;
      let truncated = min(w, 1.0 + p.epsHigh);
      seqRatio = w;
      seqCode = select(CLIP_NONE, CLIP_HIGH, clipped);
      seqObjective = truncated * advantage * p.invM;
      // truncate: the weight is a constant min(w, 1+ε_high); zero-grad: w where unclipped, else nothing.
      let coefWeight = select(truncated, select(w, 0.0, clipped), p.zeroGrad != 0u);
      seqCoef = coefWeight * advantage * p.invM;
    } else if (n > 0.0 && p.level == LEVEL_SEQUENCE) {
      let s = exp(clamp(logRatioSum / n, -MAX_LOG_RATIO, MAX_LOG_RATIO));
      seqRatio = s;
      seqCode = clipCode(s, advantage);
      seqObjective = effectiveRatio(s, seqCode) * advantage * p.invM;
      seqCoef = select(s * advantage * p.invM / n, 0.0, seqCode != CLIP_NONE); // ∂s/∂ℓ_t = s/n_i
    }

    var sums = vec2f(0.0); // this invocation's part of (J_policy, J_KL) from token terms
    for (var t = lid; t < p.T; t += THREADS) {
      let k = row + t;
      var c = 0.0;
      var ratio = 1.0;
      var code = CLIP_NONE;
      var kl = 0.0;
      if (mask[k] != 0.0) {
        let l = logp[k];
        let logRatio = l - logpOld[k];
        switch p.level {
          case LEVEL_TOKEN: {
            ratio = exp(clamp(logRatio, -MAX_LOG_RATIO, MAX_LOG_RATIO));
            code = clipCode(ratio, advantage);
            c = select(weight * ratio * advantage, 0.0, code != CLIP_NONE);
            sums.x += weight * effectiveRatio(ratio, code) * advantage;
          }
          case LEVEL_NONE_AT_OLD: {
            // The surrogate a·Â·(1 + ℓ − ℓ_old): GRPO's value at θ_old, and gradient a·Â at any θ.
            c = weight * advantage;
            sums.x += weight * advantage * (1.0 + logRatio);
          }
          default: {
            ratio = seqRatio;
            code = seqCode;
            c = seqCoef;
          }
        }
        let estimate = klTerm(l, logpRef[k]);
        kl = estimate.x;
        sums.y += weight * kl;
        c -= p.beta * weight * estimate.y;
      }
      coef[k] = c;
      diagnostics[k] = ratio;
      diagnostics[MT + k] = f32(code);
      diagnostics[2u * MT + k] = kl;
    }
    let objective = workgroupSum(lid, sums);
    if (lid == 0u) {
      seqStats[4u * i] = objective.x + seqObjective;
      seqStats[4u * i + 1u] = objective.y;
      seqStats[4u * i + 2u] = logRatioSum;
      seqStats[4u * i + 3u] = n;
    }
  }
}
