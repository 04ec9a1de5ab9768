import type { GpuContext } from '../../gpu';
import { roundToBfloat16 } from '../../reference/precision';
import shader from '../kernels/attention.wgsl?raw';
import { buildOp, ceilDiv, type KernelOp, type NumericFlags, requirePositiveInteger } from './op';

/** Must match MAX_HEAD_DIM and MAX_KEY_TILE in attention.wgsl. */
const MAX_HEAD_DIM = 128;
const KEY_TILE = 16;
const WORKGROUP = 64;

export interface AttentionShape {
  positions: number;
  hidden_size: number;
  num_heads: number;
}

/** Builds non-causal attention. Bindings: qkv [positions, 3 * hidden_size], out [positions, hidden_size]. */
export async function createAttentionOp(
  gpu: GpuContext,
  shape: AttentionShape,
  flags: NumericFlags,
): Promise<KernelOp> {
  const label = 'attention';
  requirePositiveInteger(label, 'positions', shape.positions);
  requirePositiveInteger(label, 'num_heads', shape.num_heads);
  const head_dim = shape.hidden_size / shape.num_heads;
  requirePositiveInteger(label, 'head_dim (hidden_size / num_heads)', head_dim);
  if (head_dim > MAX_HEAD_DIM) {
    throw new Error(
      `head_dim ${head_dim} is larger than the attention kernel supports (${MAX_HEAD_DIM}); ` +
        'use more heads or another backend.',
    );
  }
  return buildOp(
    gpu,
    label,
    shader,
    {
      POSITIONS: shape.positions,
      HIDDEN: shape.hidden_size,
      HEAD_DIM: head_dim,
      KEY_TILE,
      WORKGROUP,
      // head_dim^-0.5 as PyTorch applies a Python float multiplier: cast to the tensor's dtype.
      SCALE: flags.activationsBf16
        ? roundToBfloat16(head_dim ** -0.5)
        : Math.fround(head_dim ** -0.5),
    },
    flags,
    [ceilDiv(shape.positions, WORKGROUP), shape.num_heads, 1],
    2 * KEY_TILE * head_dim * 4,
  );
}
