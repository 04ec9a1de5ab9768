// Conversions between the dtypes weight files store and the float32 values engines compute with.
// bfloat16 is the top half of a float32, so widening is a shift and narrowing is a rounding of
// the low 16 bits. Values are handled as raw bit patterns in Uint16Array.

import type { HostTensor } from './tensor';

/**
 * Returns the tensor's values as float32. bfloat16 and float16 are widened exactly, integer
 * dtypes are converted by value (int64 beyond 2^53 loses precision). A float32 tensor returns
 * its own `data` without a copy, so callers must not modify the result.
 */
export function toFloat32(tensor: HostTensor): Float32Array {
  const { dtype, data } = tensor;
  switch (dtype) {
    case 'float32':
      return data as Float32Array;
    case 'bfloat16':
      return bfloat16ToFloat32(data as Uint16Array);
    case 'float16':
      return float16ToFloat32(data as Uint16Array);
    case 'int64':
      return Float32Array.from(data as BigInt64Array, (value) => Number(value));
    case 'int32':
    case 'uint8':
      return Float32Array.from(data as Int32Array | Uint8Array);
  }
}

/** Widens bfloat16 bit patterns to float32 (exact). */
export function bfloat16ToFloat32(bits: Uint16Array): Float32Array {
  const words = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) words[i] = bits[i] << 16;
  return new Float32Array(words.buffer);
}

/**
 * Rounds float32 values to bfloat16 bit patterns, to nearest with ties to even, as PyTorch's
 * `tensor.to(torch.bfloat16)` does. Values too large round to ±Infinity, and NaN stays a quiet
 * NaN with its sign.
 */
export function float32ToBfloat16(values: Float32Array): Uint16Array {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const bits = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) bits[i] = roundWordToBfloat16(words[i]);
  return bits;
}

/**
 * Rounds float32 values to bfloat16 and packs them two per u32, element 2k in the low 16 bits
 * and element 2k+1 in the high 16 bits, so a shader reads element 2k as `word << 16` and element
 * 2k+1 as `word & 0xffff0000`. An odd count is padded with +0.
 */
export function packBfloat16Pairs(values: Float32Array): Uint32Array {
  const packed = new Uint32Array(Math.ceil(values.length / 2));
  const bits = float32ToBfloat16(values);
  for (let i = 0; i < packed.length; i++) {
    const low = bits[2 * i];
    const high = 2 * i + 1 < bits.length ? bits[2 * i + 1] : 0;
    packed[i] = (low | (high << 16)) >>> 0;
  }
  return packed;
}

/** Returns the bfloat16 bit pattern nearest to one float32 bit pattern (ties to even). */
function roundWordToBfloat16(word: number): number {
  const isNan = (word & 0x7f80_0000) === 0x7f80_0000 && (word & 0x007f_ffff) !== 0;
  if (isNan) return ((word >>> 16) | 0x0040) & 0xffff;

  // Adding 0x7fff rounds halfway cases down; the low bit of the kept half turns it into ties
  // to even. A carry out of the mantissa correctly bumps the exponent, up to Infinity.
  const lsb = (word >>> 16) & 1;
  return ((word + 0x7fff + lsb) >>> 16) & 0xffff;
}

/** Widens IEEE 754 half-precision bit patterns to float32 (exact, subnormals included). */
export function float16ToFloat32(bits: Uint16Array): Float32Array {
  const values = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const half = bits[i];
    const sign = half & 0x8000 ? -1 : 1;
    const exponent = (half >>> 10) & 0x1f;
    const mantissa = half & 0x03ff;
    if (exponent === 0) {
      values[i] = sign * mantissa * 2 ** -24;
    } else if (exponent === 0x1f) {
      values[i] = mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
    } else {
      values[i] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
    }
  }
  return values;
}
