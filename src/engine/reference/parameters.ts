// Gathers a loaded model's tensors into the reference engine's layout, checking each shape
// against the config and casting each weight to the activation dtype once.

import { deriveDims, type HrmConfig, type HrmDims } from '../../model/config';
import { toFloat32 } from '../../model/convert';
import { formatShape } from '../../model/tensor';
import type { HrmWeights } from '../../model/weights';
import type { BlockWeights } from './block';
import type { LinearWeight } from './linear';
import type { Precision } from './precision';

export interface ReferenceParameters {
  config: HrmConfig;
  dims: HrmDims;
  /** [vocab_size, hidden_size] */
  embedTokens: Float32Array;
  /** [positions, hidden_size], learned positions only. */
  embedPositions: Float32Array | null;
  /** [num_puzzle_identifiers, puzzle_emb_ndim], or null when puzzle_emb_ndim is 0. */
  puzzleEmbedding: Float32Array | null;
  /** [hidden_size] each. */
  H_init: Float32Array;
  L_init: Float32Array;
  H_layers: BlockWeights[];
  L_layers: BlockWeights[];
  /** [vocab_size, hidden_size] */
  lmHead: LinearWeight;
  /** [2, hidden_size] with bias [2] */
  qHead: LinearWeight;
}

/** Error for a model whose tensors do not fit its config. */
export class ReferenceWeightsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReferenceWeightsError';
  }
}

/**
 * Reads every parameter the forward pass needs. Each tensor is copied, so the caller's weights
 * are left untouched, and rounded to the activation dtype, because the authors cast every
 * parameter to forward_dtype before using it (H_init and L_init are stored in it).
 */
export function gatherParameters(weights: HrmWeights, precision: Precision): ReferenceParameters {
  const config = weights.config;
  const dims = deriveDims(config);
  const { hidden_size, vocab_size } = config;
  if (!Number.isInteger(dims.head_dim) || dims.head_dim <= 0) {
    throw new ReferenceWeightsError(
      `invalid config: hidden_size ${hidden_size} is not a multiple of num_heads ` +
        `${config.num_heads}; choose num_heads that divides hidden_size`,
    );
  }

  const read = (name: string, shape: number[]): Float32Array => {
    const tensor = weights.tensors.get(name);
    if (tensor === undefined) {
      throw new ReferenceWeightsError(
        `missing tensor ${name} ${formatShape(shape)}; the model file does not match its config`,
      );
    }
    const sameShape =
      tensor.shape.length === shape.length && tensor.shape.every((size, i) => size === shape[i]);
    if (!sameShape) {
      throw new ReferenceWeightsError(
        `tensor ${name} has shape ${formatShape(tensor.shape)} but the config needs ` +
          `${formatShape(shape)}`,
      );
    }
    const values = new Float32Array(toFloat32(tensor));
    precision.round(values);
    return values;
  };

  const readLinear = (name: string, outFeatures: number, inFeatures: number): LinearWeight => ({
    data: read(`${name}.weight`, [outFeatures, inFeatures]),
    outFeatures,
    inFeatures,
  });

  const readLayers = (level: 'H' | 'L', count: number): BlockWeights[] => {
    const layers: BlockWeights[] = [];
    for (let i = 0; i < count; i++) {
      const prefix = `${level}_level.layers.${i}`;
      layers.push({
        attention: {
          qkv: readLinear(`${prefix}.self_attn.qkv_proj`, 3 * hidden_size, hidden_size),
          out: readLinear(`${prefix}.self_attn.o_proj`, hidden_size, hidden_size),
        },
        mlp: {
          gateUp: readLinear(`${prefix}.mlp.gate_up_proj`, 2 * dims.inter, hidden_size),
          down: readLinear(`${prefix}.mlp.down_proj`, hidden_size, dims.inter),
        },
      });
    }
    return layers;
  };

  const qHead = readLinear('q_head', 2, hidden_size);
  qHead.bias = read('q_head.bias', [2]);

  return {
    config,
    dims,
    embedTokens: read('embed_tokens.embedding_weight', [vocab_size, hidden_size]),
    embedPositions:
      config.pos_encodings === 'learned'
        ? read('embed_pos.embedding_weight', [dims.positions, hidden_size])
        : null,
    puzzleEmbedding:
      config.puzzle_emb_ndim > 0
        ? read('puzzle_emb.weights', [config.num_puzzle_identifiers, config.puzzle_emb_ndim])
        : null,
    H_init: read('H_init', [hidden_size]),
    L_init: read('L_init', [hidden_size]),
    H_layers: readLayers('H', config.H_layers),
    L_layers: readLayers('L', config.L_layers),
    lmHead: readLinear('lm_head', vocab_size, hidden_size),
    qHead,
  };
}
