import json
import os

import torch

from training import train
from training.checkpoints import load_model
from training.data import PuzzleSet
from training.model import HrmLossHead
from training.optim import AdamAtan2

from .conftest import small_config


def test_training_steps_lower_the_loss(sudoku_dataset):
    torch.manual_seed(0)
    config = small_config(halt_max_steps=2)
    model = HrmLossHead(config)
    model.train()
    batch = next(PuzzleSet(sudoku_dataset, 'test').test_batches(8))
    optimizer = AdamAtan2(model.parameters(), lr=3e-3, weight_decay=0.0)

    def loss_on_batch():
        carry = model.initial_carry(batch)
        _, loss, _, _ = model(carry, batch)
        return loss

    first = loss_on_batch()
    for _ in range(15):
        optimizer.zero_grad()
        loss = loss_on_batch()
        loss.backward()
        optimizer.step()
    assert loss_on_batch().item() < 0.8 * first.item()


def run_cli(sudoku_dataset, out, *extra):
    train.main(['--data', sudoku_dataset, '--out', out, '--hidden-size', '32', '--num-heads', '2',
                '--H-layers', '1', '--L-layers', '1', '--halt-max-steps', '2', '--batch-size', '8',
                '--threads', '1', '--log-seconds', '0', '--eval-puzzles', '4',
                '--warmup-steps', '2', *extra])


def test_cli_trains_resumes_and_exports(sudoku_dataset, tmp_path, capsys):
    out = str(tmp_path / 'run')
    run_cli(sudoku_dataset, out, '--max-steps', '3', '--augment', 'sudoku',
            '--curriculum', '30:60', '--pos-encodings', 'learned', '--pos-init', 'sudoku')
    log = open(os.path.join(out, 'log.txt')).read()
    assert 'step 3 loss' in log
    assert 'example-segments' in log
    assert '/s, left' in log
    state = torch.load(os.path.join(out, 'train_state.pt'))
    assert state['step'] == 3
    # The ACT carry is saved, so a resumed run continues each row's puzzle.
    assert state['act_carry']['z_H'].shape[0] == 8
    assert state['act_carry']['steps'].dtype == torch.int32

    run_cli(sudoku_dataset, out, '--max-steps', '5', '--resume', '--pos-encodings', 'learned')
    assert torch.load(os.path.join(out, 'train_state.pt'))['step'] == 5
    model = load_model(os.path.join(out, 'model.safetensors'))
    assert model.config.pos_encodings == 'learned'

    second = str(tmp_path / 'second')
    run_cli(sudoku_dataset, second, '--max-steps', '1', '--init-from',
            os.path.join(out, 'model.safetensors'), '--grad-mode', 'last_segment',
            '--optimizer', 'adamw', '--loss', 'softmax', '--copy-cell-weight', '0.2')
    assert 'finished: 1 steps' in open(os.path.join(second, 'log.txt')).read()


def test_accuracy_and_card_tools(sudoku_dataset, tmp_path):
    from training import accuracy, model_card
    out = str(tmp_path / 'run')
    run_cli(sudoku_dataset, out, '--max-steps', '2', '--eval-minutes', '0')
    results = str(tmp_path / 'acc.json')
    accuracy.main(['--model', os.path.join(out, 'model.safetensors'), '--data', sudoku_dataset,
                   '--segments', '3', '--bands', '0-45,46-81', '--json', results])
    measured = json.load(open(results))
    assert measured['all']['puzzles'] == 10
    assert len(measured['all']['exact']) == 3
    # Bands without puzzles are left out of the results.
    assert sum(measured.get(band, {'puzzles': 0})['puzzles'] for band in ('0-45', '46-81')) == 10

    card = str(tmp_path / 'MODEL_CARD.md')
    report = tmp_path / 'report.md'
    report.write_text('| s | exact |\n|---|---|\n| 1 | 0.0% |\n')
    model_card.main(['--run', out, '--model-id', 'demo', '--title', 'Demo', '--task', 'sudoku',
                     '--data-description', 'easy puzzles', '--command', 'python -m training.train',
                     '--results', f'held-out={results}', '--out', card,
                     '--report', f'Other report={report}'])
    text = open(card).read()
    assert '| 3 | ' in text
    assert '`hidden_size` | 32' in text
    assert 'Steps: 2;' in text
    assert '### Other report' in text
    assert '| 1 | 0.0% |' in text


def test_sudoku_position_init_groups_peers():
    torch.manual_seed(0)
    model = HrmLossHead(small_config(pos_encodings='learned', hidden_size=64, puzzle_emb_ndim=64))
    before_prefix = model.model.inner.embed_pos.embedding_weight[0].clone()
    train.init_grid_positions(model, with_boxes=True, seed=0)
    positions = model.model.inner.embed_pos.embedding_weight.detach()
    cells = positions[1:]  # [81, hidden_size], after the puzzle-embedding position

    def similarity(a, b):
        return torch.dot(cells[a], cells[b]).item()

    # Cells 0 and 1 share a row and a box, cells 0 and 9 a column and a box, cells 0 and 80 nothing.
    assert similarity(0, 1) > similarity(0, 80)
    assert similarity(0, 9) > similarity(0, 80)
    assert torch.equal(positions[0], before_prefix)
    # The sum keeps HRM's initial scale, std 1/sqrt(hidden_size).
    assert abs(cells.std().item() - 1 / 8) < 0.02


def test_carry_state_round_trip():
    from training.model import ActCarry, InnerCarry
    from training.train import carry_from_state, carry_state
    carry = ActCarry(inner=InnerCarry(z_H=torch.randn(2, 5, 8), z_L=torch.randn(2, 5, 8)),
                     steps=torch.tensor([1, 3], dtype=torch.int32),
                     halted=torch.tensor([False, True]),
                     current_data={'inputs': torch.ones(2, 4, dtype=torch.int32)})
    restored = carry_from_state(carry_state(carry), torch.device('cpu'))
    assert torch.equal(restored.inner.z_H, carry.inner.z_H)
    assert torch.equal(restored.inner.z_L, carry.inner.z_L)
    assert torch.equal(restored.steps, carry.steps)
    assert torch.equal(restored.halted, carry.halted)
    assert torch.equal(restored.current_data['inputs'], carry.current_data['inputs'])
