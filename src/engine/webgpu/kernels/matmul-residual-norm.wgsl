// h = rms_norm(h + x · Wᵀ), in place on h, for o_proj and down_proj (post-norm blocks).
//   x [M, K], W [N, K] (f32 or packed bf16), h [M, N] with N = hidden_size.
// RMSNorm has no learned scale: v / sqrt(mean(v²) + eps), computed in f32.
//
// Tiling: the norm needs whole rows, so one workgroup owns ROWS complete rows. It stages an
// x tile [ROWS, TILE_K] in workgroup memory; each invocation owns up to MAX_COLUMNS columns
// (n = local index + j * WORKGROUP) and reads its weight rows once per K tile, reusing each
// weight value for all ROWS rows from a register. Row sums of squares reduce in workgroup memory.

override M: u32;
override K: u32;
override N: u32;
override EPS: f32 = 1e-5;
override WORKGROUP: u32 = 256u;

const ROWS: u32 = 8u;
const TILE_K: u32 = 32u;
const MAX_COLUMNS: u32 = 4u; // so N <= MAX_COLUMNS * WORKGROUP, checked by the TS wrapper

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<u32>;
@group(0) @binding(2) var<storage, read_write> h: array<f32>;

var<workgroup> x_tile: array<f32, 256>;       // [ROWS][TILE_K]
var<workgroup> partial: array<f32, WORKGROUP>;

@compute @workgroup_size(WORKGROUP)
fn main(
  @builtin(workgroup_id) group: vec3<u32>,
  @builtin(local_invocation_index) tid: u32,
) {
  let row0 = group.x * ROWS;
  var acc: array<f32, 32>; // [ROWS][MAX_COLUMNS]

  for (var k0 = 0u; k0 < K; k0 += TILE_K) {
    for (var i = tid; i < ROWS * TILE_K; i += WORKGROUP) {
      let r = row0 + i / TILE_K;
      let k = k0 + i % TILE_K;
      var v = 0.0;
      if (r < M && k < K) {
        v = x[r * K + k];
      }
      x_tile[i] = v;
    }
    workgroupBarrier();

    let k_end = min(TILE_K, K - k0);
    for (var j = 0u; j < MAX_COLUMNS; j++) {
      let n = tid + j * WORKGROUP;
      if (n < N) {
        for (var kk = 0u; kk < k_end; kk++) {
          let index = n * K + k0 + kk;
          let wv = decode_weight(w[weight_word(index)], index);
          for (var r = 0u; r < ROWS; r++) {
            acc[r * MAX_COLUMNS + j] += x_tile[r * TILE_K + kk] * wv;
          }
        }
      }
    }
    workgroupBarrier();
  }

  for (var r = 0u; r < ROWS; r++) {
    let row = row0 + r;
    var sum_squares = 0.0;
    for (var j = 0u; j < MAX_COLUMNS; j++) {
      let n = tid + j * WORKGROUP;
      if (n < N && row < M) {
        // The product and the residual sum are each bfloat16 tensors in the authors' forward.
        let v = act(h[row * N + n] + act(acc[r * MAX_COLUMNS + j]));
        acc[r * MAX_COLUMNS + j] = v;
        sum_squares += v * v;
      }
    }
    partial[tid] = sum_squares;
    workgroupBarrier();
    for (var stride = WORKGROUP / 2u; stride > 0u; stride /= 2u) {
      if (tid < stride) {
        partial[tid] += partial[tid + stride];
      }
      workgroupBarrier();
    }
    let scale = inverseSqrt(partial[0] / f32(N) + EPS);
    workgroupBarrier();

    for (var j = 0u; j < MAX_COLUMNS; j++) {
      let n = tid + j * WORKGROUP;
      if (n < N && row < M) {
        h[row * N + n] = act(acc[r * MAX_COLUMNS + j] * scale);
      }
    }
  }
}
