// Register-tiled product shared by matmul-pairs.wgsl and matmul-residual-norm.wgsl, prepended
// to both by their TS wrappers. One invocation computes a tile of x · Wᵀ: TILE_ROWS rows of x
// against TILE_COLUMNS rows of W, whichever rows of W its kernel names.
//
// Why this shape: on SwiftShader (WebGPU on the CPU) every storage load is a gather across the
// lanes of a SIMD group and a workgroup barrier suspends every invocation, so the tile keeps its
// 32 sums in registers, never stages data in workgroup memory, and reads x and W with vec4 loads:
// 12 loads per 128 multiply-adds with float32 weights, 8 with packed bfloat16 ones. On discrete
// GPUs the same tile gives each invocation enough independent sums to hide load latency.
//
// The kernel that prepends this file declares the views it reads, all at bindings 0 and 1:
//   x_vec [M, K / 4] vec4<f32> and w_vec [N, K / 4 or K / 8] vec4<u32> for the `main` entry
//   point (needs tile_aligned(K)); x_scalar [M, K] f32 and w_words (f32 words or packed
//   bfloat16) for `main_unaligned`, which takes any K.

const TILE_ROWS: u32 = 4u;
const TILE_COLUMNS: u32 = 8u;

// Row r of the tile: columns 0-3 in `lo`, 4-7 in `hi`.
struct TileRow {
  lo: vec4<f32>,
  hi: vec4<f32>,
}

struct Tile {
  r0: TileRow,
  r1: TileRow,
  r2: TileRow,
  r3: TileRow,
}

// The weight rows one tile reads, split like the columns of a TileRow.
struct TileColumns {
  lo: vec4<u32>,
  hi: vec4<u32>,
}

// Whether the vec4 views can read rows of width `k`: each row must start on a vec4 boundary of
// both x and the packed weights.
fn tile_aligned(k: u32) -> bool {
  return k % select(4u, 8u, WEIGHT_BF16) == 0u;
}

fn dots(v: vec4<f32>, c0: vec4<f32>, c1: vec4<f32>, c2: vec4<f32>, c3: vec4<f32>) -> vec4<f32> {
  return vec4<f32>(dot(v, c0), dot(v, c1), dot(v, c2), dot(v, c3));
}

fn add_row(acc: TileRow, v: vec4<f32>, w: array<vec4<f32>, 8>) -> TileRow {
  return TileRow(
    acc.lo + dots(v, w[0], w[1], w[2], w[3]),
    acc.hi + dots(v, w[4], w[5], w[6], w[7]),
  );
}

// Eight weight rows at vec4 word `k_word` of each, as f32 values. Packed bfloat16 words hold
// elements 2i (low half) and 2i + 1 (high half), so one vec4<u32> holds 8 elements: `even`
// gets elements 0, 2, 4, 6 and `odd` elements 1, 3, 5, 7 of that stretch of K.
struct WeightSlice {
  even: array<vec4<f32>, 8>,
  odd: array<vec4<f32>, 8>,
}

fn even_values(word: vec4<u32>) -> vec4<f32> {
  if (WEIGHT_BF16) {
    return bitcast<vec4<f32>>(word << vec4<u32>(16u));
  }
  return bitcast<vec4<f32>>(word);
}

fn odd_values(word: vec4<u32>) -> vec4<f32> {
  return bitcast<vec4<f32>>(word & vec4<u32>(0xffff0000u));
}

// Written out for each of the 8 rows: a loop over a private array would keep the array in
// memory on SwiftShader instead of in registers.
fn weight_slice(columns: TileColumns, words_per_row: u32, kw: u32) -> WeightSlice {
  let w0 = w_vec[columns.lo.x * words_per_row + kw];
  let w1 = w_vec[columns.lo.y * words_per_row + kw];
  let w2 = w_vec[columns.lo.z * words_per_row + kw];
  let w3 = w_vec[columns.lo.w * words_per_row + kw];
  let w4 = w_vec[columns.hi.x * words_per_row + kw];
  let w5 = w_vec[columns.hi.y * words_per_row + kw];
  let w6 = w_vec[columns.hi.z * words_per_row + kw];
  let w7 = w_vec[columns.hi.w * words_per_row + kw];
  var slice: WeightSlice;
  slice.even = array<vec4<f32>, 8>(
    even_values(w0), even_values(w1), even_values(w2), even_values(w3),
    even_values(w4), even_values(w5), even_values(w6), even_values(w7),
  );
  if (WEIGHT_BF16) {
    slice.odd = array<vec4<f32>, 8>(
      odd_values(w0), odd_values(w1), odd_values(w2), odd_values(w3),
      odd_values(w4), odd_values(w5), odd_values(w6), odd_values(w7),
    );
  }
  return slice;
}

