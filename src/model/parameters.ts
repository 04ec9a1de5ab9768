// The parameter set an HRM config implies, checks of loaded tensors against it, and the config
// fields that can be recovered from tensor shapes when a config file leaves them out.

import { deriveDims, type HrmConfig } from './config';
import type { PartialConfig } from './config-parse';
import { ModelLoadError } from './errors';
import { formatShape, type HostTensor } from './tensor';
import { canonicalParameterName, type ParameterName } from './weights';

/** A tensor under its canonical name, with the key it had in the file for messages. */
export interface NamedTensor {
  key: string;
  tensor: HostTensor;
}

interface ExpectedParameter {
  shape: number[];
  /** The config values the shape follows from, e.g. `vocab_size 11, hidden_size 512`. */
  reason: string;
}

/** Lists every parameter of a model with `config`, with its shape. */
export function expectedParameters(config: HrmConfig): Map<ParameterName, ExpectedParameter> {
  const { hidden_size, vocab_size, num_puzzle_identifiers, puzzle_emb_ndim } = config;
  const { inter, positions } = deriveDims(config);
  const hidden = `hidden_size ${hidden_size}`;
  const expected = new Map<ParameterName, ExpectedParameter>();
  const add = (name: string, shape: number[], reason: string) =>
    expected.set(name, { shape, reason });

  add(
    'embed_tokens.embedding_weight',
    [vocab_size, hidden_size],
    `vocab_size ${vocab_size}, ${hidden}`,
  );
  add('lm_head.weight', [vocab_size, hidden_size], `vocab_size ${vocab_size}, ${hidden}`);
  add('q_head.weight', [2, hidden_size], hidden);
  add('q_head.bias', [2], 'q_halt and q_continue');
  add('H_init', [hidden_size], hidden);
  add('L_init', [hidden_size], hidden);
  if (config.pos_encodings === 'learned') {
    add(
      'embed_pos.embedding_weight',
      [positions, hidden_size],
      `seq_len ${config.seq_len} + puzzle_emb_len ${positions - config.seq_len} positions, ${hidden}`,
    );
  }
  if (puzzle_emb_ndim > 0) {
    add(
      'puzzle_emb.weights',
      [num_puzzle_identifiers, puzzle_emb_ndim],
      `num_puzzle_identifiers ${num_puzzle_identifiers}, puzzle_emb_ndim ${puzzle_emb_ndim}`,
    );
  }

  const mlp = `${hidden}, MLP width ${inter} from expansion ${config.expansion}`;
  for (const [level, layers] of [
    ['H', config.H_layers],
    ['L', config.L_layers],
  ] as const) {
    for (let i = 0; i < layers; i++) {
      const prefix = `${level}_level.layers.${i}`;
      add(`${prefix}.self_attn.qkv_proj.weight`, [3 * hidden_size, hidden_size], hidden);
      add(`${prefix}.self_attn.o_proj.weight`, [hidden_size, hidden_size], hidden);
      add(`${prefix}.mlp.gate_up_proj.weight`, [2 * inter, hidden_size], mlp);
      add(`${prefix}.mlp.down_proj.weight`, [hidden_size, inter], mlp);
    }
  }
  return expected;
}

/**
 * Maps file keys to canonical names (see canonicalParameterName). Throws when two keys map to
 * the same name, e.g. `_orig_mod.model.inner.H_init` next to `model.inner.H_init`.
 */
export function canonicalizeKeys(
  tensors: Map<string, HostTensor>,
  fileName: string,
): Map<ParameterName, NamedTensor> {
  const named = new Map<ParameterName, NamedTensor>();
  for (const [key, tensor] of tensors) {
    const name = canonicalParameterName(key);
    const existing = named.get(name);
    if (existing !== undefined) {
      throw new ModelLoadError(
        fileName,
        `tensors ${existing.key} and ${key} are both parameter ${name}; keep one of them`,
      );
    }
    named.set(name, { key, tensor });
  }
  return named;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((size, axis) => size === b[axis]);
}

const FLOAT_DTYPES = new Set(['float32', 'bfloat16', 'float16']);

/**
 * Checks that the tensors are exactly the parameters of `config`, each with a float dtype and
 * the expected shape. Throws ModelLoadError naming the tensor, the expected and the found shape.
 */
