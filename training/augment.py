"""Load-time augmentations that keep a puzzle valid: Sudoku symmetries and maze dihedral maps.

Each augmentation takes (inputs, labels) int arrays [batch, seq_len] and a numpy Generator and
returns new arrays. Every row gets its own random transform, and inputs and labels of a row get
the same one.
"""

from __future__ import annotations

from typing import Callable, Dict

import numpy as np

# Sudoku tokens: 0 pad, 1 blank, digit d as d + 1.
SUDOKU_FIRST_DIGIT_TOKEN = 2


def sudoku_position_maps(batch: int, rng: np.random.Generator) -> np.ndarray:
    """Return [batch, 81] source cell per target cell: band/row and stack/column shuffles, optional transpose."""
    maps = np.empty((batch, 81), dtype=np.int64)
    for row_index in range(batch):
        bands = rng.permutation(3)
        rows = np.concatenate([band * 3 + rng.permutation(3) for band in bands])
        stacks = rng.permutation(3)
        cols = np.concatenate([stack * 3 + rng.permutation(3) for stack in stacks])
        grid = rows[:, None] * 9 + cols[None, :]  # [9, 9] source index of each target cell
        if rng.random() < 0.5:
            grid = grid.T
        maps[row_index] = grid.reshape(-1)
    return maps


def augment_sudoku(inputs: np.ndarray, labels: np.ndarray, rng: np.random.Generator):
    if inputs.shape[1] != 81:
        raise ValueError(f'Sudoku augmentation needs seq_len 81, got {inputs.shape[1]}')
    batch = inputs.shape[0]
    positions = sudoku_position_maps(batch, rng)

    # Token map per row: pad and blank stay, digits are permuted.
    token_map = np.tile(np.arange(SUDOKU_FIRST_DIGIT_TOKEN + 9), (batch, 1))  # [batch, 11]
    for row_index in range(batch):
        token_map[row_index, SUDOKU_FIRST_DIGIT_TOKEN:] = SUDOKU_FIRST_DIGIT_TOKEN + rng.permutation(9)

    def apply(values: np.ndarray) -> np.ndarray:
        moved = np.take_along_axis(values, positions, axis=1)
        # Labels may hold the ignore id; only remap tokens inside the Sudoku vocabulary.
        inside = (moved >= 0) & (moved < token_map.shape[1])
        mapped = np.take_along_axis(token_map, np.where(inside, moved, 0), axis=1)
        return np.where(inside, mapped, moved)

    return apply(inputs), apply(labels)


def dihedral_maps(side: int) -> np.ndarray:
    """Return [8, side * side] source cell per target cell for the 8 symmetries of a square."""
    grid = np.arange(side * side).reshape(side, side)
    transforms = []
    for flip in (False, True):
        base = grid.T if flip else grid
        for turns in range(4):
            transforms.append(np.rot90(base, turns).reshape(-1))
    return np.stack(transforms)


def augment_maze(inputs: np.ndarray, labels: np.ndarray, rng: np.random.Generator):
    side = int(round(inputs.shape[1] ** 0.5))
    if side * side != inputs.shape[1]:
        raise ValueError(f'maze augmentation needs a square grid, got seq_len {inputs.shape[1]}')
    maps = dihedral_maps(side)[rng.integers(0, 8, size=inputs.shape[0])]
    return np.take_along_axis(inputs, maps, axis=1), np.take_along_axis(labels, maps, axis=1)


AUGMENTATIONS: Dict[str, Callable] = {'sudoku': augment_sudoku, 'maze': augment_maze}