// Sums over K with vec4 loads: x rows `rows` (clamped row indices) against weight rows `columns`.
fn tile_product_vec4(rows: vec4<u32>, columns: TileColumns) -> Tile {
  var tile: Tile;
  let x_per_row = K / 4u;
  if (WEIGHT_BF16) {
    let words_per_row = K / 8u;
    for (var kw = 0u; kw < words_per_row; kw++) {
      let w = weight_slice(columns, words_per_row, kw);
      // x elements k..k+7 regrouped into the same even/odd order as the weights.
      let a0 = x_vec[rows.x * x_per_row + 2u * kw];
      let b0 = x_vec[rows.x * x_per_row + 2u * kw + 1u];
      tile.r0 = add_row(add_row(tile.r0, vec4(a0.xz, b0.xz), w.even), vec4(a0.yw, b0.yw), w.odd);
      let a1 = x_vec[rows.y * x_per_row + 2u * kw];
      let b1 = x_vec[rows.y * x_per_row + 2u * kw + 1u];
      tile.r1 = add_row(add_row(tile.r1, vec4(a1.xz, b1.xz), w.even), vec4(a1.yw, b1.yw), w.odd);
      let a2 = x_vec[rows.z * x_per_row + 2u * kw];
      let b2 = x_vec[rows.z * x_per_row + 2u * kw + 1u];
      tile.r2 = add_row(add_row(tile.r2, vec4(a2.xz, b2.xz), w.even), vec4(a2.yw, b2.yw), w.odd);
      let a3 = x_vec[rows.w * x_per_row + 2u * kw];
      let b3 = x_vec[rows.w * x_per_row + 2u * kw + 1u];
      tile.r3 = add_row(add_row(tile.r3, vec4(a3.xz, b3.xz), w.even), vec4(a3.yw, b3.yw), w.odd);
    }
    return tile;
  }

  for (var kw = 0u; kw < x_per_row; kw++) {
    let w = weight_slice(columns, x_per_row, kw).even;
    tile.r0 = add_row(tile.r0, x_vec[rows.x * x_per_row + kw], w);
    tile.r1 = add_row(tile.r1, x_vec[rows.y * x_per_row + kw], w);
    tile.r2 = add_row(tile.r2, x_vec[rows.z * x_per_row + kw], w);
    tile.r3 = add_row(tile.r3, x_vec[rows.w * x_per_row + kw], w);
  }
  return tile;
}

// The same sums with scalar loads, for widths the vec4 views cannot read.
fn tile_product_scalar(rows: vec4<u32>, columns: TileColumns) -> Tile {
  var tile: Tile;
  for (var k = 0u; k < K; k++) {
    var w: array<f32, 8>;
    let weight_rows = array<u32, 8>(
      columns.lo.x, columns.lo.y, columns.lo.z, columns.lo.w,
      columns.hi.x, columns.hi.y, columns.hi.z, columns.hi.w,
    );
    for (var c = 0u; c < 8u; c++) {
      let index = weight_rows[c] * K + k;
      w[c] = decode_weight(w_words[weight_word(index)], index);
    }
    let lo = vec4<f32>(w[0], w[1], w[2], w[3]);
    let hi = vec4<f32>(w[4], w[5], w[6], w[7]);
    let x0 = x_scalar[rows.x * K + k];
    let x1 = x_scalar[rows.y * K + k];
    let x2 = x_scalar[rows.z * K + k];
    let x3 = x_scalar[rows.w * K + k];
    tile.r0 = TileRow(tile.r0.lo + x0 * lo, tile.r0.hi + x0 * hi);
    tile.r1 = TileRow(tile.r1.lo + x1 * lo, tile.r1.hi + x1 * hi);
    tile.r2 = TileRow(tile.r2.lo + x2 * lo, tile.r2.hi + x2 * hi);
    tile.r3 = TileRow(tile.r3.lo + x3 * lo, tile.r3.hi + x3 * hi);
  }
  return tile;
}

fn tile_row(tile: Tile, r: u32) -> TileRow {
  switch r {
    case 0u: { return tile.r0; }
    case 1u: { return tile.r1; }
    case 2u: { return tile.r2; }
    default: { return tile.r3; }
  }
}
