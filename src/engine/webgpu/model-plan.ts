// Sizes, limits and host-side weight layout of one model on the WGSL engine. Everything here is
// plain TypeScript, so the limit check runs before a device is requested.

import { deriveDims, type HrmConfig, type HrmDims } from '../../model/config';
import { packBfloat16Pairs } from '../../model/convert';
import type { HrmWeights } from '../../model/weights';
import type { RequiredLimits } from '../gpu';
import { gatherParameters, type ReferenceParameters } from '../reference/parameters';
import { precisionFor } from '../reference/precision';
import { buildRopeTables } from '../reference/rope';
import type { NumericMode } from '../types';
import type { NumericFlags } from './ops/op';
import { ropePairs } from './reference';

/**
 * Streaming attention's key tile, and the residual-norm kernel's workgroup memory at its largest
 * workgroup (one vec4 per invocation), as the op wrappers declare them. The tiled products and
 * the tiled attention use no workgroup memory.
 */
const ATTENTION_KEY_TILE = 16;
const RESIDUAL_NORM_WORKGROUP_BYTES = 256 * 16;

/**
 * Returns whether the tiled attention kernels can run this shape: each invocation reads 8
 * dimensions of one head with vec4 loads, so head_dim must be a multiple of 8.
 */
export function tiledAttentionFits(shape: {
  positions: number;
  hidden_size: number;
  num_heads: number;
}): boolean {
  return (shape.hidden_size / shape.num_heads) % 8 === 0;
}

/** One transformer block's weights as GPU words: f32 or packed bfloat16 pairs. */
export interface BlockWords {
  qkv: Uint32Array; // [3 * hidden_size, hidden_size]
  o: Uint32Array; // [hidden_size, hidden_size]
  gateUp: Uint32Array; // [2 * inter, hidden_size]
  down: Uint32Array; // [hidden_size, inter]
}

/** Host copies of everything the GPU engine uploads for one model. */
export interface ModelPlan {
  config: HrmConfig;
  dims: HrmDims;
  numeric: NumericMode;
  flags: NumericFlags;
  parameters: ReferenceParameters;
  H_layers: BlockWords[];
  L_layers: BlockWords[];
  /** [2 * hidden_size] q_head weight rows, then [2] bias. */
  qHead: Float32Array;
  /** [positions, head_dim / 2] (cos, sin) pairs, or null for learned positions. */
  rope: Float32Array | null;
  /** H_init and L_init broadcast to [positions, hidden_size]. */
  zHInit: Float32Array<ArrayBuffer>;
  zLInit: Float32Array<ArrayBuffer>;
}

function words(values: Float32Array, bf16: boolean): Uint32Array {
  return bf16
    ? packBfloat16Pairs(values)
    : new Uint32Array(values.buffer, values.byteOffset, values.length);
}

function broadcast(row: Float32Array, positions: number): Float32Array<ArrayBuffer> {
  const out = new Float32Array(positions * row.length);
  for (let p = 0; p < positions; p++) {
    out.set(row, p * row.length);
  }
  return out;
}

/**
 * Checks the config and lays out the weights. Shape and name checks come from the reference
 * engine's `gatherParameters`, which also rounds every parameter to bfloat16 in that mode.
 */
export function planModel(weights: HrmWeights, numeric: NumericMode): ModelPlan {
  const config = weights.config;
  const dims = deriveDims(config);
  const bf16 = numeric === 'bfloat16';
  if (bf16 && (config.hidden_size % 2 !== 0 || dims.inter % 2 !== 0)) {
    throw new Error(
      `invalid hidden_size ${config.hidden_size} for bfloat16 weights: rows pack two values per ` +
        'u32, so hidden_size must be even. Use numeric mode float32.',
    );
  }
  const parameters = gatherParameters(weights, precisionFor(numeric));
  const toBlock = (layer: ReferenceParameters['H_layers'][number]): BlockWords => ({
    qkv: words(layer.attention.qkv.data, bf16),
    o: words(layer.attention.out.data, bf16),
    gateUp: words(layer.mlp.gateUp.data, bf16),
    down: words(layer.mlp.down.data, bf16),
  });
  const qHead = new Float32Array(2 * config.hidden_size + 2);
  qHead.set(parameters.qHead.data, 0);
  qHead.set(parameters.qHead.bias ?? new Float32Array(2), 2 * config.hidden_size);

  return {
    config,
    dims,
    numeric,
    flags: { activationsBf16: bf16, weightsBf16: bf16 },
    parameters,
    H_layers: parameters.H_layers.map(toBlock),
    L_layers: parameters.L_layers.map(toBlock),
    qHead,
    rope:
      config.pos_encodings === 'rope'
        ? ropePairs(buildRopeTables(dims.positions, dims.head_dim, config.rope_theta))
        : null,
    zHInit: broadcast(parameters.H_init, dims.positions),
    zLInit: broadcast(parameters.L_init, dims.positions),
  };
}

/**
 * Device limits one model needs: the largest buffer, workgroup memory and storage bindings.
 * NOTE: a model whose largest buffer exceeds the adapter's maxStorageBufferBindingSize is
 * rejected by checkLimits, not split across bindings; released sizes need about 6 MB.
 */
export function requiredLimits(config: HrmConfig, numeric: NumericMode): RequiredLimits {
  const dims = deriveDims(config);
  const weightBytes = numeric === 'bfloat16' ? 2 : 4;
  const { hidden_size } = config;
  const tiledAttention = tiledAttentionFits({
    positions: dims.positions,
    hidden_size,
    num_heads: config.num_heads,
  });
  const largestBuffer = Math.max(
    // Attention probabilities [num_heads, positions, positions rounded up to 4] (tiled path).
    tiledAttention ? config.num_heads * dims.positions * Math.ceil(dims.positions / 4) * 16 : 0,
    2 * dims.inter * hidden_size * weightBytes, // gate_up_proj
    3 * hidden_size * hidden_size * weightBytes, // qkv_proj
    dims.positions * 3 * hidden_size * 4, // qkv activations
    dims.positions * dims.inter * 4, // SwiGLU activations
    config.vocab_size * hidden_size * 4, // embed_tokens, lm_head
    dims.positions * hidden_size * 4, // states, learned positions
  );
  return {
    maxStorageBufferBindingSize: largestBuffer,
    maxBufferSize: largestBuffer,
    maxComputeWorkgroupStorageSize: Math.max(
      tiledAttention ? 0 : 2 * ATTENTION_KEY_TILE * dims.head_dim * 4,
      RESIDUAL_NORM_WORKGROUP_BYTES,
    ),
    maxComputeInvocationsPerWorkgroup: 256,
    maxStorageBuffersPerShaderStage: 5,
  };
}
