// Non-causal multi-head attention over all positions, softmax(q kᵀ / sqrt(head_dim)) v,
// streaming keys with an online softmax (the flash-attention recurrence), so memory does not
// grow with the number of positions.
//   qkv [POSITIONS, 3 * HIDDEN]: per row, num_heads query heads, then key heads, then value heads.
//   out [POSITIONS, HIDDEN]: heads concatenated, as o_proj expects.
//
// Tiling: workgroup (query block, head). Each invocation owns one query and keeps q, the running
// max, the running sum and the output accumulator in registers. The workgroup stages KEY_TILE
// keys and values of its head in workgroup memory, scores the tile, then rescales once per tile.
//
// In float32 mode one pass suffices. In bfloat16 mode the kernel follows the authors' plain
// PyTorch attention, which stores the scores, the scaled scores and the softmax probabilities
// as bfloat16 tensors: a first pass finds the row max and sum, and the second rounds each
// probability before it weights its value. SCALE comes from the TS wrapper, rounded like the
// Python float multiplier it stands for.

override POSITIONS: u32;
override HIDDEN: u32;
override HEAD_DIM: u32;
override KEY_TILE: u32 = 16u;
override WORKGROUP: u32 = 64u;
override SCALE: f32;

const MAX_HEAD_DIM: u32 = 128u; // checked by the TS wrapper
const MAX_KEY_TILE: u32 = 32u;  // checked by the TS wrapper

@group(0) @binding(0) var<storage, read> qkv: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

var<workgroup> k_tile: array<f32, KEY_TILE * HEAD_DIM>;
var<workgroup> v_tile: array<f32, KEY_TILE * HEAD_DIM>;

@compute @workgroup_size(WORKGROUP)
fn main(
  @builtin(workgroup_id) group: vec3<u32>,
  @builtin(local_invocation_index) tid: u32,
) {
  let head = group.y;
  let query = group.x * WORKGROUP + tid;
  let row_width = 3u * HIDDEN;
  let has_query = query < POSITIONS;

  var q: array<f32, MAX_HEAD_DIM>;
  var acc: array<f32, MAX_HEAD_DIM>;
  var scores: array<f32, MAX_KEY_TILE>;
  if (has_query) {
    for (var d = 0u; d < HEAD_DIM; d++) {
      q[d] = qkv[query * row_width + head * HEAD_DIM + d];
    }
  }
  var running_max = -3.0e38;
  var running_sum = 0.0;
  let passes = select(1u, 2u, BF16);

  for (var pass_index = 0u; pass_index < passes; pass_index++) {
    // In bfloat16 mode pass 0 only measures (max, sum); the last pass accumulates values.
    let accumulate = pass_index + 1u == passes;
    for (var key0 = 0u; key0 < POSITIONS; key0 += KEY_TILE) {
      for (var i = tid; i < KEY_TILE * HEAD_DIM; i += WORKGROUP) {
        let key = key0 + i / HEAD_DIM;
        let d = i % HEAD_DIM;
        var kv = 0.0;
        var vv = 0.0;
        if (key < POSITIONS) {
          kv = qkv[key * row_width + HIDDEN + head * HEAD_DIM + d];
          vv = qkv[key * row_width + 2u * HIDDEN + head * HEAD_DIM + d];
        }
        k_tile[i] = kv;
        v_tile[i] = vv;
      }
      workgroupBarrier();

      let keys = min(KEY_TILE, POSITIONS - key0);
      var tile_max = running_max;
      for (var t = 0u; t < keys; t++) {
        var s = 0.0;
        for (var d = 0u; d < HEAD_DIM; d++) {
          s += q[d] * k_tile[t * HEAD_DIM + d];
        }
        s = act(act(s) * SCALE);
        scores[t] = s;
        tile_max = max(tile_max, s);
      }

      if (BF16 && accumulate) {
        // running_max and running_sum are final from pass 0.
        for (var t = 0u; t < keys; t++) {
          let p = act(exp(scores[t] - running_max) / running_sum);
          for (var d = 0u; d < HEAD_DIM; d++) {
            acc[d] += p * v_tile[t * HEAD_DIM + d];
          }
        }
      } else {
        // Rescale what was summed under the old maximum, then add this tile.
        let correction = exp(running_max - tile_max);
        running_sum *= correction;
        for (var t = 0u; t < keys; t++) {
          running_sum += exp(scores[t] - tile_max);
        }
        if (accumulate) {
          for (var d = 0u; d < HEAD_DIM; d++) {
            acc[d] *= correction;
          }
          for (var t = 0u; t < keys; t++) {
            let p = exp(scores[t] - tile_max);
            for (var d = 0u; d < HEAD_DIM; d++) {
              acc[d] += p * v_tile[t * HEAD_DIM + d];
            }
          }
        }
        running_max = tile_max;
      }
      workgroupBarrier();
    }
  }

  // In bfloat16 mode the probabilities are already normalized.
  let norm = select(running_sum, 1.0, BF16);
  if (has_query) {
    for (var d = 0u; d < HEAD_DIM; d++) {
      out[query * HIDDEN + head * HEAD_DIM + d] = act(acc[d] / norm);
    }
  }
}
