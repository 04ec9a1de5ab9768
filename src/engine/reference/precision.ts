// Numeric modes of the reference engine. Activations live in Float32Arrays, so every store rounds
// to float32. The bfloat16 mode also rounds to bfloat16 (round to nearest, ties to even) at the
// points where the authors' PyTorch forward pass, run with forward_dtype bfloat16, produces a
// bfloat16 tensor. Those points are listed beside each op in this folder.

import type { NumericMode } from '../types';

/** Rounding rules for one numeric mode. */
export interface Precision {
  readonly mode: NumericMode;
  /** Rounds values[start..end) to the activation dtype in place (no-op in float32 mode). */
  round(values: Float32Array, start?: number, end?: number): void;
  /**
   * A Python float multiplier as PyTorch applies it to an activation tensor: cast to the
   * tensor's dtype first. NOTE: that cast is what PyTorch 1.13 on the CPU does for bfloat16
   * tensors (the golden fixtures come from it). PyTorch 2.x on CUDA keeps the multiplier in
   * float32, so its results can differ from ours by one bfloat16 ulp where a multiplier is not
   * representable in bfloat16 (e.g. sqrt(hidden_size) for hidden_size 128).
   */
  scalar(value: number): number;
  /** SiLU of one activation value, rounded as the PyTorch bfloat16 or float32 kernel rounds. */
  silu(value: number): number;
}

const scratchFloat = new Float32Array(1);
const scratchBits = new Uint32Array(scratchFloat.buffer);

function roundBitsToBfloat16(bits: number): number {
  // NaN keeps its sign and becomes a quiet NaN; rounding its payload could turn it into Inf.
  if ((bits & 0x7fffffff) > 0x7f800000) {
    return ((bits & 0x80000000) | 0x7fc00000) >>> 0;
  }
  const lsb = (bits >>> 16) & 1;
  return ((bits + 0x7fff + lsb) & 0xffff0000) >>> 0;
}

/** Rounds a number to the nearest bfloat16 value (ties to even), through float32. */
export function roundToBfloat16(value: number): number {
  scratchFloat[0] = value;
  scratchBits[0] = roundBitsToBfloat16(scratchBits[0]);
  return scratchFloat[0];
}

/** Rounds values[start..end) to bfloat16 in place. */
export function roundArrayToBfloat16(
  values: Float32Array,
  start = 0,
  end: number = values.length,
): void {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = start; i < end; i++) {
    bits[i] = roundBitsToBfloat16(bits[i]);
  }
}

const float32Precision: Precision = {
  mode: 'float32',
  round: () => {},
  scalar: Math.fround,
  silu: (value) => Math.fround(value / Math.fround(1 + Math.fround(Math.exp(-value)))),
};

const bfloat16Precision: Precision = {
  mode: 'bfloat16',
  round: roundArrayToBfloat16,
  scalar: roundToBfloat16,
  // PyTorch 1.13's CPU kernel evaluates x / (1 + exp(-x)) with bfloat16 vector ops, rounding
  // exp(-x) and the denominator before the division (checked against torch 1.13 on 100k values).
  // NOTE: CUDA computes SiLU in float32 and rounds once, which can differ by one ulp.
  silu: (value) => {
    const denominator = roundToBfloat16(1 + roundToBfloat16(Math.exp(-value)));
    return roundToBfloat16(value / denominator);
  },
};

/** Returns the rounding rules of a numeric mode. */
export function precisionFor(mode: NumericMode): Precision {
  if (mode === 'float32') return float32Precision;
  if (mode === 'bfloat16') return bfloat16Precision;
  throw new Error(`invalid numeric mode: ${String(mode)} (expected 'float32' or 'bfloat16')`);
}
