// Input embedding e [POSITIONS, HIDDEN]: PUZZLE_LEN puzzle-embedding positions, then one token
// embedding row per input token; with learned positions e = POSITION_SCALE * (e + pos); finally
// e = SCALE * e. One invocation per element. The TS wrapper passes SCALE = sqrt(hidden_size) and
// POSITION_SCALE = 0.707106781 already rounded to the activation dtype, because PyTorch casts a
// Python float multiplier to the tensor's dtype. In bfloat16 mode the tables hold bfloat16
// values already, and each sum and product is rounded.

override POSITIONS: u32;
override HIDDEN: u32;
override PUZZLE_LEN: u32;
override VOCAB: u32;
override SCALE: f32;
override POSITION_SCALE: f32 = 0.707106781;
override LEARNED_POSITIONS: bool = false;
override WORKGROUP: u32 = 256u;

@group(0) @binding(0) var<storage, read> tokens: array<u32>;      // [POSITIONS - PUZZLE_LEN]
@group(0) @binding(1) var<storage, read> embed_tokens: array<f32>; // [VOCAB, HIDDEN]
@group(0) @binding(2) var<storage, read> puzzle: array<f32>;       // [PUZZLE_LEN * HIDDEN], zero-padded row
@group(0) @binding(3) var<storage, read> embed_pos: array<f32>;    // [POSITIONS, HIDDEN] when learned
@group(0) @binding(4) var<storage, read_write> e: array<f32>;      // [POSITIONS, HIDDEN]

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x;
  if (i >= POSITIONS * HIDDEN) {
    return;
  }
  let position = i / HIDDEN;
  let column = i % HIDDEN;

  var v = 0.0;
  if (position < PUZZLE_LEN) {
    v = puzzle[i];
  } else {
    // The TS wrapper rejects out-of-range token ids, so min() only guards memory.
    let token = min(tokens[position - PUZZLE_LEN], VOCAB - 1u);
    v = embed_tokens[token * HIDDEN + column];
  }
  if (LEARNED_POSITIONS) {
    v = act(POSITION_SCALE * act(v + embed_pos[i]));
  }
  e[i] = act(SCALE * v);
}
