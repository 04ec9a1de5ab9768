import type { GpuContext } from '../../gpu';
import shader from '../kernels/matmul-pairs.wgsl?raw';
import {
  buildOp,
  ceilDiv,
  type KernelOp,
  type NumericFlags,
  requirePositiveInteger,
  tileAligned,
} from './op';

/** Must match TILE_ROWS in tile.wgsl and PAIRS_PER_INVOCATION in matmul-pairs.wgsl. */
const TILE_ROWS = 4;
const PAIRS_PER_INVOCATION = 4;
const WORKGROUP = 64;

export interface MatmulPairsShape {
  /** 'qkv': qkv_proj with optional RoPE; 'swiglu': gate_up_proj followed by silu(gate) * up. */
  epilogue: 'qkv' | 'swiglu';
  /** Rows of x: positions. */
  rows: number;
  /** Columns of x and of W: hidden_size. */
  inputWidth: number;
  /** Output column pairs: 3 * hidden_size / 2 for qkv, inter for swiglu. */
  pairs: number;
  hidden_size: number;
  head_dim: number;
  rope: boolean;
}

/**
 * Builds the paired-column product. Bindings: x [rows, inputWidth], W [2 * pairs, inputWidth],
 * y, rope table [rows, head_dim / 2] of (cos, sin).
 */
export async function createMatmulPairsOp(
  gpu: GpuContext,
  shape: MatmulPairsShape,
  flags: NumericFlags,
): Promise<KernelOp> {
  const label = `matmul-pairs-${shape.epilogue}`;
  requirePositiveInteger(label, 'rows', shape.rows);
  requirePositiveInteger(label, 'inputWidth', shape.inputWidth);
  requirePositiveInteger(label, 'pairs', shape.pairs);
  requirePositiveInteger(label, 'head_dim', shape.head_dim);
  if (flags.weightsBf16 && shape.inputWidth % 2 !== 0) {
    throw new Error(
      `invalid inputWidth for packed bfloat16 weights: ${shape.inputWidth}; rows must pack two ` +
        'values per u32, so the width must be even. Use float32 weights for odd widths.',
    );
  }
  if (shape.epilogue === 'qkv') {
    if (shape.rope && shape.head_dim % 2 !== 0) {
      throw new Error(
        `invalid head_dim for RoPE pairs: ${shape.head_dim}; expected an even number`,
      );
    }
    if (shape.pairs * 2 !== 3 * shape.hidden_size) {
      throw new Error(
        `invalid pairs for qkv_proj: ${shape.pairs}; expected 3 * hidden_size / 2 = ${(3 * shape.hidden_size) / 2}. ` +
          'An odd hidden_size cannot be split into column pairs; run this model on the ort-wasm or reference backend.',
      );
    }
  }
  return buildOp(
    gpu,
    label,
    shader,
    {
      M: shape.rows,
      K: shape.inputWidth,
      PAIRS: shape.pairs,
      EPILOGUE: shape.epilogue === 'qkv' ? 0 : 1,
      HEAD_DIM: shape.head_dim,
      HIDDEN: shape.hidden_size,
      ROPE: shape.rope ? 1 : 0,
      WORKGROUP,
    },
    flags,
    [ceilDiv(shape.pairs, PAIRS_PER_INVOCATION * WORKGROUP), ceilDiv(shape.rows, TILE_ROWS), 1],
    0,
    {
      tile: true,
      entryPoint: tileAligned(shape.inputWidth, flags) ? 'main' : 'main_unaligned',
    },
  );
}
