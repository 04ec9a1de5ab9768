// Rotary position embedding (RoPE) with the rotate_half layout: head_dim splits into two halves
// [a, b], rotate_half([a, b]) = [-b, a], and x' = x * cos + rotate_half(x) * sin.

import type { Precision } from './precision';

/** cos and sin tables, each [positions, head_dim], in float32 like the authors' cached buffers. */
export interface RopeTables {
  cos: Float32Array;
  sin: Float32Array;
  positions: number;
  head_dim: number;
}

/**
 * Builds the tables. For index i < head_dim / 2, freq_i = 1 / rope_theta^(2i / head_dim), and
 * both index i and index i + head_dim / 2 use the angle position * freq_i. Each intermediate is
 * rounded to float32 as PyTorch computes it in float32.
 */
export function buildRopeTables(
  positions: number,
  head_dim: number,
  rope_theta: number,
): RopeTables {
  if (head_dim % 2 !== 0) {
    throw new Error(`invalid head_dim for RoPE: ${head_dim} (RoPE needs an even head_dim)`);
  }
  const half = head_dim / 2;

  const inverseFrequency = new Float32Array(half); // [head_dim / 2]
  for (let i = 0; i < half; i++) {
    const exponent = Math.fround((2 * i) / head_dim);
    inverseFrequency[i] = 1 / Math.fround(rope_theta ** exponent);
  }

  const cos = new Float32Array(positions * head_dim); // [positions, head_dim]
  const sin = new Float32Array(positions * head_dim); // [positions, head_dim]
  for (let position = 0; position < positions; position++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(position * inverseFrequency[i]);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      const row = position * head_dim;
      cos[row + i] = c;
      cos[row + half + i] = c;
      sin[row + i] = s;
      sin[row + half + i] = s;
    }
  }

  return { cos, sin, positions, head_dim };
}

/**
 * Rotates `num_heads` heads in place. Head h of position p starts at
 * p * rowStride + offset + h * head_dim, so queries and keys can be rotated inside the fused qkv
 * buffer. Computed in float32 and rounded back to the activation dtype, as the authors do.
 */
export function applyRope(
  x: Float32Array,
  rowStride: number,
  offset: number,
  num_heads: number,
  tables: RopeTables,
  precision: Precision,
): void {
  const { cos, sin, positions, head_dim } = tables;
  const half = head_dim / 2;

  for (let position = 0; position < positions; position++) {
    const tableRow = position * head_dim;
    for (let head = 0; head < num_heads; head++) {
      const start = position * rowStride + offset + head * head_dim;
      for (let i = 0; i < half; i++) {
        const a = x[start + i];
        const b = x[start + half + i];
        const rotatedLow = Math.fround(a * cos[tableRow + i]) + Math.fround(-b * sin[tableRow + i]);
        const rotatedHigh =
          Math.fround(b * cos[tableRow + half + i]) + Math.fround(a * sin[tableRow + half + i]);
        x[start + i] = rotatedLow;
        x[start + half + i] = rotatedHigh;
      }
      precision.round(x, start, start + head_dim);
    }
  }
}
