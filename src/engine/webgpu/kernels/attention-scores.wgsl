// Attention probabilities for the tiled attention path: one dispatch per block writes
//   probs[head, i, j] = softmax_j(q_i · k_j * SCALE)
// and attention-values.wgsl then sums probs · v. Inputs and outputs:
//   qkv [POSITIONS, 3 * HIDDEN] read as vec4 (needs HEAD_DIM % 4 == 0): per row, the query
//     heads, then the key heads, then the value heads.
//   probs [heads, POSITIONS, STRIDE]: STRIDE = POSITIONS rounded up to a multiple of 4, the
//     padding zero, so the values kernel can read 4 keys with one vec4 load.
//
// Tiling: one invocation owns 4 queries of one head and walks over every key, 8 at a time, with
// the 4 x 8 scores in registers (12 vec4 loads per 128 multiply-adds, as in tile.wgsl). It writes
// the scaled scores while it tracks the 4 row maxima, then rereads its own rows twice: once for
// the sums of exponentials and once to write the probabilities. Each row belongs to one
// invocation, so no barrier is needed.
//
// Rounding in bfloat16 mode follows the authors' plain PyTorch attention, which stores the
// scores, the scaled scores and the probabilities as bfloat16 tensors; the softmax's maximum and
// sum stay f32, as in PyTorch's CPU kernel. SCALE comes from the TS wrapper, rounded like the
// Python float multiplier it stands for.

override POSITIONS: u32;
override STRIDE: u32;
override HIDDEN: u32;
override HEAD_DIM: u32;
override SCALE: f32;
override WORKGROUP: u32 = 16u;

const QUERIES: u32 = 4u;
const KEYS: u32 = 8u;
const NO_SCORE: f32 = -3.0e38;

@group(0) @binding(0) var<storage, read> qkv: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> probs: array<f32>;

// Index of the first vec4 of `head` in part 0 (queries) or 1 (keys) of row `position`.
fn head_start(position: u32, part: u32, head: u32) -> u32 {
  return (position * 3u * HIDDEN + part * HIDDEN + head * HEAD_DIM) / 4u;
}

fn scaled(raw: vec4<f32>) -> vec4<f32> {
  return act4(act4(raw) * SCALE);
}

// Keys at or past POSITIONS were clamped for loading; they must not count in the maximum.
fn masked(scores: vec4<f32>, first_key: u32) -> vec4<f32> {
  let keys = vec4<u32>(first_key) + vec4<u32>(0u, 1u, 2u, 3u);
  return select(vec4<f32>(NO_SCORE), scores, keys < vec4<u32>(POSITIONS));
}

fn max4(v: vec4<f32>) -> f32 {
  return max(max(v.x, v.y), max(v.z, v.w));
}

// Writes 8 scores of row `row` starting at key `key0`; returns the new row maximum.
fn store_scores(row_start: u32, key0: u32, lo: vec4<f32>, hi: vec4<f32>, row_max: f32) -> f32 {
  let a = masked(scaled(lo), key0);
  let b = masked(scaled(hi), key0 + 4u);
  for (var j = 0u; j < 4u; j++) {
    if (key0 + j < POSITIONS) {
      probs[row_start + key0 + j] = a[j];
    }
    if (key0 + 4u + j < POSITIONS) {
      probs[row_start + key0 + 4u + j] = b[j];
    }
  }
  return max(row_max, max(max4(a), max4(b)));
}

fn dots(v: vec4<f32>, c0: vec4<f32>, c1: vec4<f32>, c2: vec4<f32>, c3: vec4<f32>) -> vec4<f32> {
  return vec4<f32>(dot(v, c0), dot(v, c1), dot(v, c2), dot(v, c3));
}

