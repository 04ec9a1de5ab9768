// Output heads: lm_head on z_H without the puzzle prefix, and the Q head on z_H[0].

import { type LinearWeight, linear } from './linear';
import type { Precision } from './precision';

/** Per-cell readout of one decode, each [seq_len]. */
export interface Decoded {
  prediction: Int32Array;
  confidence: Float32Array;
  entropy: Float32Array;
}

/**
 * Computes logits[seq_len, vocab_size] = z_H[puzzle_emb_len:] · W_lmᵀ (rounded to the activation
 * dtype, like the authors' logits) into `logits`.
 */
export function computeLogits(
  z_H: Float32Array,
  puzzle_emb_len: number,
  seq_len: number,
  lmHead: LinearWeight,
  logits: Float32Array,
  precision: Precision,
): void {
  const hidden_size = lmHead.inFeatures;
  const cells = z_H.subarray(
    puzzle_emb_len * hidden_size,
    (puzzle_emb_len + seq_len) * hidden_size,
  );
  linear(cells, seq_len, lmHead, logits, precision);
}

/**
 * Decodes logits[seq_len, vocab_size]: prediction = argmax (the first index on ties, as
 * torch.argmax), confidence = the top softmax probability, entropy = −Σ p ln p in nats.
 */
export function decodeLogits(logits: Float32Array, seq_len: number, vocab_size: number): Decoded {
  const prediction = new Int32Array(seq_len);
  const confidence = new Float32Array(seq_len);
  const entropy = new Float32Array(seq_len);

  for (let cell = 0; cell < seq_len; cell++) {
    const row = cell * vocab_size;

    let best = 0;
    for (let token = 1; token < vocab_size; token++) {
      if (logits[row + token] > logits[row + best]) best = token;
    }
    const max = logits[row + best];

    // With s_t = logit_t − max: p_t = exp(s_t) / Z and −Σ p ln p = ln Z − Σ p_t s_t.
    let partition = 0;
    let weightedShift = 0;
    for (let token = 0; token < vocab_size; token++) {
      const shifted = logits[row + token] - max;
      const weight = Math.exp(shifted);
      partition += weight;
      weightedShift += weight * shifted;
    }

    prediction[cell] = best;
    confidence[cell] = 1 / partition;
    entropy[cell] = Math.log(partition) - weightedShift / partition;
  }

  return { prediction, confidence, entropy };
}

/**
 * Computes [q_halt, q_continue] = z_H[0] · W_qᵀ + b_q, rounded to the activation dtype before
 * the authors widen it to float32.
 */
export function computeQ(
  z_H: Float32Array,
  qHead: LinearWeight,
  precision: Precision,
): { halt: number; continue: number } {
  const q = new Float32Array(2);
  linear(z_H.subarray(0, qHead.inFeatures), 1, qHead, q, precision);
  return { halt: q[0], continue: q[1] };
}
