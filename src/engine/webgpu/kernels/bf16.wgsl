// Shared helpers, prepended to every kernel by src/engine/webgpu/ops/pipeline.ts.
//
// Activations always live in f32 buffers. In bfloat16 mode (override BF16 = true) each kernel
// rounds its results to the nearest bfloat16 value, ties to even, at the points where the
// authors' bfloat16 PyTorch forward pass stores a bfloat16 tensor.

override BF16: bool = false;

fn round_bf16(x: f32) -> f32 {
  let bits = bitcast<u32>(x);
  let rounded = bits + 0x7fffu + ((bits >> 16u) & 1u);
  return bitcast<f32>(rounded & 0xffff0000u);
}

// Rounds only in bfloat16 mode.
fn act(x: f32) -> f32 {
  if (BF16) {
    return round_bf16(x);
  }
  return x;
}

// Weight element `index` of a row-major matrix stored either as f32 words or as bfloat16
// packed two per u32 (element 2i in the low half, 2i + 1 in the high half).
override WEIGHT_BF16: bool = false;

fn weight_word(index: u32) -> u32 {
  return select(index, index >> 1u, WEIGHT_BF16);
}

// Decodes element `index` from the word that weight_word(index) named.
fn decode_weight(word: u32, index: u32) -> f32 {
  if (WEIGHT_BF16) {
    return bitcast<f32>(select(word << 16u, word & 0xffff0000u, (index & 1u) == 1u));
  }
  return bitcast<f32>(word);
}

// act() on each component.
fn act4(v: vec4<f32>) -> vec4<f32> {
  return vec4<f32>(act(v.x), act(v.y), act(v.z), act(v.w));
}