@compute @workgroup_size(WORKGROUP)
fn main(
  @builtin(workgroup_id) group: vec3<u32>,
  @builtin(local_invocation_index) tid: u32,
) {
  let head = group.y;
  let first = (group.x * WORKGROUP + tid) * QUERIES;
  if (first >= POSITIONS) {
    return;
  }
  let last = POSITIONS - 1u;
  let quads = HEAD_DIM / 4u;
  let q0 = head_start(first, 0u, head);
  let q1 = head_start(min(first + 1u, last), 0u, head);
  let q2 = head_start(min(first + 2u, last), 0u, head);
  let q3 = head_start(min(first + 3u, last), 0u, head);
  // probs index of row i of this invocation: (head * POSITIONS + first + i) * STRIDE.
  let rows = (vec4<u32>(head * POSITIONS + first) + vec4<u32>(0u, 1u, 2u, 3u)) * STRIDE;

  // Pass 1: scaled scores and row maxima.
  var row_max = vec4<f32>(NO_SCORE);
  for (var key0 = 0u; key0 < POSITIONS; key0 += KEYS) {
    let k0 = head_start(key0, 1u, head);
    let k1 = head_start(min(key0 + 1u, last), 1u, head);
    let k2 = head_start(min(key0 + 2u, last), 1u, head);
    let k3 = head_start(min(key0 + 3u, last), 1u, head);
    let k4 = head_start(min(key0 + 4u, last), 1u, head);
    let k5 = head_start(min(key0 + 5u, last), 1u, head);
    let k6 = head_start(min(key0 + 6u, last), 1u, head);
    let k7 = head_start(min(key0 + 7u, last), 1u, head);
    var s0_lo = vec4<f32>(0.0);
    var s0_hi = vec4<f32>(0.0);
    var s1_lo = vec4<f32>(0.0);
    var s1_hi = vec4<f32>(0.0);
    var s2_lo = vec4<f32>(0.0);
    var s2_hi = vec4<f32>(0.0);
    var s3_lo = vec4<f32>(0.0);
    var s3_hi = vec4<f32>(0.0);
    for (var d = 0u; d < quads; d++) {
      let c0 = qkv[k0 + d];
      let c1 = qkv[k1 + d];
      let c2 = qkv[k2 + d];
      let c3 = qkv[k3 + d];
      let c4 = qkv[k4 + d];
      let c5 = qkv[k5 + d];
      let c6 = qkv[k6 + d];
      let c7 = qkv[k7 + d];
      let x0 = qkv[q0 + d];
      s0_lo += dots(x0, c0, c1, c2, c3);
      s0_hi += dots(x0, c4, c5, c6, c7);
      let x1 = qkv[q1 + d];
      s1_lo += dots(x1, c0, c1, c2, c3);
      s1_hi += dots(x1, c4, c5, c6, c7);
      let x2 = qkv[q2 + d];
      s2_lo += dots(x2, c0, c1, c2, c3);
      s2_hi += dots(x2, c4, c5, c6, c7);
      let x3 = qkv[q3 + d];
      s3_lo += dots(x3, c0, c1, c2, c3);
      s3_hi += dots(x3, c4, c5, c6, c7);
    }
    // Rows past POSITIONS (clamped queries) are computed but never written.
    row_max.x = store_scores(rows.x, key0, s0_lo, s0_hi, row_max.x);
    if (first + 1u < POSITIONS) {
      row_max.y = store_scores(rows.y, key0, s1_lo, s1_hi, row_max.y);
    }
    if (first + 2u < POSITIONS) {
      row_max.z = store_scores(rows.z, key0, s2_lo, s2_hi, row_max.z);
    }
    if (first + 3u < POSITIONS) {
      row_max.w = store_scores(rows.w, key0, s3_lo, s3_hi, row_max.w);
    }
  }

  // Passes 2 and 3, per row: the sum of exponentials, then the probabilities and the padding.
  for (var i = 0u; i < QUERIES; i++) {
    if (first + i >= POSITIONS) {
      break;
    }
    let start = rows[i];
    let top = row_max[i];
    var sum = 0.0;
    for (var j = 0u; j < POSITIONS; j++) {
      sum += exp(probs[start + j] - top);
    }
    for (var j = 0u; j < POSITIONS; j++) {
      probs[start + j] = act(exp(probs[start + j] - top) / sum);
    }
    for (var j = POSITIONS; j < STRIDE; j++) {
      probs[start + j] = 0.0;
    }
  }
}
