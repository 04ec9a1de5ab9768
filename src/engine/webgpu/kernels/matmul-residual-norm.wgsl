// h = rms_norm(h + x · Wᵀ), in place on h, for o_proj and down_proj (post-norm blocks).
//   x [M, K], W [N, K] (f32 or packed bf16), h [M, N] with N = hidden_size.
// RMSNorm has no learned scale: v / sqrt(mean(v²) + eps), computed in f32.
//
// Tiling (tile.wgsl): the norm needs whole rows, so one workgroup owns 4 complete rows. Each
// invocation computes those 4 rows for 8 columns, n = local index + j * WORKGROUP, in
// registers; the only workgroup memory is one vec4 of row sums of squares per invocation,
// reduced once at the end.

override M: u32;
override K: u32;
override N: u32;
override EPS: f32 = 1e-5;
override WORKGROUP: u32 = 64u;

// Bindings 0 and 1 have two views each; entry point `main` reads the vec4 ones and
// `main_unaligned` the scalar ones (see tile.wgsl).
@group(0) @binding(0) var<storage, read> x_vec: array<vec4<f32>>;
@group(0) @binding(0) var<storage, read> x_scalar: array<f32>;
@group(0) @binding(1) var<storage, read> w_vec: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read> w_words: array<u32>;
@group(0) @binding(2) var<storage, read_write> h: array<f32>;

var<workgroup> partial: array<vec4<f32>, WORKGROUP>; // sums of squares of the 4 rows

fn tile_rows(group: vec3<u32>) -> vec4<u32> {
  let first = group.x * TILE_ROWS;
  return min(vec4<u32>(first) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(M - 1u));
}

// Weight rows (output columns) of this invocation, clamped to N - 1 so loads stay in bounds.
fn tile_columns(tid: u32) -> TileColumns {
  let n = vec4<u32>(tid) + WORKGROUP * vec4<u32>(0u, 1u, 2u, 3u);
  let last = vec4<u32>(N - 1u);
  return TileColumns(min(n, last), min(n + 4u * WORKGROUP, last));
}

fn column(tid: u32, j: u32) -> u32 {
  return tid + j * WORKGROUP;
}

fn sums_at(row: TileRow, j: u32) -> f32 {
  return select(row.hi[j % 4u], row.lo[j % 4u], j < 4u);
}

// Adds the residual and norms the 4 rows. Every invocation must reach the barriers.
fn residual_norm(group: vec3<u32>, tid: u32, tile: Tile) {
  let first_row = group.x * TILE_ROWS;

  // The product and the residual sum are each bfloat16 tensors in the authors' forward.
  var sums: array<TileRow, 4>;
  var squares = vec4<f32>(0.0);
  for (var r = 0u; r < TILE_ROWS; r++) {
    let row = first_row + r;
    let products = tile_row(tile, r);
    var lo = vec4<f32>(0.0);
    var hi = vec4<f32>(0.0);
    for (var j = 0u; j < TILE_COLUMNS; j++) {
      let n = column(tid, j);
      if (n < N && row < M) {
        let v = act(h[row * N + n] + act(sums_at(products, j)));
        squares[r] += v * v;
        if (j < 4u) {
          lo[j] = v;
        } else {
          hi[j - 4u] = v;
        }
      }
    }
    sums[r] = TileRow(lo, hi);
  }

  partial[tid] = squares;
  workgroupBarrier();
  for (var stride = WORKGROUP / 2u; stride > 0u; stride /= 2u) {
    if (tid < stride) {
      partial[tid] += partial[tid + stride];
    }
    workgroupBarrier();
  }
  let scale = inverseSqrt(partial[0] / f32(N) + EPS);

  for (var r = 0u; r < TILE_ROWS; r++) {
    let row = first_row + r;
    for (var j = 0u; j < TILE_COLUMNS; j++) {
      let n = column(tid, j);
      if (n < N && row < M) {
        h[row * N + n] = act(sums_at(sums[r], j) * scale[r]);
      }
    }
  }
}

@compute @workgroup_size(WORKGROUP)
fn main(
  @builtin(workgroup_id) group: vec3<u32>,
  @builtin(local_invocation_index) tid: u32,
) {
  residual_norm(group, tid, tile_product_vec4(tile_rows(group), tile_columns(tid)));
}

@compute @workgroup_size(WORKGROUP)
fn main_unaligned(
  @builtin(workgroup_id) group: vec3<u32>,
  @builtin(local_invocation_index) tid: u32,
) {
  residual_norm(group, tid, tile_product_scalar(tile_rows(group), tile_columns(tid)));
}
