// HRM architecture configuration. Field names are HRM's own (`hidden_size`, `H_cycles`, …) so a
// config maps one to one onto the `arch` section of the authors' `all_config.yaml` and onto the
// `hrm_config` metadata of our safetensors files. TypeScript code elsewhere uses camelCase for
// its own values, never for these fields.

export type PosEncodings = 'rope' | 'learned';

export interface HrmConfig {
  hidden_size: number;
  num_heads: number;
  expansion: number;
  H_layers: number;
  L_layers: number;
  H_cycles: number;
  L_cycles: number;
  halt_max_steps: number;
  halt_exploration_prob: number;
  pos_encodings: PosEncodings;
  rope_theta: number;
  rms_norm_eps: number;
  puzzle_emb_ndim: number;
  num_puzzle_identifiers: number;
  vocab_size: number;
  seq_len: number;
  forward_dtype: 'bfloat16' | 'float32';
}

/** Sizes that follow from a config. */
export interface HrmDims {
  head_dim: number;
  /** MLP inner width: ceil(round(expansion * hidden_size * 2 / 3) / 256) * 256. */
  inter: number;
  /** Extra positions prepended for the puzzle embedding. */
  puzzle_emb_len: number;
  /** seq_len + puzzle_emb_len: the number of positions the blocks run on. */
  positions: number;
}

export function deriveDims(config: HrmConfig): HrmDims {
  const head_dim = config.hidden_size / config.num_heads;
  const inter = Math.ceil(Math.round((config.expansion * config.hidden_size * 2) / 3) / 256) * 256;
  const puzzle_emb_len =
    config.puzzle_emb_ndim > 0 ? Math.ceil(config.puzzle_emb_ndim / config.hidden_size) : 0;
  return { head_dim, inter, puzzle_emb_len, positions: config.seq_len + puzzle_emb_len };
}
