import type { HrmConfig } from './config';
import type { HostTensor } from './tensor';

/**
 * Canonical parameter names, the authors' state_dict keys with the `_orig_mod.` and
 * `model.inner.` prefixes removed:
 *
 *   embed_tokens.embedding_weight                 [vocab_size, hidden_size]
 *   embed_pos.embedding_weight                    [positions, hidden_size] (learned positions only)
 *   puzzle_emb.weights                            [num_puzzle_identifiers, puzzle_emb_ndim]
 *   lm_head.weight                                [vocab_size, hidden_size]
 *   q_head.weight                                 [2, hidden_size]
 *   q_head.bias                                   [2]
 *   H_init, L_init                                [hidden_size]
 *   {H,L}_level.layers.{i}.self_attn.qkv_proj.weight  [3 * hidden_size, hidden_size]
 *   {H,L}_level.layers.{i}.self_attn.o_proj.weight    [hidden_size, hidden_size]
 *   {H,L}_level.layers.{i}.mlp.gate_up_proj.weight    [2 * inter, hidden_size]
 *   {H,L}_level.layers.{i}.mlp.down_proj.weight       [hidden_size, inter]
 */
export type ParameterName = string;

/** Origin of a model, shown in the model card view. */
export interface ModelProvenance {
  /** Short id used in share links, e.g. `sudoku-h128`. */
  id: string;
  /** Human-readable name. */
  name: string;
  /** Source of the bytes: a URL or a file name. */
  source: string;
  /** Markdown model card or free-form notes, when the files carried one. */
  card?: string;
}

/** A loaded model: its config and every parameter under its canonical name. */
export interface HrmWeights {
  config: HrmConfig;
  tensors: Map<ParameterName, HostTensor>;
  provenance: ModelProvenance;
}

/** Key prefixes that the authors' training wrappers add: torch.compile, then the loss head. */
const WRAPPER_PREFIXES = ['_orig_mod.', 'model.inner.'];

/**
 * Returns the canonical parameter name of a state_dict or safetensors key. It removes a leading
 * `_orig_mod.` and then a leading `model.inner.`, and returns other keys unchanged.
 */
export function canonicalParameterName(key: string): ParameterName {
  let name = key;
  for (const prefix of WRAPPER_PREFIXES) {
    if (name.startsWith(prefix)) name = name.slice(prefix.length);
  }
  return name;
}
