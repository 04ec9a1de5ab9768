// y = epilogue(x · Wᵀ) for the two products whose epilogue pairs two output columns:
//   EPILOGUE 0, qkv_proj: W [3 * hidden_size, hidden_size]. Column pair j joins index i and
//     i + head_dim / 2 of one head, so RoPE can rotate the pair in registers. y [M, 3 * hidden_size].
//   EPILOGUE 1, gate_up_proj: W [2 * inter, hidden_size]. Pair j joins gate column j and up
//     column inter + j; y[m, j] = silu(gate) * up. y [M, inter].
//
// Tiling: one workgroup computes ROWS rows x WORKGROUP column pairs. For each TILE_K slice of K
// it stages the x tile [ROWS, TILE_K] in workgroup memory. One invocation owns one pair for all
// ROWS rows: it reads each weight once from storage and reuses it from a register for every
// row, keeping 2 x ROWS accumulators. Few barriers and register reuse suit both GPUs and
// SwiftShader, where workgroup barriers are expensive.

override M: u32;          // rows (positions)
override K: u32;          // input width
override PAIRS: u32;      // column pairs: 3 * hidden_size / 2 or inter
override EPILOGUE: u32;   // 0 qkv with optional RoPE, 1 SwiGLU
override HEAD_DIM: u32 = 64u;
override HIDDEN: u32 = 0u; // hidden_size; q and k heads are the first 2 * HIDDEN columns
override ROPE: bool = false;
override WORKGROUP: u32 = 64u;

const ROWS: u32 = 8u;
const TILE_K: u32 = 32u;

@group(0) @binding(0) var<storage, read> x: array<f32>;          // [M, K]
@group(0) @binding(1) var<storage, read> w: array<u32>;          // [2 * PAIRS, K], f32 or packed bf16
@group(0) @binding(2) var<storage, read_write> y: array<f32>;    // see above
@group(0) @binding(3) var<storage, read> rope: array<vec2<f32>>; // [M, HEAD_DIM / 2] (cos, sin)

var<workgroup> x_tile: array<f32, 256>; // [ROWS][TILE_K]

// Output columns (a, b) of pair j.
fn pair_columns(j: u32) -> vec2<u32> {
  if (EPILOGUE == 0u) {
    let half = HEAD_DIM / 2u;
    let a = (j / half) * HEAD_DIM + j % half;
    return vec2<u32>(a, a + half);
  }
  return vec2<u32>(j, PAIRS + j);
}

fn load_weight(column: u32, k: u32) -> f32 {
  let index = column * K + k;
  return decode_weight(w[weight_word(index)], index);
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

@compute @workgroup_size(WORKGROUP)
fn main(
  @builtin(workgroup_id) group: vec3<u32>,
  @builtin(local_invocation_index) tid: u32,
) {
  let row0 = group.y * ROWS;
  let pair = group.x * WORKGROUP + tid;
  let has_pair = pair < PAIRS;
  let columns = pair_columns(min(pair, PAIRS - 1u));

  var acc_a: array<f32, ROWS>;
  var acc_b: array<f32, ROWS>;
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

    if (has_pair) {
      let k_end = min(TILE_K, K - k0);
      for (var kk = 0u; kk < k_end; kk++) {
        let wa = load_weight(columns.x, k0 + kk);
        let wb = load_weight(columns.y, k0 + kk);
        for (var r = 0u; r < ROWS; r++) {
          let xv = x_tile[r * TILE_K + kk];
          acc_a[r] += xv * wa;
          acc_b[r] += xv * wb;
        }
      }
    }
    workgroupBarrier();
  }

  if (!has_pair) {
    return;
  }
  for (var r = 0u; r < ROWS; r++) {
    let row = row0 + r;
    if (row < M) {
      store_pair(row, pair, acc_a[r], acc_b[r]);
    }
  }
}
