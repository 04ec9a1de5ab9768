// Second half of the tiled attention path: out[i, head * HEAD_DIM + d] = Σ_j probs[head, i, j]
// · v[j, head * HEAD_DIM + d], with the probabilities from attention-scores.wgsl.
//   probs [heads, POSITIONS, STRIDE] (padding zero), qkv [POSITIONS, 3 * HIDDEN] (values are
//   the last HIDDEN columns), out [POSITIONS, HIDDEN], heads concatenated as o_proj expects.
//
// Tiling: one invocation owns 4 queries and 8 consecutive dimensions of one head (needs
// HEAD_DIM % 8 == 0). Per 4 keys it loads one vec4 of probabilities per query and two vec4 of
// values per key: 12 loads per 128 multiply-adds, all sums in registers.

override POSITIONS: u32;
override STRIDE: u32;
override HIDDEN: u32;
override HEAD_DIM: u32;
override WORKGROUP: u32 = 64u;

const QUERIES: u32 = 4u;

@group(0) @binding(0) var<storage, read> probs: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> qkv: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4<f32>>;

struct Sums {
  lo: vec4<f32>, // dimensions d0 .. d0 + 3
  hi: vec4<f32>, // dimensions d0 + 4 .. d0 + 7
}

// Adds p[t] · v_t for the 4 keys t of one step.
fn add_keys(acc: Sums, p: vec4<f32>, v: array<vec4<f32>, 8>) -> Sums {
  return Sums(
    acc.lo + p.x * v[0] + p.y * v[2] + p.z * v[4] + p.w * v[6],
    acc.hi + p.x * v[1] + p.y * v[3] + p.z * v[5] + p.w * v[7],
  );
}

fn store(row: u32, column: u32, sums: Sums) {
  if (row < POSITIONS) {
    // Probabilities are already normalized; in bfloat16 mode the product is a bfloat16 tensor.
    out[(row * HIDDEN + column) / 4u] = act4(sums.lo);
    out[(row * HIDDEN + column) / 4u + 1u] = act4(sums.hi);
  }
}

@compute @workgroup_size(WORKGROUP)
fn main(
  @builtin(workgroup_id) group: vec3<u32>,
  @builtin(local_invocation_index) tid: u32,
) {
  // Column group c covers dimensions 8c .. 8c + 7 of the concatenated heads.
  let column = (group.x * WORKGROUP + tid) * 8u;
  if (column >= HIDDEN) {
    return;
  }
  let head = column / HEAD_DIM;
  let first = group.y * QUERIES;
  let last = POSITIONS - 1u;
  let stride4 = STRIDE / 4u;
  let p0 = (head * POSITIONS + first) * stride4;
  let p1 = (head * POSITIONS + min(first + 1u, last)) * stride4;
  let p2 = (head * POSITIONS + min(first + 2u, last)) * stride4;
  let p3 = (head * POSITIONS + min(first + 3u, last)) * stride4;
  let value_offset = (2u * HIDDEN + column) / 4u;
  let row4 = 3u * HIDDEN / 4u;

  var acc0: Sums;
  var acc1: Sums;
  var acc2: Sums;
  var acc3: Sums;
  for (var t = 0u; t < stride4; t++) {
    // Keys past POSITIONS have probability 0; their clamped rows only keep loads in bounds.
    let key = 4u * t;
    let r0 = min(key, last) * row4 + value_offset;
    let r1 = min(key + 1u, last) * row4 + value_offset;
    let r2 = min(key + 2u, last) * row4 + value_offset;
    let r3 = min(key + 3u, last) * row4 + value_offset;
    let v = array<vec4<f32>, 8>(
      qkv[r0], qkv[r0 + 1u], qkv[r1], qkv[r1 + 1u],
      qkv[r2], qkv[r2 + 1u], qkv[r3], qkv[r3 + 1u],
    );
    acc0 = add_keys(acc0, probs[p0 + t], v);
    acc1 = add_keys(acc1, probs[p1 + t], v);
    acc2 = add_keys(acc2, probs[p2 + t], v);
    acc3 = add_keys(acc3, probs[p3 + t], v);
  }

  store(first, column, acc0);
  store(first + 1u, column, acc1);
  store(first + 2u, column, acc2);
  store(first + 3u, column, acc3);
}
