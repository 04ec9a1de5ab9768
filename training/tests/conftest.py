import os

import numpy as np
import pytest
import torch

from training.config import HrmConfig
from training.data import write_split
from training.puzzle_files import load_sudoku_file

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The shared data folder beside the checkout, else the app's byte-identical gallery copy.
EASY_SUDOKU = os.path.join(os.path.dirname(REPO_ROOT), 'shared', 'data', 'sudoku', 'easy50-grids.txt')
if not os.path.isfile(EASY_SUDOKU):
    EASY_SUDOKU = os.path.join(REPO_ROOT, 'public', 'puzzles', 'easy50-grids.txt')

torch.set_num_threads(1)


def small_config(**overrides) -> HrmConfig:
    values = dict(vocab_size=11, seq_len=81, hidden_size=32, num_heads=2, H_layers=1, L_layers=1,
                  H_cycles=2, L_cycles=2, halt_max_steps=4, puzzle_emb_ndim=32)
    values.update(overrides)
    return HrmConfig(**values)


@pytest.fixture(scope='session')
def sudoku_arrays():
    """(inputs, labels) token arrays [50, 81] of real easy puzzles and their solutions."""
    return load_sudoku_file(EASY_SUDOKU)


@pytest.fixture()
def sudoku_dataset(tmp_path, sudoku_arrays):
    inputs, labels = sudoku_arrays
    root = tmp_path / 'sudoku'
    write_split(str(root / 'train'), inputs[:40], labels[:40], vocab_size=11, examples_per_puzzle=2)
    write_split(str(root / 'test'), inputs[40:], labels[40:], vocab_size=11)
    return str(root)


def valid_sudoku_solution(tokens: np.ndarray) -> bool:
    grid = tokens.reshape(9, 9) - 1
    expected = set(range(1, 10))
    rows = all(set(grid[r]) == expected for r in range(9))
    cols = all(set(grid[:, c]) == expected for c in range(9))
    boxes = all(set(grid[r:r + 3, c:c + 3].reshape(-1)) == expected
                for r in (0, 3, 6) for c in (0, 3, 6))
    return rows and cols and boxes
