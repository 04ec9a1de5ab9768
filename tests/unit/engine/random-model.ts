// Builds small random HRM models in memory for engine tests, so the tests need no fixture file.

import type { HrmConfig } from '../../../src/model/config';
import { deriveDims } from '../../../src/model/config';
import type { HostTensor } from '../../../src/model/tensor';
import type { HrmWeights } from '../../../src/model/weights';

/** A small Sudoku-like config: 9 cells, one puzzle-embedding position, 2 H and 2 L cycles. */
export const SMALL_CONFIG: HrmConfig = {
  hidden_size: 32,
  num_heads: 2,
  expansion: 2,
  H_layers: 1,
  L_layers: 2,
  H_cycles: 2,
  L_cycles: 2,
  halt_max_steps: 3,
  halt_exploration_prob: 0.1,
  pos_encodings: 'rope',
  rope_theta: 10000,
  rms_norm_eps: 1e-5,
  puzzle_emb_ndim: 32,
  num_puzzle_identifiers: 2,
  vocab_size: 11,
  seq_len: 9,
  forward_dtype: 'bfloat16',
};

/** Deterministic uniform numbers in [0, 1) (mulberry32). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values uniform in [-scale, scale). */
export function randomValues(random: () => number, count: number, scale: number): Float32Array {
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = (random() * 2 - 1) * scale;
  return values;
}

export interface RandomModelOptions {
  seed?: number;
  /** Q head bias [q_halt, q_continue]; the Q head weight is zero when this is given. */
  qBias?: [number, number];
}

/** Returns random float32 weights under the canonical names for `config`. */
export function createRandomWeights(
  config: HrmConfig = SMALL_CONFIG,
  options: RandomModelOptions = {},
): HrmWeights {
  const random = createRandom(options.seed ?? 1);
  const { hidden_size } = config;
  const dims = deriveDims(config);
  const tensors = new Map<string, HostTensor>();
  const add = (name: string, shape: number[], scale: number) => {
    const count = shape.reduce((a, b) => a * b, 1);
    tensors.set(name, { dtype: 'float32', shape, data: randomValues(random, count, scale) });
  };
  // Uniform in [-s, s) has std s / sqrt(3); s = sqrt(3 / fan_in) gives LeCun's 1 / sqrt(fan_in).
  const lecun = (fanIn: number) => Math.sqrt(3 / fanIn);

  add('embed_tokens.embedding_weight', [config.vocab_size, hidden_size], lecun(hidden_size));
  if (config.pos_encodings === 'learned') {
    add('embed_pos.embedding_weight', [dims.positions, hidden_size], lecun(hidden_size));
  }
  if (config.puzzle_emb_ndim > 0) {
    add('puzzle_emb.weights', [config.num_puzzle_identifiers, config.puzzle_emb_ndim], 0.5);
  }
  add('H_init', [hidden_size], 1.5);
  add('L_init', [hidden_size], 1.5);
  for (const level of ['H', 'L'] as const) {
    const count = level === 'H' ? config.H_layers : config.L_layers;
    for (let i = 0; i < count; i++) {
      const prefix = `${level}_level.layers.${i}`;
      add(
        `${prefix}.self_attn.qkv_proj.weight`,
        [3 * hidden_size, hidden_size],
        lecun(hidden_size),
      );
      add(`${prefix}.self_attn.o_proj.weight`, [hidden_size, hidden_size], lecun(hidden_size));
      add(`${prefix}.mlp.gate_up_proj.weight`, [2 * dims.inter, hidden_size], lecun(hidden_size));
      add(`${prefix}.mlp.down_proj.weight`, [hidden_size, dims.inter], lecun(dims.inter));
    }
  }
  add('lm_head.weight', [config.vocab_size, hidden_size], lecun(hidden_size));
  if (options.qBias === undefined) {
    add('q_head.weight', [2, hidden_size], lecun(hidden_size));
    add('q_head.bias', [2], 0.5);
  } else {
    tensors.set('q_head.weight', {
      dtype: 'float32',
      shape: [2, hidden_size],
      data: new Float32Array(2 * hidden_size),
    });
    tensors.set('q_head.bias', {
      dtype: 'float32',
      shape: [2],
      data: Float32Array.from(options.qBias),
    });
  }

  return {
    config,
    tensors,
    provenance: { id: 'random-test', name: 'Random test model', source: 'tests/unit/engine' },
  };
}

/** Returns a random puzzle: seq_len tokens in 1..vocab_size-1. */
export function randomInputs(config: HrmConfig, seed: number): Int32Array {
  const random = createRandom(seed);
  const inputs = new Int32Array(config.seq_len);
  for (let i = 0; i < inputs.length; i++) {
    inputs[i] = 1 + Math.floor(random() * (config.vocab_size - 1));
  }
  return inputs;
}
