import { describe, expect, test } from 'vitest';
import type { HrmConfig } from '../../../src/model/config';
import { validateConfig } from '../../../src/model/config-parse';
import { ModelLoadError } from '../../../src/model/errors';
import {
  canonicalizeKeys,
  checkParameters,
  deriveMissingFields,
  expectedParameters,
  type NamedTensor,
} from '../../../src/model/parameters';
import type { HostTensor } from '../../../src/model/tensor';
import { canonicalParameterName } from '../../../src/model/weights';
import { thrownBy } from './fixtures';

const CONFIG: HrmConfig = {
  hidden_size: 8,
  num_heads: 2,
  expansion: 4,
  H_layers: 1,
  L_layers: 2,
  H_cycles: 2,
  L_cycles: 2,
  halt_max_steps: 4,
  halt_exploration_prob: 0.1,
  pos_encodings: 'learned',
  rope_theta: 10000,
  rms_norm_eps: 1e-5,
  puzzle_emb_ndim: 8,
  num_puzzle_identifiers: 5,
  vocab_size: 6,
  seq_len: 10,
  forward_dtype: 'bfloat16',
};

function zeros(shape: number[]): HostTensor {
  return { dtype: 'float32', shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) };
}

/** Makes zero tensors for every parameter of `config`, under `_orig_mod.model.inner.` keys. */
function tensorsFor(config: HrmConfig): Map<string, NamedTensor> {
  const named = new Map<string, NamedTensor>();
  for (const [name, { shape }] of expectedParameters(config)) {
    named.set(name, { key: `_orig_mod.model.inner.${name}`, tensor: zeros(shape) });
  }
  return named;
}

function errorMessage(action: () => unknown): string {
  const error = thrownBy(action);
  expect(error).toBeInstanceOf(ModelLoadError);
  return error.message;
}

describe('canonicalParameterName', () => {
  test('strips the wrapper prefixes', () => {
    expect(canonicalParameterName('_orig_mod.model.inner.H_init')).toBe('H_init');
    expect(canonicalParameterName('model.inner.lm_head.weight')).toBe('lm_head.weight');
    expect(canonicalParameterName('q_head.bias')).toBe('q_head.bias');
  });

  test('duplicate canonical names are rejected', () => {
    const tensors = new Map([
      ['_orig_mod.model.inner.H_init', zeros([8])],
      ['model.inner.H_init', zeros([8])],
    ]);
    expect(errorMessage(() => canonicalizeKeys(tensors, 'x'))).toMatch(
      /tensors _orig_mod\.model\.inner\.H_init and model\.inner\.H_init are both parameter H_init/,
    );
  });
});

describe('expectedParameters', () => {
  test('lists every parameter with its shape', () => {
    const expected = expectedParameters(CONFIG);
    expect(expected.size).toBe(8 + 4 * 3);
    expect(expected.get('embed_pos.embedding_weight')?.shape).toEqual([11, 8]);
    expect(expected.get('puzzle_emb.weights')?.shape).toEqual([5, 8]);
    expect(expected.get('L_level.layers.1.mlp.gate_up_proj.weight')?.shape).toEqual([512, 8]);
    expect(expected.get('H_level.layers.0.mlp.down_proj.weight')?.shape).toEqual([8, 256]);
    expect(expected.get('H_level.layers.0.self_attn.qkv_proj.weight')?.shape).toEqual([24, 8]);
  });

  test('rope without puzzle embedding has no position or puzzle table', () => {
    const expected = expectedParameters({ ...CONFIG, pos_encodings: 'rope', puzzle_emb_ndim: 0 });
    expect(expected.has('embed_pos.embedding_weight')).toBe(false);
    expect(expected.has('puzzle_emb.weights')).toBe(false);
  });
});

describe('checkParameters', () => {
  test('accepts the exact parameter set', () => {
    expect(() => checkParameters(tensorsFor(CONFIG), CONFIG, 'checkpoint')).not.toThrow();
  });

  test('wrong shape names tensor, config and shapes', () => {
    const tensors = tensorsFor(CONFIG);
    tensors.set('lm_head.weight', { key: 'model.inner.lm_head.weight', tensor: zeros([7, 8]) });
    expect(errorMessage(() => checkParameters(tensors, CONFIG, 'checkpoint'))).toBe(
      'checkpoint: tensor model.inner.lm_head.weight has shape [7, 8] but the config ' +
        '(vocab_size 6, hidden_size 8) needs [6, 8]',
    );
  });

  test('missing parameter is named', () => {
    const tensors = tensorsFor(CONFIG);
    tensors.delete('L_level.layers.1.mlp.down_proj.weight');
    expect(errorMessage(() => checkParameters(tensors, CONFIG, 'checkpoint'))).toMatch(
      /missing 1 parameter\(s\) that the config needs: L_level\.layers\.1\.mlp\.down_proj\.weight/,
    );
  });

  test('unexpected tensor is named', () => {
    const tensors = tensorsFor(CONFIG);
    tensors.set('H_level.layers.1.self_attn.o_proj.weight', {
      key: 'model.inner.H_level.layers.1.self_attn.o_proj.weight',
      tensor: zeros([8, 8]),
    });
    expect(errorMessage(() => checkParameters(tensors, CONFIG, 'checkpoint'))).toMatch(
      /1 tensor\(s\) are not parameters of an HRM with this config: model\.inner\.H_level\.layers\.1/,
    );
  });

  test('integer dtype is rejected', () => {
    const tensors = tensorsFor(CONFIG);
    tensors.set('q_head.bias', {
      key: 'q_head.bias',
      tensor: { dtype: 'int32', shape: [2], data: new Int32Array(2) },
    });
    expect(errorMessage(() => checkParameters(tensors, CONFIG, 'checkpoint'))).toMatch(
      /tensor q_head\.bias has dtype int32, but parameters must be float32, bfloat16 or float16/,
    );
  });
});

