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
