// The post-norm transformer block and the reasoning module (H or L) built from it.

import {
  type AttentionScratch,
  type AttentionShape,
  type AttentionWeights,
  attention,
  createAttentionScratch,
} from './attention';
import type { Precision } from './precision';
import { rmsNorm } from './rms-norm';
import type { RopeTables } from './rope';
import { createSwigluScratch, type SwigluScratch, type SwigluWeights, swiglu } from './swiglu';

export interface BlockWeights {
  attention: AttentionWeights;
  mlp: SwigluWeights;
}

export interface BlockShape extends AttentionShape {
  inter: number;
  rms_norm_eps: number;
}

/** Scratch buffers shared by every block of a model (blocks run one at a time). */
export interface BlockScratch {
  attention: AttentionScratch;
  mlp: SwigluScratch;
  sublayerOut: Float32Array; // [positions, hidden_size]
}

export function createBlockScratch(shape: BlockShape): BlockScratch {
  return {
    attention: createAttentionScratch(shape),
    mlp: createSwigluScratch(shape.positions, shape.inter),
    sublayerOut: new Float32Array(shape.positions * shape.num_heads * shape.head_dim),
  };
}

/**
 * Runs one block on x[positions, hidden_size] in place:
 *   x = rms_norm(x + attention(x))
 *   x = rms_norm(x + mlp(x))
 * In bfloat16 mode each residual sum is rounded to bfloat16 before the norm widens it to
 * float32, because the authors add two bfloat16 tensors there.
 */
export function runBlock(
  x: Float32Array,
  weights: BlockWeights,
  shape: BlockShape,
  rope: RopeTables | null,
  scratch: BlockScratch,
  precision: Precision,
): void {
  const hidden_size = shape.num_heads * shape.head_dim;
  const size = shape.positions * hidden_size;
  const sublayerOut = scratch.sublayerOut;

  attention(x, weights.attention, shape, rope, scratch.attention, sublayerOut, precision);
  addInPlace(x, sublayerOut, size, precision);
  rmsNorm(x, shape.positions, hidden_size, shape.rms_norm_eps, precision);

  swiglu(x, shape.positions, weights.mlp, scratch.mlp, sublayerOut, precision);
  addInPlace(x, sublayerOut, size, precision);
  rmsNorm(x, shape.positions, hidden_size, shape.rms_norm_eps, precision);
}

/**
 * Runs a reasoning module: out = blocks(z + injection), each [positions, hidden_size]. The sum
 * z + injection is a bfloat16 addition in bfloat16 mode. `out` may be neither z nor injection.
 */
export function runReasoningModule(
  z: Float32Array,
  injection: Float32Array,
  out: Float32Array,
  layers: BlockWeights[],
  shape: BlockShape,
  rope: RopeTables | null,
  scratch: BlockScratch,
  precision: Precision,
): void {
  const size = shape.positions * shape.num_heads * shape.head_dim;
  for (let i = 0; i < size; i++) {
    out[i] = z[i] + injection[i];
  }
  precision.round(out, 0, size);

  for (const layer of layers) {
    runBlock(out, layer, shape, rope, scratch, precision);
  }
}

/** x += y elementwise over the first `size` values, rounded to the activation dtype. */
export function addInPlace(x: Float32Array, y: Float32Array, size: number, precision: Precision) {
  for (let i = 0; i < size; i++) {
    x[i] += y[i];
  }
  precision.round(x, 0, size);
}
