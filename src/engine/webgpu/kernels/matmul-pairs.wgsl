// y = epilogue(x · Wᵀ) for the two products whose epilogue pairs two output columns:
//   EPILOGUE 0, qkv_proj: W [3 * hidden_size, hidden_size]. Column pair j joins index i and
//     i + head_dim / 2 of one head, so RoPE can rotate the pair in registers. y [M, 3 * hidden_size].
//   EPILOGUE 1, gate_up_proj: W [2 * inter, hidden_size]. Pair j joins gate column j and up
//     column inter + j; y[m, j] = silu(gate) * up. y [M, inter].
//
// Tiling (tile.wgsl): one invocation owns 4 consecutive pairs for 4 rows, so its 8 weight rows
// are the first columns of those pairs (tile columns 0-3) and their partners (4-7), and every
// epilogue input sits in its own registers.

override M: u32;          // rows (positions)
override K: u32;          // input width
override PAIRS: u32;      // column pairs: 3 * hidden_size / 2 or inter
override EPILOGUE: u32;   // 0 qkv with optional RoPE, 1 SwiGLU
override HEAD_DIM: u32 = 64u;
override HIDDEN: u32 = 0u; // hidden_size; q and k heads are the first 2 * HIDDEN columns
override ROPE: bool = false;
override WORKGROUP: u32 = 64u;

const PAIRS_PER_INVOCATION: u32 = 4u;

// Bindings 0 and 1 have two views each; entry point `main` reads the vec4 ones and
// `main_unaligned` the scalar ones (see tile.wgsl).
@group(0) @binding(0) var<storage, read> x_vec: array<vec4<f32>>;   // [M, K / 4]
@group(0) @binding(0) var<storage, read> x_scalar: array<f32>;      // [M, K]
@group(0) @binding(1) var<storage, read> w_vec: array<vec4<u32>>;   // [2 * PAIRS, K], f32 or packed bf16
@group(0) @binding(1) var<storage, read> w_words: array<u32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;       // see above
@group(0) @binding(3) var<storage, read> rope: array<vec2<f32>>;    // [M, HEAD_DIM / 2] (cos, sin)

// Output columns (a, b) of pair j. Without RoPE any pairing works, and (j, PAIRS + j) also
// fits heads of odd head_dim.
fn pair_columns(j: u32) -> vec2<u32> {
  if (EPILOGUE == 0u && ROPE) {
    let half = HEAD_DIM / 2u;
    let a = (j / half) * HEAD_DIM + j % half;
    return vec2<u32>(a, a + half);
  }
  return vec2<u32>(j, PAIRS + j);
}

// Writes row `row` of pair `pair` from the two raw products.
fn store_pair(row: u32, pair: u32, raw_a: f32, raw_b: f32) {
  let a = act(raw_a);
  let b = act(raw_b);
  if (EPILOGUE == 1u) {
    // silu(gate) = gate / (1 + exp(-gate)), rounded step by step in bfloat16 mode as
    // PyTorch 1.13's CPU kernel does; then the product is its own bfloat16 tensor.
    let gate_silu = act(a / act(1.0 + act(exp(-a))));
    y[row * PAIRS + pair] = act(gate_silu * b);
    return;
  }

  let columns = pair_columns(pair);
  let width = 2u * PAIRS;
  var out_a = a;
  var out_b = b;
  if (ROPE && columns.x < 2u * HIDDEN) {
    // RoPE in f32: [a, b] -> [a cos - b sin, b cos + a sin], the rotate_half convention.
    let cs = rope[row * (HEAD_DIM / 2u) + (columns.x % HEAD_DIM)];
    out_a = act(a * cs.x - b * cs.y);
    out_b = act(b * cs.x + a * cs.y);
  }
  y[row * width + columns.x] = out_a;
  y[row * width + columns.y] = out_b;
}

struct Placement {
  first_pair: u32,
  first_row: u32,
  rows: vec4<u32>,          // clamped to M - 1, so loads stay in bounds
  columns: TileColumns,     // weight rows: the 4 pairs' first columns, then their partners
}

fn place(group: vec3<u32>, tid: u32) -> Placement {
  var p: Placement;
  p.first_pair = (group.x * WORKGROUP + tid) * PAIRS_PER_INVOCATION;
  p.first_row = group.y * TILE_ROWS;
  let last_row = M - 1u;
  p.rows = min(vec4<u32>(p.first_row) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(last_row));
  let c0 = pair_columns(min(p.first_pair, PAIRS - 1u));
  let c1 = pair_columns(min(p.first_pair + 1u, PAIRS - 1u));
  let c2 = pair_columns(min(p.first_pair + 2u, PAIRS - 1u));
  let c3 = pair_columns(min(p.first_pair + 3u, PAIRS - 1u));
  p.columns = TileColumns(vec4<u32>(c0.x, c1.x, c2.x, c3.x), vec4<u32>(c0.y, c1.y, c2.y, c3.y));
  return p;
}

fn store_tile(p: Placement, tile: Tile) {
  for (var r = 0u; r < TILE_ROWS; r++) {
    let row = p.first_row + r;
    if (row >= M) {
      return;
    }
    let sums = tile_row(tile, r);
    for (var i = 0u; i < PAIRS_PER_INVOCATION; i++) {
      let pair = p.first_pair + i;
      if (pair < PAIRS) {
        store_pair(row, pair, sums.lo[i], sums.hi[i]);
      }
    }
  }
}

@compute @workgroup_size(WORKGROUP)
fn main(
  @builtin(workgroup_id) group: vec3<u32>,
  @builtin(local_invocation_index) tid: u32,
) {
  let p = place(group, tid);
  if (p.first_pair >= PAIRS) {
    return;
  }
  store_tile(p, tile_product_vec4(p.rows, p.columns));
}

@compute @workgroup_size(WORKGROUP)
fn main_unaligned(
  @builtin(workgroup_id) group: vec3<u32>,
  @builtin(local_invocation_index) tid: u32,
) {
  let p = place(group, tid);
  if (p.first_pair >= PAIRS) {
    return;
  }
  store_tile(p, tile_product_scalar(p.rows, p.columns));
}
