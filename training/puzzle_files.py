"""Sudoku text files (one puzzle per line, `.` or `0` for blanks, `#` comments, trailing
`// ...` notes) turned into model batches, with an exact solver for the labels."""

from __future__ import annotations

from typing import Dict, Iterator, List, Optional

import numpy as np
import torch

from .losses import IGNORE_LABEL_ID

DIGITS = '123456789'


def parse_sudoku_lines(text: str) -> List[str]:
    """Return 81-character puzzles with `0` for blanks; raises ValueError naming a bad line."""
    puzzles = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split('//')[0].strip()
        if not line or line.startswith('#'):
            continue
        cells = ''.join(ch for ch in line if ch in '.0123456789')
        if len(cells) != 81:
            raise ValueError(f'invalid Sudoku on line {number}: {len(cells)} cells, expected 81')
        puzzles.append(cells.replace('.', '0'))
    return puzzles


def solve_sudoku(puzzle: str) -> Optional[str]:
    """Return the solution of an 81-character puzzle (0 = blank), or None when it has none.

    Depth-first search on the cell with the fewest candidates, with row/column/box bitmasks.
    """
    grid = [int(ch) for ch in puzzle]
    rows, cols, boxes = [0] * 9, [0] * 9, [0] * 9
    for index, value in enumerate(grid):
        if value:
            bit = 1 << value
            r, c, b = index // 9, index % 9, (index // 27) * 3 + (index % 9) // 3
            if rows[r] & bit or cols[c] & bit or boxes[b] & bit:
                return None
            rows[r] |= bit
            cols[c] |= bit
            boxes[b] |= bit
    blanks = [index for index, value in enumerate(grid) if value == 0]

    def search() -> bool:
        best, best_options, best_count = -1, 0, 10
        for index in blanks:
            if grid[index]:
                continue
            r, c, b = index // 9, index % 9, (index // 27) * 3 + (index % 9) // 3
            options = ~(rows[r] | cols[c] | boxes[b]) & 0x3FE
            count = bin(options).count('1')
            if count < best_count:
                best, best_options, best_count = index, options, count
                if count <= 1:
                    break
        if best < 0:
            return True
        if best_count == 0:
            return False
        r, c, b = best // 9, best % 9, (best // 27) * 3 + (best % 9) // 3
        for value in range(1, 10):
            bit = 1 << value
            if best_options & bit:
                grid[best] = value
                rows[r] |= bit
                cols[c] |= bit
                boxes[b] |= bit
                if search():
                    return True
                rows[r] &= ~bit
                cols[c] &= ~bit
                boxes[b] &= ~bit
                grid[best] = 0
        return False

    return ''.join(map(str, grid)) if search() else None


def sudoku_tokens(puzzle: str) -> np.ndarray:
    """Tokens of an 81-character puzzle: blank 1, digit d as d + 1 (0 is padding)."""
    return np.array([1 if ch == '0' else int(ch) + 1 for ch in puzzle], dtype=np.int32)


def load_sudoku_file(path: str, limit: Optional[int] = None):
    """Return (inputs [n, 81], labels [n, 81]) token arrays for the puzzles in a text file."""
    with open(path) as file:
        puzzles = parse_sudoku_lines(file.read())[:limit]
    inputs, labels = [], []
    for number, puzzle in enumerate(puzzles, start=1):
        solution = solve_sudoku(puzzle)
        if solution is None:
            raise ValueError(f'{path}: puzzle {number} has no solution')
        inputs.append(sudoku_tokens(puzzle))
        labels.append(sudoku_tokens(solution))
    return np.stack(inputs), np.stack(labels)


def sudoku_file_batches(path: str, batch_size: int, limit: Optional[int] = None
                        ) -> Iterator[Dict[str, torch.Tensor]]:
    inputs, labels = load_sudoku_file(path, limit)
    for start in range(0, inputs.shape[0], batch_size):
        chunk_inputs = inputs[start:start + batch_size]
        chunk_labels = labels[start:start + batch_size]
        pad = batch_size - chunk_inputs.shape[0]
        if pad:
            chunk_inputs = np.pad(chunk_inputs, ((0, pad), (0, 0)))
            chunk_labels = np.pad(chunk_labels, ((0, pad), (0, 0)), constant_values=IGNORE_LABEL_ID)
        yield {
            'inputs': torch.from_numpy(chunk_inputs),
            'labels': torch.from_numpy(chunk_labels),
            'puzzle_identifiers': torch.zeros(batch_size, dtype=torch.int32),
        }
