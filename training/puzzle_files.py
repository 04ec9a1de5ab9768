"""Sudoku text files (one puzzle per line, `.` or `0` for blanks, `#` comments, trailing
`// ...` notes) turned into model batches. The TypeScript dataset CLI parses and solves them,
so the project keeps one Sudoku parser and one exact solver."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from typing import Dict, Iterator, Optional

import numpy as np
import torch

from .losses import IGNORE_LABEL_ID

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def dataset_from_puzzle_file(path: str, out_dir: str) -> str:
    """Turn a Sudoku text file into a data set folder and return the folder.

    The TypeScript dataset CLI writes it, so its exact solver provides the labels and ratings.
    Every puzzle goes to the test split.
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(f'puzzle file not found: {path}')
    npm = shutil.which('npm')
    if npm is None:
        raise RuntimeError('npm not found on PATH; reading a Sudoku file runs `npm run dataset` to '
                           'parse and solve it, so install Node.js and run `npm ci`, or build the '
                           'data set with `npm run dataset -- sudoku --from-file` and pass its folder')
    folder = os.path.join(out_dir, 'puzzles')
    command = [npm, 'run', '--silent', 'dataset', '--', 'sudoku', '--out', folder,
               '--from-file', os.path.abspath(path)]
    result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f'`{" ".join(command)}` failed with exit code {result.returncode}:\n'
                           f'{result.stderr.strip() or result.stdout.strip()}')
    return folder


def load_sudoku_file(path: str, limit: Optional[int] = None):
    """Return (inputs [n, 81], labels [n, 81]) int32 token arrays for the puzzles in a text file."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = dataset_from_puzzle_file(path, scratch)
        inputs = np.load(os.path.join(folder, 'test', 'all__inputs.npy')).astype(np.int32)
        labels = np.load(os.path.join(folder, 'test', 'all__labels.npy')).astype(np.int32)
    return inputs[:limit], labels[:limit]


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
