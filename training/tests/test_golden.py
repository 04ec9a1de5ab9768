import json
import os

import torch

from training.checkpoints import save_safetensors_model
from training.golden import fixture_names, golden_tensors, write_golden
from training.model import HrmLossHead
from training.safetensors_io import load_file

from .conftest import REPO_ROOT, small_config


def test_fixture_holds_every_stage(tmp_path, sudoku_arrays):
    torch.manual_seed(0)
    model = HrmLossHead(small_config())
    weights = tmp_path / 'model.safetensors'
    save_safetensors_model(model, str(weights), dtype=torch.float32)
    inputs, _ = sudoku_arrays
    out = tmp_path / 'golden.safetensors'
    write_golden('model.safetensors', str(tmp_path), str(out), 'float32', list(inputs[:2]), [0, 0], 2)
    tensors, metadata = load_file(str(out))
    assert metadata['format'] == 'hrm-golden-fixture'
    assert metadata['version'] == '1'
    assert metadata['mode'] == 'float32'
    assert metadata['model'] == 'model.safetensors'
    assert metadata['puzzles'] == '2'
    assert metadata['segments'] == '2'
    assert json.loads(metadata['hrm_config'])['hidden_size'] == 32
    assert set(tensors) == set(fixture_names(2, 2, 2, 2))
    assert tensors['p0.inputs'].dtype == torch.int32
    assert tensors['p1.embedding'].shape == (82, 32)
    assert tensors['p0.s1.h0.l1.z_L'].shape == (82, 32)
    assert tensors['p0.s1.logits'].shape == (81, 11)
    assert tensors['p0.s0.q'].shape == (2,)
    assert all(t.dtype in (torch.float32, torch.int32) for t in tensors.values())


def test_fixture_segments_chain_through_the_carry(sudoku_arrays):
    torch.manual_seed(1)
    model = HrmLossHead(small_config())
    inputs, _ = sudoku_arrays
    tensors = golden_tensors(model, [inputs[0]], [0], segments=2, mode='float32')
    inner = model.model.inner
    batch = {'inputs': torch.from_numpy(inputs[:1]), 'puzzle_identifiers': torch.zeros(1, dtype=torch.int32)}
    with torch.no_grad():
        carry, logits0, _ = inner(inner.initial_carry(1), batch)
        _, logits1, (q_halt, q_continue) = inner(carry, batch)
    assert torch.equal(tensors['p0.s0.logits'], logits0[0])
    assert torch.equal(tensors['p0.s1.logits'], logits1[0])
    assert torch.equal(tensors['p0.s1.q'], torch.stack([q_halt[0], q_continue[0]]))
    # The last z_H of a segment is the carry the next segment starts from.
    assert torch.equal(tensors['p0.s0.h1.z_H'], carry.z_H[0])


def test_bfloat16_fixture_holds_bfloat16_values(sudoku_arrays):
    torch.manual_seed(2)
    model = HrmLossHead(small_config())
    inputs, _ = sudoku_arrays
    tensors = golden_tensors(model, [inputs[0]], [0], segments=1, mode='bfloat16')
    state = tensors['p0.s0.h0.z_H']
    assert state.dtype == torch.float32
    assert torch.equal(state, state.to(torch.bfloat16).to(torch.float32))


def test_committed_tiny_fixtures_match_their_models():
    golden = os.path.join(REPO_ROOT, 'tests', 'fixtures', 'golden', 'tiny-float32.safetensors')
    tensors, metadata = load_file(golden)
    assert metadata['model'] == 'tests/fixtures/models/tiny/model.safetensors'
    from training.checkpoints import load_model
    model = load_model(os.path.join(REPO_ROOT, metadata['model']))
    inputs = [tensors['p0.inputs'].numpy(), tensors['p1.inputs'].numpy()]
    fresh = golden_tensors(model, inputs, [0, 0], int(metadata['segments']), 'float32')
    for name, value in fresh.items():
        assert torch.allclose(tensors[name], value, atol=1e-5), name
