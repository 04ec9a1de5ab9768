import json
import os
import struct

import pytest
import torch

from training.checkpoints import (load_model, save_authors_checkpoint, save_safetensors_model,
                                  save_sharded_model)
from training.model import HrmLossHead
from training.safetensors_io import decode, encode, load_file

from .conftest import small_config


def trained_looking_model(pos_encodings='rope'):
    torch.manual_seed(7)
    model = HrmLossHead(small_config(pos_encodings=pos_encodings))
    with torch.no_grad():
        model.model.inner.q_head.weight.normal_()
        model.model.inner.puzzle_emb.weights.normal_()
    return model


def assert_same_state(left, right, dtype=None):
    a, b = left.state_dict(), right.state_dict()
    assert set(a) == set(b)
    for key in a:
        expected = a[key] if dtype is None or not a[key].is_floating_point() else a[key].to(dtype)
        assert torch.equal(b[key].to(expected.dtype), expected), key


def test_safetensors_layout():
    data = encode({'b': torch.tensor([1.0, 2.0]), 'a': torch.tensor([3], dtype=torch.int32)},
                  {'format': 'hrm'})
    (header_length,) = struct.unpack('<Q', data[:8])
    assert header_length % 8 == 0
    header = json.loads(data[8:8 + header_length])
    assert header['__metadata__'] == {'format': 'hrm'}
    assert header['a'] == {'dtype': 'I32', 'shape': [1], 'data_offsets': [0, 4]}
    assert header['b'] == {'dtype': 'F32', 'shape': [2], 'data_offsets': [4, 12]}
    assert data[8 + header_length + 4:] == struct.pack('<2f', 1.0, 2.0)


def test_bfloat16_bits_round_trip():
    values = torch.tensor([1.0, -0.333, 3e-20, 65504.0]).to(torch.bfloat16)
    tensors, _ = decode(encode({'x': values}))
    assert tensors['x'].dtype == torch.bfloat16
    assert torch.equal(tensors['x'].view(torch.int16), values.view(torch.int16))


def test_truncated_file_is_rejected():
    data = encode({'x': torch.zeros(4)})
    with pytest.raises(ValueError, match='offsets'):
        decode(data[:-4], 'cut.safetensors')


@pytest.mark.parametrize('dtype', [torch.float32, torch.bfloat16])
def test_model_round_trip_is_bit_exact(tmp_path, dtype):
    model = trained_looking_model()
    path = str(tmp_path / 'model.safetensors')
    save_safetensors_model(model, path, dtype=dtype, model_card='card text')
    loaded = load_model(path)
    assert loaded.config == model.config
    assert_same_state(model, loaded, dtype)
    tensors, metadata = load_file(path)
    assert metadata['format'] == 'hrm'
    assert metadata['model_card'] == 'card text'
    assert json.loads(metadata['hrm_config'])['hidden_size'] == 32
    assert 'model.inner.H_level.layers.0.self_attn.qkv_proj.weight' in tensors
    # Exporting the loaded model again gives the same bytes.
    again = str(tmp_path / 'again.safetensors')
    save_safetensors_model(loaded, again, dtype=dtype, model_card='card text')
    assert open(path, 'rb').read() == open(again, 'rb').read()


def test_sharded_export_respects_shard_size(tmp_path):
    model = trained_looking_model()
    limit = 70 * 1024  # above the largest tensor (gate_up_proj, 64 KiB)
    paths = save_sharded_model(model, str(tmp_path), dtype=torch.float32, max_shard_bytes=limit)
    assert len(paths) > 1
    index = json.load(open(tmp_path / 'model.safetensors.index.json'))
    assert set(index['weight_map']) == set(model.state_dict())
    assert 'hrm_config' in index['metadata']
    for path in paths:
        tensors, _ = load_file(path)
        assert sum(t.numel() * t.element_size() for t in tensors.values()) <= limit
        assert os.path.basename(path).endswith(f'-of-{len(paths):05d}.safetensors')
    loaded = load_model(str(tmp_path / 'model.safetensors.index.json'))
    assert_same_state(model, loaded)


@pytest.mark.parametrize('pos_encodings', ['rope', 'learned'])
def test_authors_format_round_trip(tmp_path, pos_encodings):
    model = trained_looking_model(pos_encodings)
    save_authors_checkpoint(model, str(tmp_path))
    state = torch.load(tmp_path / 'checkpoint')
    assert all(key.startswith('_orig_mod.model.inner.') for key in state)
    assert state['_orig_mod.model.inner.H_init'].dtype == torch.bfloat16
    assert state['_orig_mod.model.inner.lm_head.weight'].dtype == torch.float32
    loaded = load_model(str(tmp_path))
    assert loaded.config == model.config
    assert_same_state(model, loaded)


def test_authors_config_without_dataset_fields(tmp_path):
    import yaml
    model = trained_looking_model('learned')
    save_authors_checkpoint(model, str(tmp_path))
    config_path = tmp_path / 'all_config.yaml'
    all_config = yaml.safe_load(open(config_path))
    for field in ('seq_len', 'vocab_size', 'num_puzzle_identifiers'):
        del all_config['arch'][field]
    yaml.safe_dump(all_config, open(config_path, 'w'))
    loaded = load_model(str(tmp_path))
    # Learned positions give seq_len; the tables give vocab_size and the puzzle-id count.
    assert loaded.config == model.config


def test_non_hrm_safetensors_is_rejected(tmp_path):
    path = str(tmp_path / 'other.safetensors')
    with open(path, 'wb') as file:
        file.write(encode({'x': torch.zeros(1)}))
    with pytest.raises(ValueError, match='not an HRM model file'):
        load_model(path)


def test_export_cli_writes_weights_and_index(tmp_path):
    from training import export
    model = trained_looking_model()
    source = str(tmp_path / 'source.safetensors')
    save_safetensors_model(model, source, dtype=torch.float32)
    card = tmp_path / 'models' / 'demo' / 'MODEL_CARD.md'
    card.parent.mkdir(parents=True)
    card.write_text('# Demo card\n')
    index = str(tmp_path / 'models' / 'index.json')

    export.main(['--model', source, '--out', str(card.parent), '--card', str(card), '--index', index,
                 '--name', 'Demo', '--task', 'sudoku', '--default'])
    export.main(['--model', source, '--out', str(tmp_path / 'models' / 'other'), '--index', index,
                 '--name', 'Other', '--task', 'maze'])

    entries = json.load(open(index))['models']
    assert [entry['id'] for entry in entries] == ['demo', 'other']
    assert entries[0]['path'] == 'models/demo/model.safetensors'
    assert entries[0]['card'] == 'models/demo/MODEL_CARD.md'
    assert entries[0]['default'] is True
    assert entries[1]['default'] is False
    assert entries[0]['bytes'] == os.path.getsize(card.parent / 'model.safetensors')
    tensors, metadata = load_file(str(card.parent / 'model.safetensors'))
    assert metadata['model_card'] == '# Demo card\n'
    assert tensors['model.inner.lm_head.weight'].dtype == torch.bfloat16
