export type DType = 'float32' | 'bfloat16' | 'float16' | 'int32' | 'int64' | 'uint8';

/**
 * A host tensor as read from a weight file. `data` holds the raw elements in the file's dtype:
 * Float32Array for float32, Uint16Array bit patterns for bfloat16 and float16, Int32Array for
 * int32, BigInt64Array for int64, Uint8Array for uint8. Row-major, contiguous.
 */
export interface HostTensor {
  dtype: DType;
  shape: number[];
  data: Float32Array | Uint16Array | Int32Array | BigInt64Array | Uint8Array;
}

/** Bytes per element of each dtype. */
export const DTYPE_BYTES: Readonly<Record<DType, number>> = {
  float32: 4,
  bfloat16: 2,
  float16: 2,
  int32: 4,
  int64: 8,
  uint8: 1,
};

/** Number of elements of a shape; 1 for a scalar (empty shape). */
export function numel(shape: readonly number[]): number {
  let count = 1;
  for (const size of shape) count *= size;
  return count;
}

/** Formats a shape the way error messages print it, e.g. `[11, 512]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Views `byteLength` bytes at `byteOffset` of `bytes` as the typed array of `dtype`. The view
 * shares memory with `bytes` when the offset is aligned to the element size, and is a copy
 * otherwise, because typed arrays cannot start at an unaligned offset. Assumes a little-endian
 * host, which every browser engine and Node.js platform is.
 */
export function viewAs(
  dtype: DType,
  bytes: Uint8Array,
  byteOffset: number,
  byteLength: number,
): HostTensor['data'] {
  const elementBytes = DTYPE_BYTES[dtype];
  const count = byteLength / elementBytes;
  let buffer: ArrayBufferLike = bytes.buffer;
  let start = bytes.byteOffset + byteOffset;
  if (start % elementBytes !== 0) {
    buffer = bytes.slice(byteOffset, byteOffset + byteLength).buffer;
    start = 0;
  }

  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer, start, count);
    case 'bfloat16':
    case 'float16':
      return new Uint16Array(buffer, start, count);
    case 'int32':
      return new Int32Array(buffer, start, count);
    case 'int64':
      return new BigInt64Array(buffer, start, count);
    case 'uint8':
      return new Uint8Array(buffer, start, count);
  }
}
