import type { GpuContext } from '../../gpu';
import { roundToBfloat16 } from '../../reference/precision';
import streamingShader from '../kernels/attention.wgsl?raw';
import scoresShader from '../kernels/attention-scores.wgsl?raw';
import valuesShader from '../kernels/attention-values.wgsl?raw';
import { tiledAttentionFits } from '../model-plan';
import {
  type BoundOp,
  bindOp,
  buildOp,
  ceilDiv,
  type KernelOp,
  type NumericFlags,
  requirePositiveInteger,
} from './op';

/** Must match MAX_HEAD_DIM in attention.wgsl. */
const MAX_HEAD_DIM = 128;
const KEY_TILE = 16;
const WORKGROUP = 64;
/** Queries per invocation of both tiled kernels, and invocations per scores workgroup. */
const QUERIES = 4;
const SCORES_WORKGROUP = 16;

export interface AttentionShape {
  positions: number;
  hidden_size: number;
  num_heads: number;
}

/**
 * Attention for one model shape: the tiled path (a scores-and-softmax dispatch, then a values
 * dispatch, with a probabilities buffer between them) when head_dim is a multiple of 8, and the
 * single streaming kernel otherwise. Both follow the same rounding points.
 */
export interface Attention {
  /** Dispatches per block. */
  readonly dispatches: number;
  /** Bytes of the probabilities buffer the tiled path needs; 0 for the streaming kernel. */
  readonly probsBytes: number;
  /** Binds one block's use: qkv [positions, 3 * hidden_size] in, out [positions, hidden_size]. */
  bind(qkv: GPUBuffer, out: GPUBuffer, probs: GPUBuffer | null): BoundOp[];
}

function headDimOf(shape: AttentionShape): number {
  const label = 'attention';
  requirePositiveInteger(label, 'positions', shape.positions);
  requirePositiveInteger(label, 'num_heads', shape.num_heads);
  const head_dim = shape.hidden_size / shape.num_heads;
  requirePositiveInteger(label, 'head_dim (hidden_size / num_heads)', head_dim);
  return head_dim;
}

/** head_dim^-0.5 as PyTorch applies a Python float multiplier: cast to the tensor's dtype. */
function scaleOf(head_dim: number, flags: NumericFlags): number {
  return flags.activationsBf16 ? roundToBfloat16(head_dim ** -0.5) : Math.fround(head_dim ** -0.5);
}

/** Builds the single streaming kernel. Bindings: qkv [positions, 3 * hidden_size], out [positions, hidden_size]. */
export async function createAttentionOp(
  gpu: GpuContext,
  shape: AttentionShape,
  flags: NumericFlags,
): Promise<KernelOp> {
  const head_dim = headDimOf(shape);
  if (head_dim > MAX_HEAD_DIM) {
    throw new Error(
      `head_dim ${head_dim} is larger than the attention kernel supports (${MAX_HEAD_DIM}); ` +
        'use more heads or another backend.',
    );
  }
  return buildOp(
    gpu,
    'attention',
    streamingShader,
    {
      POSITIONS: shape.positions,
      HIDDEN: shape.hidden_size,
      HEAD_DIM: head_dim,
      KEY_TILE,
      WORKGROUP,
      SCALE: scaleOf(head_dim, flags),
    },
    flags,
    [ceilDiv(shape.positions, WORKGROUP), shape.num_heads, 1],
    2 * KEY_TILE * head_dim * 4,
  );
}

/** Rows of the probabilities buffer are padded to a multiple of 4 keys. */
function probsStride(positions: number): number {
  return ceilDiv(positions, 4) * 4;
}

/** Builds the tiled pair of kernels; the shape must pass tiledAttentionFits. */
export async function createTiledAttentionOps(
  gpu: GpuContext,
  shape: AttentionShape,
  flags: NumericFlags,
): Promise<{ scores: KernelOp; values: KernelOp; probsBytes: number }> {
  const head_dim = headDimOf(shape);
  if (!tiledAttentionFits(shape)) {
    throw new Error(
      `head_dim ${head_dim} does not fit the tiled attention kernels, which need a multiple of 8; ` +
        'use createAttentionOp.',
    );
  }
  const stride = probsStride(shape.positions);
  const probsBytes = shape.num_heads * shape.positions * stride * 4;
  if (probsBytes > gpu.deviceLimits.maxStorageBufferBindingSize) {
    throw new Error(
      `The attention probabilities need ${probsBytes} bytes for ${shape.positions} positions and ` +
        `${shape.num_heads} heads, more than the device binds (maxStorageBufferBindingSize ` +
        `${gpu.deviceLimits.maxStorageBufferBindingSize}).`,
    );
  }
  const sizes = {
    POSITIONS: shape.positions,
    STRIDE: stride,
    HIDDEN: shape.hidden_size,
    HEAD_DIM: head_dim,
  };
  const queryBlocks = ceilDiv(shape.positions, QUERIES);
  const scores = await buildOp(
    gpu,
    'attention-scores',
    scoresShader,
    { ...sizes, SCALE: scaleOf(head_dim, flags), WORKGROUP: SCORES_WORKGROUP },
    flags,
    [ceilDiv(queryBlocks, SCORES_WORKGROUP), shape.num_heads, 1],
    0,
  );
  const values = await buildOp(
    gpu,
    'attention-values',
    valuesShader,
    { ...sizes, WORKGROUP },
    flags,
    [ceilDiv(shape.hidden_size / 8, WORKGROUP), queryBlocks, 1],
    0,
  );
  return { scores, values, probsBytes };
}

/** Builds attention for `shape`, choosing the tiled path when it fits. */
export async function createAttention(
  gpu: GpuContext,
  shape: AttentionShape,
  flags: NumericFlags,
): Promise<Attention> {
  if (tiledAttentionFits(shape)) {
    const { scores, values, probsBytes } = await createTiledAttentionOps(gpu, shape, flags);
    return {
      dispatches: 2,
      probsBytes,
      bind: (qkv, out, probs) => {
        if (!probs) {
          throw new Error(
            `missing probabilities buffer for the tiled attention path; pass one of ${probsBytes} bytes`,
          );
        }
        return [
          { op: scores, bindGroup: bindOp(gpu, scores, [qkv, probs]) },
          { op: values, bindGroup: bindOp(gpu, values, [probs, qkv, out]) },
        ];
      },
    };
  }
  const streaming = await createAttentionOp(gpu, shape, flags);
  return {
    dispatches: 1,
    probsBytes: 0,
    bind: (qkv, out) => [{ op: streaming, bindGroup: bindOp(gpu, streaming, [qkv, out]) }],
  };
}
