// RMSNorm without a learned scale: v / sqrt(mean(v²) + eps) over the hidden axis.

import type { Precision } from './precision';

/**
 * Normalizes each of `rows` rows of x[rows, hidden_size] in place.
 *
 * The authors widen the input to float32, normalize in float32 and cast back to the activation
 * dtype, so in bfloat16 mode the only rounding to bfloat16 is the final one.
 */
export function rmsNorm(
  x: Float32Array,
  rows: number,
  hidden_size: number,
  eps: number,
  precision: Precision,
): void {
  for (let row = 0; row < rows; row++) {
    const start = row * hidden_size;

    let sumSquares = 0;
    for (let i = 0; i < hidden_size; i++) {
      const v = x[start + i];
      sumSquares += v * v;
    }
    const variance = Math.fround(sumSquares / hidden_size);
    const inverseRms = Math.fround(1 / Math.sqrt(Math.fround(variance + eps)));

    for (let i = 0; i < hidden_size; i++) {
      x[start + i] = x[start + i] * inverseRms;
    }
  }

  precision.round(x, 0, rows * hidden_size);
}