export function checkParameters(
  tensors: Map<ParameterName, NamedTensor>,
  config: HrmConfig,
  fileName: string,
): void {
  const expected = expectedParameters(config);

  const missing = [...expected.keys()].filter((name) => !tensors.has(name));
  if (missing.length > 0) {
    throw new ModelLoadError(
      fileName,
      `missing ${missing.length} parameter(s) that the config needs: ${missing.slice(0, 5).join(', ')}` +
        `${missing.length > 5 ? ', …' : ''}; check H_layers, L_layers, pos_encodings and ` +
        'puzzle_emb_ndim against the file',
    );
  }
  const unexpected = [...tensors.values()].filter(
    ({ key }) => !expected.has(canonicalParameterName(key)),
  );
  if (unexpected.length > 0) {
    const keys = unexpected.map(({ key }) => key);
    throw new ModelLoadError(
      fileName,
      `${keys.length} tensor(s) are not parameters of an HRM with this config: ` +
        `${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''}; check H_layers, ` +
        'L_layers, pos_encodings and puzzle_emb_ndim against the file',
    );
  }

  for (const [name, { shape, reason }] of expected) {
    const { key, tensor } = tensors.get(name) as NamedTensor;
    if (!FLOAT_DTYPES.has(tensor.dtype)) {
      throw new ModelLoadError(
        fileName,
        `tensor ${key} has dtype ${tensor.dtype}, but parameters must be float32, bfloat16 or float16`,
      );
    }
    if (!sameShape(tensor.shape, shape)) {
      throw new ModelLoadError(
        fileName,
        `tensor ${key} has shape ${formatShape(tensor.shape)} but the config (${reason}) needs ${formatShape(shape)}`,
      );
    }
  }
}

/**
 * seq_len of the authors' released tasks, keyed by vocab_size, for RoPE checkpoints whose
 * all_config.yaml omits seq_len (the released ones do, because pretrain.py takes it from the
 * dataset). Values from the authors' dataset builders: Sudoku 9x9, Maze 30x30, ARC 30x30.
 */
const RELEASED_TASK_SEQ_LEN: ReadonlyMap<number, { task: string; seq_len: number }> = new Map([
  [11, { task: 'Sudoku', seq_len: 81 }],
  [6, { task: 'Maze', seq_len: 900 }],
  [12, { task: 'ARC', seq_len: 900 }],
]);

/** Source of each derived field, for display and tests. */
export type DerivedFields = Partial<Record<keyof HrmConfig, string>>;

/**
 * Fills vocab_size, puzzle_emb_ndim, num_puzzle_identifiers and seq_len from tensor shapes
 * where `fields` lacks them. seq_len comes from the learned position table, or for RoPE models
 * (which store no position tensor) from the released task that vocab_size identifies.
 * Returns the completed fields and a note per derived field.
 */
export function deriveMissingFields(
  fields: PartialConfig,
  tensors: Map<ParameterName, NamedTensor>,
  fileName: string,
): { fields: PartialConfig; derived: DerivedFields } {
  const result: PartialConfig = { ...fields };
  const derived: DerivedFields = {};
  const shapeOf = (name: string) => tensors.get(name)?.tensor.shape;

  const tokenShape = shapeOf('embed_tokens.embedding_weight');
  if (result.vocab_size === undefined && tokenShape?.length === 2) {
    result.vocab_size = tokenShape[0];
    derived.vocab_size = 'rows of embed_tokens.embedding_weight';
  }

  const puzzleShape = shapeOf('puzzle_emb.weights');
  if (result.puzzle_emb_ndim === undefined) {
    result.puzzle_emb_ndim = puzzleShape?.length === 2 ? puzzleShape[1] : 0;
    derived.puzzle_emb_ndim = puzzleShape
      ? 'columns of puzzle_emb.weights'
      : 'no puzzle_emb.weights';
  }
  if (result.num_puzzle_identifiers === undefined) {
    // Without a puzzle embedding the count is unused; 1 covers identifier 0, the blank id.
    result.num_puzzle_identifiers = puzzleShape?.length === 2 ? puzzleShape[0] : 1;
    derived.num_puzzle_identifiers = puzzleShape
      ? 'rows of puzzle_emb.weights'
      : 'no puzzle_emb.weights';
  }

  if (result.seq_len === undefined) {
    const positionShape = shapeOf('embed_pos.embedding_weight');
    const hidden = result.hidden_size;
    const ndim = result.puzzle_emb_ndim;
    if (
      positionShape?.length === 2 &&
      typeof hidden === 'number' &&
      typeof ndim === 'number' &&
      hidden > 0
    ) {
      const puzzleEmbLen = ndim > 0 ? Math.ceil(ndim / hidden) : 0;
      result.seq_len = positionShape[0] - puzzleEmbLen;
      derived.seq_len = `rows of embed_pos.embedding_weight minus ${puzzleEmbLen} puzzle position(s)`;
    } else {
      // NOTE: a RoPE model stores nothing that depends on seq_len, so this guesses it from
      // vocab_size. A model for another task with the same vocabulary gets a wrong seq_len.
      const task =
        typeof result.vocab_size === 'number'
          ? RELEASED_TASK_SEQ_LEN.get(result.vocab_size)
          : undefined;
      if (task === undefined) {
        throw new ModelLoadError(
          fileName,
          `seq_len is missing and cannot be derived: the model has no learned position table and ` +
            `vocab_size ${String(result.vocab_size)} matches no released task; add seq_len to the ` +
            'config (the arch section of all_config.yaml)',
        );
      }
      result.seq_len = task.seq_len;
      derived.seq_len = `${task.task} (vocab_size ${String(result.vocab_size)})`;
    }
  }
  return { fields: result, derived };
}
