"""Reader for the authors' puzzle dataset folders (`<root>/{train,test}/dataset.json` plus
`<set>__{inputs,labels,puzzle_identifiers,puzzle_indices,group_indices}.npy`).

Sampling follows the authors' loader: each epoch visits every group once in random order, picks
one random puzzle of the group and adds that puzzle's examples (in random order) until the
batch is full. Labels equal to `ignore_label_id` become IGNORE_LABEL_ID, and a short final batch
is padded with `pad_id` inputs, ignored labels and `blank_identifier_id` puzzle ids.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Callable, Dict, Iterator, List, Optional

import numpy as np
import torch

from .losses import IGNORE_LABEL_ID

ARRAY_FIELDS = ('inputs', 'labels', 'puzzle_identifiers', 'puzzle_indices', 'group_indices')


@dataclass
class DatasetMetadata:
    pad_id: int
    ignore_label_id: Optional[int]
    blank_identifier_id: int
    vocab_size: int
    seq_len: int
    num_puzzle_identifiers: int
    total_groups: int
    mean_puzzle_examples: float
    sets: List[str]


def load_metadata(split_dir: str) -> DatasetMetadata:
    path = os.path.join(split_dir, 'dataset.json')
    if not os.path.isfile(path):
        raise FileNotFoundError(f'dataset metadata not found: {path}; build the data set with '
                                '`npm run dataset -- ...` and pass its folder')
    with open(path) as file:
        raw = json.load(file)
    fields = DatasetMetadata.__dataclass_fields__
    missing = [name for name in fields if name not in raw]
    if missing:
        raise ValueError(f'invalid {path}: missing fields {", ".join(missing)}')
    return DatasetMetadata(**{name: raw[name] for name in fields})


class PuzzleSet:
    """The arrays of one split, all sets concatenated, with per-puzzle difficulty."""

    def __init__(self, root: str, split: str) -> None:
        self.root = root
        self.split = split
        split_dir = os.path.join(root, split)
        self.metadata = load_metadata(split_dir)

        parts: Dict[str, list] = {name: [] for name in ARRAY_FIELDS}
        example_offset, puzzle_offset = 0, 0
        for set_name in self.metadata.sets:
            arrays = {}
            for field in ARRAY_FIELDS:
                path = os.path.join(split_dir, f'{set_name}__{field}.npy')
                if not os.path.isfile(path):
                    raise FileNotFoundError(f'dataset array not found: {path}')
                arrays[field] = np.load(path)
            # Shift this set's indices so all sets index one concatenated array.
            parts['inputs'].append(arrays['inputs'])
            parts['labels'].append(arrays['labels'])
            parts['puzzle_identifiers'].append(arrays['puzzle_identifiers'])
            start = 0 if not parts['puzzle_indices'] else 1
            parts['puzzle_indices'].append(arrays['puzzle_indices'][start:] + example_offset)
            parts['group_indices'].append(arrays['group_indices'][start:] + puzzle_offset)
            example_offset += arrays['inputs'].shape[0]
            puzzle_offset += arrays['puzzle_identifiers'].shape[0]

        self.inputs = np.concatenate(parts['inputs']).astype(np.int32)  # [examples, seq_len]
        self.labels = np.concatenate(parts['labels']).astype(np.int32)  # [examples, seq_len]
        self.puzzle_identifiers = np.concatenate(parts['puzzle_identifiers']).astype(np.int32)
        self.puzzle_indices = np.concatenate(parts['puzzle_indices']).astype(np.int64)
        self.group_indices = np.concatenate(parts['group_indices']).astype(np.int64)
        if self.inputs.shape[1] != self.metadata.seq_len:
            raise ValueError(f'invalid {split_dir}: inputs have {self.inputs.shape[1]} columns but '
                             f'dataset.json says seq_len {self.metadata.seq_len}')

        # Difficulty of a puzzle: labelled cells whose label differs from the input (Sudoku
        # blanks, maze path cells), measured on its first example.
        first = self.inputs[self.puzzle_indices[:-1]]
        first_labels = self.labels[self.puzzle_indices[:-1]]
        labelled = first_labels != (self.metadata.ignore_label_id
                                    if self.metadata.ignore_label_id is not None else -1)
        self.puzzle_difficulty = ((first != first_labels) & labelled).sum(-1)  # [puzzles]

    @property
    def num_groups(self) -> int:
        return self.group_indices.shape[0] - 1

    @property
    def num_examples(self) -> int:
        return self.inputs.shape[0]

    def collate(self, example_ids: np.ndarray, puzzle_ids: np.ndarray, batch_size: int,
                augment: Optional[Callable] = None, rng: Optional[np.random.Generator] = None
                ) -> Dict[str, torch.Tensor]:
        """Gather examples into a padded batch of int32 tensors."""
        inputs = self.inputs[example_ids]
        labels = self.labels[example_ids]
        if augment is not None:
            inputs, labels = augment(inputs, labels, rng)
        labels = labels.copy()
        if self.metadata.ignore_label_id is not None:
            labels[labels == self.metadata.ignore_label_id] = IGNORE_LABEL_ID
        identifiers = self.puzzle_identifiers[puzzle_ids]

        pad = batch_size - inputs.shape[0]
        if pad > 0:
            inputs = np.pad(inputs, ((0, pad), (0, 0)), constant_values=self.metadata.pad_id)
            labels = np.pad(labels, ((0, pad), (0, 0)), constant_values=IGNORE_LABEL_ID)
            identifiers = np.pad(identifiers, (0, pad),
                                 constant_values=self.metadata.blank_identifier_id)
        return {
            'inputs': torch.from_numpy(np.ascontiguousarray(inputs, dtype=np.int32)),
            'labels': torch.from_numpy(np.ascontiguousarray(labels, dtype=np.int32)),
            'puzzle_identifiers': torch.from_numpy(np.ascontiguousarray(identifiers, dtype=np.int32)),
        }

    def test_batches(self, batch_size: int, limit: Optional[int] = None
                     ) -> Iterator[Dict[str, torch.Tensor]]:
        """Yield every example once, in order, in padded batches (the last one padded)."""
        total = self.num_examples if limit is None else min(limit, self.num_examples)
        example_puzzle = np.searchsorted(self.puzzle_indices, np.arange(total), side='right') - 1
        for start in range(0, total, batch_size):
            ids = np.arange(start, min(total, start + batch_size))
            yield self.collate(ids, example_puzzle[ids], batch_size)


class TrainSampler:
    """Endless batches in the authors' group order, with an optional difficulty ceiling.

    Every rank draws the same global batch from the same seed and keeps its own slice, so ranks
    never overlap. `set_ceiling(n)` restricts sampling to groups whose first puzzle has at most
    n cells to fill in, for curricula from easy to hard puzzles.
    """

    def __init__(self, puzzles: PuzzleSet, global_batch_size: int, seed: int, rank: int = 0,
                 world_size: int = 1, augment: Optional[Callable] = None) -> None:
        if global_batch_size % world_size != 0:
            raise ValueError(f'invalid batch size {global_batch_size}: it must be a multiple of '
                             f'the world size {world_size}')
        self.puzzles = puzzles
        self.global_batch_size = global_batch_size
        self.local_batch_size = global_batch_size // world_size
        self.rank = rank
        self.rng = np.random.Generator(np.random.Philox(seed=seed))
        self.augment = augment
        self.order = np.zeros(0, dtype=np.int64)
        self.position = 0
        self.epochs = 0
        self.ceiling: Optional[int] = None
        group_first_puzzle = puzzles.group_indices[:-1]
        self.group_difficulty = puzzles.puzzle_difficulty[group_first_puzzle]

    def eligible_groups(self) -> np.ndarray:
        if self.ceiling is None:
            return np.arange(self.puzzles.num_groups)
        groups = np.nonzero(self.group_difficulty <= self.ceiling)[0]
        if groups.size == 0:
            # Fall back to the easiest groups so a low ceiling never stalls training.
            groups = np.nonzero(self.group_difficulty == self.group_difficulty.min())[0]
        return groups

    def set_ceiling(self, ceiling: Optional[int]) -> None:
        if ceiling != self.ceiling:
            self.ceiling = ceiling
            self.order = np.zeros(0, dtype=np.int64)
            self.position = 0

    def next_batch(self) -> Dict[str, torch.Tensor]:
        puzzles = self.puzzles
        example_ids, puzzle_ids = [], []
        size = 0
        while size < self.global_batch_size:
            if self.position >= self.order.size:
                self.order = self.rng.permutation(self.eligible_groups())
                self.position = 0
                self.epochs += 1
            group = self.order[self.position]
            self.position += 1
            puzzle = self.rng.integers(puzzles.group_indices[group], puzzles.group_indices[group + 1])
            start = puzzles.puzzle_indices[puzzle]
            count = int(puzzles.puzzle_indices[puzzle + 1] - start)
            take = min(count, self.global_batch_size - size)
            example_ids.append(start + self.rng.choice(count, take, replace=False))
            puzzle_ids.append(np.full(take, puzzle, dtype=np.int64))
            size += take

        lo = self.rank * self.local_batch_size
        hi = lo + self.local_batch_size
        examples = np.concatenate(example_ids)[lo:hi]
        puzzle_rows = np.concatenate(puzzle_ids)[lo:hi]
        return puzzles.collate(examples, puzzle_rows, self.local_batch_size, self.augment, self.rng)


def write_split(split_dir: str, inputs: np.ndarray, labels: np.ndarray, vocab_size: int,
                examples_per_puzzle: int = 1, set_name: str = 'all') -> None:
    """Write arrays as one split in the authors' layout, one group per puzzle and
    `examples_per_puzzle` consecutive examples per puzzle (pad 0, ignore label 0)."""
    os.makedirs(split_dir, exist_ok=True)
    count, seq_len = inputs.shape
    if count % examples_per_puzzle:
        raise ValueError(f'{count} examples do not split into puzzles of {examples_per_puzzle}')
    puzzles = count // examples_per_puzzle
    arrays = {
        'inputs': inputs.astype(np.int32),
        'labels': labels.astype(np.int32),
        'puzzle_identifiers': np.zeros(puzzles, dtype=np.int32),
        'puzzle_indices': np.arange(0, count + 1, examples_per_puzzle, dtype=np.int32),
        'group_indices': np.arange(puzzles + 1, dtype=np.int32),
    }
    for field, array in arrays.items():
        np.save(os.path.join(split_dir, f'{set_name}__{field}.npy'), array)
    metadata = {'pad_id': 0, 'ignore_label_id': 0, 'blank_identifier_id': 0,
                'vocab_size': vocab_size, 'seq_len': seq_len, 'num_puzzle_identifiers': 1,
                'total_groups': puzzles, 'mean_puzzle_examples': float(examples_per_puzzle),
                'sets': [set_name]}
    with open(os.path.join(split_dir, 'dataset.json'), 'w') as file:
        json.dump(metadata, file)
