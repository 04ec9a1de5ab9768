import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { toFloat32 } from '../../../src/model/convert';
import { loadModel } from '../../../src/model/load-model';
import { readSafetensors } from '../../../src/model/safetensors';

// The tiny models that training/ writes for the engines, read through the public loader: the
// safetensors copy and the authors-format copy must give the same weights.

const ROOT = join(import.meta.dirname, '../../..');

function repositoryFile(path: string): File {
  return new File([readFileSync(join(ROOT, path))], path.slice(path.lastIndexOf('/') + 1));
}

describe('training fixtures', () => {
  test('tiny safetensors and authors checkpoint agree', async () => {
    const safetensors = await loadModel([
      repositoryFile('tests/fixtures/models/tiny/model.safetensors'),
    ]);
    const authors = await loadModel([
      repositoryFile('tests/fixtures/models/tiny-authors/checkpoint'),
      repositoryFile('tests/fixtures/models/tiny-authors/all_config.yaml'),
    ]);

    expect(authors.config).toEqual(safetensors.config);
    expect(authors.tensors.get('H_init')?.dtype).toBe('bfloat16');
    expect([...authors.tensors.keys()].sort()).toEqual([...safetensors.tensors.keys()].sort());
    for (const [name, tensor] of safetensors.tensors) {
      const other = authors.tensors.get(name);
      expect(other?.shape, name).toEqual(tensor.shape);
      expect(Array.from(toFloat32(other ?? tensor)), name).toEqual(Array.from(toFloat32(tensor)));
    }
  });

  test('tiny-learned has a position table', async () => {
    const weights = await loadModel([
      repositoryFile('tests/fixtures/models/tiny-learned/model.safetensors'),
    ]);
    expect(weights.config.pos_encodings).toBe('learned');
    const positions =
      weights.config.seq_len +
      Math.ceil(weights.config.puzzle_emb_ndim / weights.config.hidden_size);
    expect(weights.tensors.get('embed_pos.embedding_weight')?.shape).toEqual([
      positions,
      weights.config.hidden_size,
    ]);
  });

  test('golden fixtures name a loadable model', async () => {
    for (const name of [
      'tiny-float32',
      'tiny-bfloat16',
      'tiny-learned-float32',
      'tiny-learned-bfloat16',
    ]) {
      const path = `tests/fixtures/golden/${name}.safetensors`;
      const { metadata, tensors } = readSafetensors(
        new Uint8Array(readFileSync(join(ROOT, path))),
        path,
      );
      expect(metadata.format, path).toBe('hrm-golden-fixture');
      expect(metadata.version, path).toBe('1');
      expect(tensors.get('p0.inputs')?.dtype, path).toBe('int32');

      const weights = await loadModel([repositoryFile(metadata.model)]);
      expect(weights.config, path).toEqual(JSON.parse(metadata.hrm_config));
      expect(tensors.get('p0.s0.logits')?.shape, path).toEqual([
        weights.config.seq_len,
        weights.config.vocab_size,
      ]);
    }
  });
});
