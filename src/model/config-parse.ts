// Validation of HRM configs read from files: the `hrm_config` JSON of our safetensors files and
// the `arch` section of the authors' all_config.yaml. Missing optional fields get the defaults of
// the authors' HierarchicalReasoningModel_ACTV1Config (sapientinc/HRM, models/hrm/hrm_act_v1.py).

import type { HrmConfig, PosEncodings } from './config';
import { ModelLoadError } from './errors';

/** Config fields as read from a file, before validation; any may be missing or mistyped. */
export type PartialConfig = Partial<Record<keyof HrmConfig, unknown>>;

/** Defaults of the authors' config class for the fields it does not require. */
const AUTHORS_DEFAULTS: Partial<HrmConfig> = {
  puzzle_emb_ndim: 0,
  rms_norm_eps: 1e-5,
  rope_theta: 10000,
  forward_dtype: 'bfloat16',
};

const POS_ENCODINGS: readonly PosEncodings[] = ['rope', 'learned'];
const FORWARD_DTYPES: readonly HrmConfig['forward_dtype'][] = ['bfloat16', 'float32'];

const POSITIVE_INTEGERS = [
  'hidden_size',
  'num_heads',
  'H_layers',
  'L_layers',
  'H_cycles',
  'L_cycles',
  'halt_max_steps',
  'vocab_size',
  'seq_len',
] as const;

/** Picks the HRM config fields out of an object such as the YAML `arch` section. */
export function pickConfigFields(source: Record<string, unknown>): PartialConfig {
  const fields: PartialConfig = {};
  const names: (keyof HrmConfig)[] = [
    ...POSITIVE_INTEGERS,
    'expansion',
    'halt_exploration_prob',
    'pos_encodings',
    'rope_theta',
    'rms_norm_eps',
    'puzzle_emb_ndim',
    'num_puzzle_identifiers',
    'forward_dtype',
  ];
  for (const name of names) {
    if (source[name] !== undefined && source[name] !== null) fields[name] = source[name];
  }
  return fields;
}

/**
 * Validates a complete config. `fieldPrefix` is how the fields are addressed in messages
 * (`arch.` for all_config.yaml, `hrm_config.` for safetensors metadata). Throws ModelLoadError
 * naming the file, the field, its value and the accepted values.
 */
export function validateConfig(
  fields: PartialConfig,
  fileName: string,
  fieldPrefix: string,
): HrmConfig {
  const merged: PartialConfig = { ...AUTHORS_DEFAULTS, ...fields };
  const fail = (name: string, requirement: string): never => {
    const value = merged[name as keyof HrmConfig];
    const found = value === undefined ? 'missing' : `${JSON.stringify(value)}`;
    throw new ModelLoadError(
      fileName,
      `${fieldPrefix}${name} is ${found}; it must be ${requirement}`,
    );
  };

  for (const name of POSITIVE_INTEGERS) {
    const value = merged[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
      fail(name, 'a positive integer');
  }
  for (const name of ['puzzle_emb_ndim', 'num_puzzle_identifiers'] as const) {
    const value = merged[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      fail(name, 'an integer >= 0');
  }
  for (const name of ['expansion', 'rope_theta', 'rms_norm_eps'] as const) {
    const value = merged[name];
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))
      fail(name, 'a positive number');
  }
  const exploration = merged.halt_exploration_prob;
  if (typeof exploration !== 'number' || !(exploration >= 0 && exploration <= 1)) {
    fail('halt_exploration_prob', 'a number from 0 to 1');
  }
  if (!POS_ENCODINGS.includes(merged.pos_encodings as PosEncodings)) {
    fail('pos_encodings', `one of ${POS_ENCODINGS.join(', ')}`);
  }
  if (!FORWARD_DTYPES.includes(merged.forward_dtype as HrmConfig['forward_dtype'])) {
    fail('forward_dtype', `one of ${FORWARD_DTYPES.join(', ')}`);
  }

  const config = merged as HrmConfig;
  if (config.hidden_size % config.num_heads !== 0) {
    fail('num_heads', `a divisor of hidden_size ${config.hidden_size}`);
  }
  // RoPE rotates pairs made of the two halves of each head, so head_dim must be even.
  if (config.pos_encodings === 'rope' && (config.hidden_size / config.num_heads) % 2 !== 0) {
    fail('num_heads', `such that head_dim = hidden_size / num_heads is even for RoPE`);
  }
  if (config.puzzle_emb_ndim > 0 && config.num_puzzle_identifiers < 1) {
    fail('num_puzzle_identifiers', 'at least 1 when puzzle_emb_ndim > 0');
  }
  return {
    hidden_size: config.hidden_size,
    num_heads: config.num_heads,
    expansion: config.expansion,
    H_layers: config.H_layers,
    L_layers: config.L_layers,
    H_cycles: config.H_cycles,
    L_cycles: config.L_cycles,
    halt_max_steps: config.halt_max_steps,
    halt_exploration_prob: config.halt_exploration_prob,
    pos_encodings: config.pos_encodings,
    rope_theta: config.rope_theta,
    rms_norm_eps: config.rms_norm_eps,
    puzzle_emb_ndim: config.puzzle_emb_ndim,
    num_puzzle_identifiers: config.num_puzzle_identifiers,
    vocab_size: config.vocab_size,
    seq_len: config.seq_len,
    forward_dtype: config.forward_dtype,
  };
}
