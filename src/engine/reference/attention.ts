// Non-causal multi-head self-attention with a fused qkv projection and optional RoPE.

import { type LinearWeight, linear } from './linear';
import type { Precision } from './precision';
import { applyRope, type RopeTables } from './rope';

export interface AttentionWeights {
  /** [3 * hidden_size, hidden_size]: all query heads, then all key heads, then all value heads. */
  qkv: LinearWeight;
  /** [hidden_size, hidden_size] */
  out: LinearWeight;
}

export interface AttentionShape {
  positions: number;
  num_heads: number;
  head_dim: number;
}

/** Scratch buffers for one call. */
export interface AttentionScratch {
  qkv: Float32Array; // [positions, 3 * hidden_size]
  scores: Float32Array; // [positions, positions], one head at a time
  heads: Float32Array; // [positions, hidden_size], head h in columns h * head_dim ..
  accumulator: Float64Array; // [head_dim]
  exponentials: Float64Array; // [positions], one softmax row
}

export function createAttentionScratch(shape: AttentionShape): AttentionScratch {
  const hidden_size = shape.num_heads * shape.head_dim;
  return {
    qkv: new Float32Array(shape.positions * 3 * hidden_size),
    scores: new Float32Array(shape.positions * shape.positions),
    heads: new Float32Array(shape.positions * hidden_size),
    accumulator: new Float64Array(shape.head_dim),
    exponentials: new Float64Array(shape.positions),
  };
}

/**
 * Computes out[positions, hidden_size] = attention(x[positions, hidden_size]); `rope` is null for
 * learned positions. The steps and their bfloat16 roundings follow the authors' plain-PyTorch
 * attention (the path taken without FlashAttention):
 *   qkv = x · W_qkvᵀ                    rounded
 *   RoPE on q and k in float32          rounded
 *   s = q · kᵀ                          rounded
 *   s = s * head_dim^-0.5               rounded (the multiplier is cast like any Python float)
 *   p = softmax(s) in float32           rounded
 *   o = p · v                           rounded
 *   out = o · W_oᵀ                      rounded
 * NOTE: FlashAttention, which the authors trained with on CUDA, keeps s in float32 until the
 * softmax, so its results can differ from these by about one bfloat16 ulp.
 */
export function attention(
  x: Float32Array,
  weights: AttentionWeights,
  shape: AttentionShape,
  rope: RopeTables | null,
  scratch: AttentionScratch,
  out: Float32Array,
  precision: Precision,
): void {
  const { positions, num_heads, head_dim } = shape;
  const hidden_size = num_heads * head_dim;
  const qkvStride = 3 * hidden_size;
  const { qkv, scores, heads, accumulator, exponentials } = scratch;

  linear(x, positions, weights.qkv, qkv, precision);

  if (rope !== null) {
    applyRope(qkv, qkvStride, 0, num_heads, rope, precision); // queries
    applyRope(qkv, qkvStride, hidden_size, num_heads, rope, precision); // keys
  }

  const scale = precision.scalar(head_dim ** -0.5);

  for (let head = 0; head < num_heads; head++) {
    const queryOffset = head * head_dim;
    const keyOffset = hidden_size + head * head_dim;
    const valueOffset = 2 * hidden_size + head * head_dim;

    // scores[i, j] = (q_i · k_j) * scale, then a softmax over j.
    for (let i = 0; i < positions; i++) {
      const query = i * qkvStride + queryOffset;
      const scoreRow = i * positions;
      for (let j = 0; j < positions; j++) {
        const key = j * qkvStride + keyOffset;
        let dot = 0;
        for (let d = 0; d < head_dim; d++) {
          dot += qkv[query + d] * qkv[key + d];
        }
        scores[scoreRow + j] = dot;
      }
      precision.round(scores, scoreRow, scoreRow + positions);
      for (let j = 0; j < positions; j++) {
        scores[scoreRow + j] *= scale;
      }
      precision.round(scores, scoreRow, scoreRow + positions);
      softmaxRow(scores, scoreRow, positions, exponentials);
      precision.round(scores, scoreRow, scoreRow + positions);
    }

    // heads[i, head] = Σ_j p[i, j] v_j, accumulated in float64 and rounded once.
    for (let i = 0; i < positions; i++) {
      accumulator.fill(0);
      const scoreRow = i * positions;
      for (let j = 0; j < positions; j++) {
        const p = scores[scoreRow + j];
        const value = j * qkvStride + valueOffset;
        for (let d = 0; d < head_dim; d++) {
          accumulator[d] += p * qkv[value + d];
        }
      }
      const target = i * hidden_size + queryOffset;
      for (let d = 0; d < head_dim; d++) {
        heads[target + d] = accumulator[d];
      }
    }
  }
  precision.round(heads, 0, positions * hidden_size);

  linear(heads, positions, weights.out, out, precision);
}

/** Softmax in place over values[start..start+length), in float64, stored as float32. */
function softmaxRow(
  values: Float32Array,
  start: number,
  length: number,
  exponentials: Float64Array,
): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < length; j++) {
    max = Math.max(max, values[start + j]);
  }

  let sum = 0;
  for (let j = 0; j < length; j++) {
    const exponential = Math.exp(values[start + j] - max);
    exponentials[j] = exponential;
    sum += exponential;
  }

  for (let j = 0; j < length; j++) {
    values[start + j] = exponentials[j] / sum;
  }
}
