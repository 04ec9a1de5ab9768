// Wrappers for the small kernels: input embedding, input injection, state update with its
// norms, and the output heads.

import type { GpuContext } from '../../gpu';
import { roundToBfloat16 } from '../../reference/precision';
import embeddingShader from '../kernels/embedding.wgsl?raw';
import headsShader from '../kernels/heads.wgsl?raw';
import injectShader from '../kernels/inject.wgsl?raw';
import stateUpdateShader from '../kernels/state-update.wgsl?raw';
import { buildOp, ceilDiv, type KernelOp, type NumericFlags, requirePositiveInteger } from './op';

const ELEMENTWISE_WORKGROUP = 256;
const STATE_UPDATE_WORKGROUP = 256;
const HEADS_WORKGROUP = 64;

/** The authors' multiplier for learned positions, with their digits, so the rounded value matches. */
// biome-ignore lint/suspicious/noApproximativeNumericConstant: the authors' literal, not Math.SQRT1_2
export const LEARNED_POSITION_SCALE = 0.707106781;

export interface EmbeddingShape {
  positions: number;
  hidden_size: number;
  puzzle_emb_len: number;
  vocab_size: number;
  learnedPositions: boolean;
}

/**
 * Builds the input embedding. Bindings: tokens u32 [positions - puzzle_emb_len], embed_tokens
 * [vocab_size, hidden_size], puzzle row [puzzle_emb_len * hidden_size], embed_pos
 * [positions, hidden_size] (any buffer when positions are RoPE), output e.
 */
export async function createEmbeddingOp(
  gpu: GpuContext,
  shape: EmbeddingShape,
  flags: NumericFlags,
): Promise<KernelOp> {
  requirePositiveInteger('embedding', 'positions', shape.positions);
  requirePositiveInteger('embedding', 'hidden_size', shape.hidden_size);
  requirePositiveInteger('embedding', 'vocab_size', shape.vocab_size);
  const count = shape.positions * shape.hidden_size;
  const scalar = flags.activationsBf16 ? roundToBfloat16 : Math.fround;
  return buildOp(
    gpu,
    'embedding',
    embeddingShader,
    {
      POSITIONS: shape.positions,
      HIDDEN: shape.hidden_size,
      PUZZLE_LEN: shape.puzzle_emb_len,
      VOCAB: shape.vocab_size,
      // Python float multipliers, cast to the tensor's dtype as PyTorch does.
      SCALE: scalar(Math.sqrt(shape.hidden_size)),
      POSITION_SCALE: scalar(LEARNED_POSITION_SCALE),
      LEARNED_POSITIONS: shape.learnedPositions ? 1 : 0,
      WORKGROUP: ELEMENTWISE_WORKGROUP,
    },
    flags,
    [ceilDiv(count, ELEMENTWISE_WORKGROUP), 1, 1],
    0,
  );
}

/** Builds x = z + a (H update) or x = z + (a + b) (L update). Bindings: z, a, b, x. */
export async function createInjectOp(
  gpu: GpuContext,
  count: number,
  threeTerms: boolean,
  flags: NumericFlags,
): Promise<KernelOp> {
  requirePositiveInteger('inject', 'count', count);
  return buildOp(
    gpu,
    threeTerms ? 'inject-L' : 'inject-H',
    injectShader,
    { COUNT: count, THREE_TERMS: threeTerms ? 1 : 0, WORKGROUP: ELEMENTWISE_WORKGROUP },
    flags,
    [ceilDiv(count, ELEMENTWISE_WORKGROUP), 1, 1],
    0,
  );
}

/** Builds z <- x with ‖x − z‖² and ‖z‖² written to readout[0..1]. Bindings: x, z, readout. */
export async function createStateUpdateOp(
  gpu: GpuContext,
  count: number,
  flags: NumericFlags,
): Promise<KernelOp> {
  requirePositiveInteger('state-update', 'count', count);
  return buildOp(
    gpu,
    'state-update',
    stateUpdateShader,
    { COUNT: count, WORKGROUP: STATE_UPDATE_WORKGROUP },
    flags,
    [1, 1, 1],
    2 * STATE_UPDATE_WORKGROUP * 4,
  );
}

export interface HeadsShape {
  seq_len: number;
  hidden_size: number;
  vocab_size: number;
  puzzle_emb_len: number;
}

/** Words of one update's readout slot: norms (2), Q (2), then prediction, confidence, entropy. */
export function readoutWords(seq_len: number): number {
  return 4 + 3 * seq_len;
}

/**
 * Builds the LM and Q heads. Bindings: z_H, lm_head [vocab_size, hidden_size], q_head weight
 * and bias [2 * hidden_size + 2], logits [seq_len, vocab_size], readout slot.
 */
export async function createHeadsOp(
  gpu: GpuContext,
  shape: HeadsShape,
  flags: NumericFlags,
): Promise<KernelOp> {
  requirePositiveInteger('heads', 'seq_len', shape.seq_len);
  requirePositiveInteger('heads', 'vocab_size', shape.vocab_size);
  return buildOp(
    gpu,
    'heads',
    headsShader,
    {
      SEQ_LEN: shape.seq_len,
      HIDDEN: shape.hidden_size,
      VOCAB: shape.vocab_size,
      PUZZLE_LEN: shape.puzzle_emb_len,
      WORKGROUP: HEADS_WORKGROUP,
    },
    flags,
    [ceilDiv(shape.seq_len, HEADS_WORKGROUP), 1, 1],
    0,
  );
}