describe('deriveMissingFields', () => {
  test('learned positions give seq_len', () => {
    const { seq_len: _seq, vocab_size: _vocab, num_puzzle_identifiers: _count, ...rest } = CONFIG;
    const { fields, derived } = deriveMissingFields(rest, tensorsFor(CONFIG), 'all_config.yaml');
    expect(fields.seq_len).toBe(10);
    expect(fields.vocab_size).toBe(6);
    expect(fields.num_puzzle_identifiers).toBe(5);
    expect(derived.seq_len).toMatch(/embed_pos/);
  });

  test('rope model takes seq_len from the released task', () => {
    const config: HrmConfig = { ...CONFIG, pos_encodings: 'rope', vocab_size: 11 };
    const { seq_len: _, ...rest } = config;
    const { fields, derived } = deriveMissingFields(rest, tensorsFor(config), 'all_config.yaml');
    expect(fields.seq_len).toBe(81);
    expect(derived.seq_len).toMatch(/Sudoku/);
  });

  test('maze vocabulary gives 900 positions', () => {
    const config: HrmConfig = { ...CONFIG, pos_encodings: 'rope', vocab_size: 6 };
    const { seq_len: _, vocab_size: __, ...rest } = config;
    expect(deriveMissingFields(rest, tensorsFor(config), 'all_config.yaml').fields.seq_len).toBe(
      900,
    );
  });

  test('rope model with unknown vocabulary needs seq_len', () => {
    const config: HrmConfig = { ...CONFIG, pos_encodings: 'rope', vocab_size: 40 };
    const { seq_len: _, ...rest } = config;
    expect(
      errorMessage(() => deriveMissingFields(rest, tensorsFor(config), 'all_config.yaml')),
    ).toMatch(/seq_len is missing and cannot be derived.*vocab_size 40.*add seq_len/);
  });

  test('puzzle embedding size comes from the table', () => {
    const { puzzle_emb_ndim: _, ...rest } = CONFIG;
    expect(deriveMissingFields(rest, tensorsFor(CONFIG), 'x').fields.puzzle_emb_ndim).toBe(8);
  });

  test('fields present in the config are kept', () => {
    const { fields } = deriveMissingFields({ ...CONFIG, vocab_size: 99 }, tensorsFor(CONFIG), 'x');
    expect(fields.vocab_size).toBe(99);
  });
});

describe('validateConfig', () => {
  test('applies the authors defaults', () => {
    const { rope_theta: _, rms_norm_eps: __, forward_dtype: ___, ...rest } = CONFIG;
    const config = validateConfig(rest, 'all_config.yaml', 'arch.');
    expect(config.rope_theta).toBe(10000);
    expect(config.rms_norm_eps).toBe(1e-5);
    expect(config.forward_dtype).toBe('bfloat16');
  });

  test('invalid values are named with the fix', () => {
    const cases: [Partial<Record<keyof HrmConfig, unknown>>, RegExp][] = [
      [{ hidden_size: 0 }, /arch\.hidden_size is 0; it must be a positive integer/],
      [{ H_cycles: 'two' }, /arch\.H_cycles is "two"; it must be a positive integer/],
      [
        { pos_encodings: 'alibi' },
        /arch\.pos_encodings is "alibi"; it must be one of rope, learned/,
      ],
      [{ num_heads: 3 }, /arch\.num_heads is 3; it must be a divisor of hidden_size 8/],
      [{ halt_exploration_prob: 2 }, /halt_exploration_prob is 2; it must be a number from 0 to 1/],
      [
        { forward_dtype: 'float16' },
        /forward_dtype is "float16"; it must be one of bfloat16, float32/,
      ],
      [{ expansion: -1 }, /expansion is -1; it must be a positive number/],
      [{ seq_len: undefined }, /arch\.seq_len is missing; it must be a positive integer/],
    ];
    for (const [change, pattern] of cases) {
      expect(
        errorMessage(() => validateConfig({ ...CONFIG, ...change }, 'all_config.yaml', 'arch.')),
      ).toMatch(pattern);
    }
  });

  test('odd head_dim is rejected for RoPE', () => {
    expect(
      errorMessage(() =>
        validateConfig({ ...CONFIG, hidden_size: 6, pos_encodings: 'rope' }, 'x', 'arch.'),
      ),
    ).toMatch(/head_dim = hidden_size \/ num_heads is even/);
  });
});
