// Input embedding: token rows, the puzzle-embedding prefix, learned positions, and the scale.

import type { ReferenceParameters } from './parameters';
import type { Precision } from './precision';

/**
 * 1/sqrt(2). The authors write 0.707106781, which has the same float32 and bfloat16 values, the
 * only precisions it is used at.
 */
const LEARNED_POSITION_SCALE = Math.SQRT1_2;

/**
 * Writes e[positions, hidden_size] for one puzzle:
 *   rows 0..puzzle_emb_len-1   puzzle_emb[puzzleIdentifier], zero-padded to puzzle_emb_len rows
 *   the remaining seq_len rows embed_tokens[inputs[i]]
 *   learned positions:         e = 0.707106781 * (e + embed_pos)   (bfloat16 sum, then product)
 *   always:                    e = sqrt(hidden_size) * e            (rounded)
 * The Python float multipliers are cast like the authors' tensors cast them (see Precision.scalar).
 * Callers validate inputs and puzzleIdentifier.
 */
export function computeInputEmbedding(
  parameters: ReferenceParameters,
  inputs: Int32Array,
  puzzleIdentifier: number,
  e: Float32Array,
  precision: Precision,
): void {
  const { config, dims } = parameters;
  const { hidden_size } = config;
  const prefixSize = dims.puzzle_emb_len * hidden_size;

  e.fill(0, 0, prefixSize);
  if (parameters.puzzleEmbedding !== null) {
    const ndim = config.puzzle_emb_ndim;
    const row = parameters.puzzleEmbedding.subarray(
      puzzleIdentifier * ndim,
      (puzzleIdentifier + 1) * ndim,
    );
    e.set(row, 0);
  }

  for (let i = 0; i < config.seq_len; i++) {
    const token = inputs[i];
    const source = parameters.embedTokens.subarray(token * hidden_size, (token + 1) * hidden_size);
    e.set(source, prefixSize + i * hidden_size);
  }

  const size = dims.positions * hidden_size;
  if (parameters.embedPositions !== null) {
    const positionScale = precision.scalar(LEARNED_POSITION_SCALE);
    for (let i = 0; i < size; i++) {
      e[i] += parameters.embedPositions[i];
    }
    precision.round(e, 0, size);
    for (let i = 0; i < size; i++) {
      e[i] *= positionScale;
    }
    precision.round(e, 0, size);
  }

  const embedScale = precision.scalar(Math.sqrt(hidden_size));
  for (let i = 0; i < size; i++) {
    e[i] *= embedScale;
  }
  precision.round(e, 0, size);
}
