// Output heads on z_H [POSITIONS, HIDDEN]:
//   lm_head per output position p (z_H row PUZZLE_LEN + p): logits [SEQ_LEN, VOCAB], the argmax,
//   its softmax probability and the entropy of the softmax in nats;
//   q_head on z_H row 0: (q_halt, q_continue) = z_H[0] · W_qᵀ + b_q.
// One invocation per output position; invocation 0 also computes the Q head.
// Readout layout, f32 words: [2] q_halt, [3] q_continue, then prediction (i32 bits), confidence
// and entropy, SEQ_LEN words each from word 4. Words 0 and 1 belong to state-update.wgsl.

override SEQ_LEN: u32;
override HIDDEN: u32;
override VOCAB: u32;
override PUZZLE_LEN: u32;
override WORKGROUP: u32 = 64u;

@group(0) @binding(0) var<storage, read> z_H: array<f32>;
@group(0) @binding(1) var<storage, read> lm_head: array<f32>;      // [VOCAB, HIDDEN]
@group(0) @binding(2) var<storage, read> q_head: array<f32>;       // [2, HIDDEN] weight, then [2] bias
@group(0) @binding(3) var<storage, read_write> logits: array<f32>; // [SEQ_LEN, VOCAB]
@group(0) @binding(4) var<storage, read_write> readout: array<u32>;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let p = id.x;
  if (p == 0u) {
    for (var k = 0u; k < 2u; k++) {
      var s = 0.0;
      for (var c = 0u; c < HIDDEN; c++) {
        s += z_H[c] * q_head[k * HIDDEN + c];
      }
      readout[2u + k] = bitcast<u32>(act(s + q_head[2u * HIDDEN + k]));
    }
  }
  if (p >= SEQ_LEN) {
    return;
  }

  let row = (p + PUZZLE_LEN) * HIDDEN;
  var best = 0u;
  var best_logit = -3.0e38;
  for (var v = 0u; v < VOCAB; v++) {
    var s = 0.0;
    for (var c = 0u; c < HIDDEN; c++) {
      s += z_H[row + c] * lm_head[v * HIDDEN + c];
    }
    let logit = act(s);
    logits[p * VOCAB + v] = logit;
    // Strict comparison keeps the first maximum, as torch.argmax does.
    if (logit > best_logit) {
      best_logit = logit;
      best = v;
    }
  }

  // softmax p_v = exp(l_v - max) / sum; entropy = log(sum) - Σ p_v (l_v - max).
  var sum = 0.0;
  var weighted = 0.0;
  for (var v = 0u; v < VOCAB; v++) {
    let shifted = logits[p * VOCAB + v] - best_logit;
    let e = exp(shifted);
    sum += e;
    weighted += e * shifted;
  }
  readout[4u + p] = best;
  readout[4u + SEQ_LEN + p] = bitcast<u32>(1.0 / sum);
  readout[4u + 2u * SEQ_LEN + p] = bitcast<u32>(log(sum) - weighted / sum);
}
