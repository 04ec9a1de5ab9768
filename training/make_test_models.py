"""Write the tiny random test models and their golden fixtures.

    /usr/bin/python3 -m training.make_test_models

Writes tests/fixtures/models/tiny/ (RoPE), tiny-learned/ (learned positions) and tiny-authors/
(the tiny weights in the authors' checkpoint format), plus tests/fixtures/golden/tiny-*.safetensors
in float32 and bfloat16 modes. The weights come from a fixed seed, so reruns give the same files.
"""

from __future__ import annotations

import argparse
import os

import torch

from .checkpoints import save_authors_checkpoint, save_safetensors_model
from .config import HrmConfig
from .golden import write_golden
from .model import HrmLossHead
from .puzzle_files import load_sudoku_file

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUDOKU_FILE = os.path.join(REPO_ROOT, 'public', 'puzzles', 'easy50-grids.txt')


def tiny_config(pos_encodings: str) -> HrmConfig:
    return HrmConfig(vocab_size=11, seq_len=81, num_puzzle_identifiers=1, hidden_size=64,
                     num_heads=2, expansion=4.0, H_layers=1, L_layers=1, H_cycles=2, L_cycles=2,
                     halt_max_steps=4, pos_encodings=pos_encodings, puzzle_emb_ndim=64)


def tiny_model(pos_encodings: str, seed: int) -> HrmLossHead:
    """A random tiny model whose Q head and puzzle embedding are randomised too, so every
    output of the fixtures depends on real weights (HRM initialises both to constants)."""
    torch.manual_seed(seed)
    model = HrmLossHead(tiny_config(pos_encodings))
    inner = model.model.inner
    with torch.no_grad():
        inner.q_head.weight.normal_(0.0, 0.2)
        inner.q_head.bias.normal_(0.0, 0.5)
        inner.puzzle_emb.weights.normal_(0.0, 1.0 / 8)
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description='Write the tiny test models and golden fixtures.')
    parser.add_argument('--sudoku-file', default=SUDOKU_FILE,
                        help='puzzles for the fixtures (the first two are used)')
    args = parser.parse_args()

    inputs, _ = load_sudoku_file(args.sudoku_file, limit=2)
    models_dir = os.path.join('tests', 'fixtures', 'models')
    golden_dir = os.path.join(REPO_ROOT, 'tests', 'fixtures', 'golden')
    card = 'Random tiny HRM for engine and loader tests; it was never trained.'

    for model_id, pos_encodings, seed in (('tiny', 'rope', 1), ('tiny-learned', 'learned', 2)):
        model = tiny_model(pos_encodings, seed)
        weights = os.path.join(models_dir, model_id, 'model.safetensors')
        save_safetensors_model(model, os.path.join(REPO_ROOT, weights), torch.float32, card)
        if model_id == 'tiny':
            save_authors_checkpoint(model, os.path.join(REPO_ROOT, models_dir, 'tiny-authors'))
        for mode in ('float32', 'bfloat16'):
            out = os.path.join(golden_dir, f'{model_id}-{mode}.safetensors')
            size = write_golden(weights, REPO_ROOT, out, mode, list(inputs), [0, 0], segments=2)
            print(f'wrote {out} ({size} bytes)')


if __name__ == '__main__':
    main()
