import numpy as np
import pytest
import torch

from training.augment import augment_maze, augment_sudoku, dihedral_maps
from training.data import PuzzleSet, TrainSampler
from training.losses import IGNORE_LABEL_ID

from .conftest import valid_sudoku_solution


def test_reader_loads_metadata_and_arrays(sudoku_dataset, sudoku_arrays):
    puzzles = PuzzleSet(sudoku_dataset, 'train')
    assert puzzles.metadata.seq_len == 81
    assert puzzles.num_examples == 40
    assert puzzles.num_groups == 20
    inputs, _ = sudoku_arrays
    assert np.array_equal(puzzles.inputs, inputs[:40])
    # Difficulty is the number of blanks.
    assert puzzles.puzzle_difficulty[0] == int((inputs[0] == 1).sum())


def test_test_batches_pad_the_last_batch(sudoku_dataset):
    batches = list(PuzzleSet(sudoku_dataset, 'test').test_batches(batch_size=4))
    assert len(batches) == 3  # 10 examples in batches of 4
    last = batches[-1]
    assert last['inputs'].shape == (4, 81)
    assert (last['inputs'][2:] == 0).all()
    assert (last['labels'][2:] == IGNORE_LABEL_ID).all()
    assert last['inputs'].dtype == torch.int32


def test_ignore_label_maps_to_loss_ignore_id(tmp_path, sudoku_arrays):
    from training.data import write_split
    inputs, labels = sudoku_arrays
    labels = labels[:2].copy()
    labels[0, :5] = 0  # the dataset's ignore_label_id
    write_split(str(tmp_path / 'test'), inputs[:2], labels, vocab_size=11)
    batch = next(PuzzleSet(str(tmp_path), 'test').test_batches(2))
    assert (batch['labels'][0, :5] == IGNORE_LABEL_ID).all()
    assert (batch['labels'][0, 5:] > 0).all()


def test_sampler_draws_whole_puzzles_from_distinct_groups(sudoku_dataset):
    puzzles = PuzzleSet(sudoku_dataset, 'train')
    sampler = TrainSampler(puzzles, global_batch_size=8, seed=0)
    batch = sampler.next_batch()
    assert batch['inputs'].shape == (8, 81)
    # Each group is one puzzle of 2 examples (rows 2p and 2p + 1), so the batch contains 4
    # groups, each as two consecutive rows.
    index_of = {tuple(row): i for i, row in enumerate(puzzles.inputs.tolist())}
    rows = [index_of[tuple(row)] for row in batch['inputs'].tolist()]
    pairs = [sorted(rows[k:k + 2]) for k in range(0, 8, 2)]
    for first, second in pairs:
        assert first % 2 == 0
        assert second == first + 1
    assert len({first for first, _ in pairs}) == 4


def test_sampler_ranks_take_disjoint_slices(sudoku_dataset):
    puzzles = PuzzleSet(sudoku_dataset, 'train')
    full = TrainSampler(puzzles, 8, seed=5).next_batch()['inputs']
    first = TrainSampler(puzzles, 8, seed=5, rank=0, world_size=2).next_batch()['inputs']
    second = TrainSampler(puzzles, 8, seed=5, rank=1, world_size=2).next_batch()['inputs']
    assert torch.equal(torch.cat([first, second]), full)


def test_curriculum_ceiling_limits_difficulty(tmp_path, sudoku_arrays):
    from training.data import write_split
    inputs, labels = sudoku_arrays
    write_split(str(tmp_path / 'train'), inputs, labels, vocab_size=11)
    puzzles = PuzzleSet(str(tmp_path), 'train')
    sampler = TrainSampler(puzzles, 8, seed=0)
    ceiling = int(np.median(puzzles.puzzle_difficulty))
    sampler.set_ceiling(ceiling)
    for _ in range(5):
        batch = sampler.next_batch()
        assert ((batch['inputs'] == 1).sum(-1) <= ceiling).all()


def test_sudoku_augmentation_keeps_solutions_valid(sudoku_arrays):
    inputs, labels = sudoku_arrays
    rng = np.random.default_rng(0)
    new_inputs, new_labels = augment_sudoku(inputs[:20], labels[:20], rng)
    assert not np.array_equal(new_inputs, inputs[:20])
    for puzzle, solution in zip(new_inputs, new_labels):
        assert valid_sudoku_solution(solution)
        given = puzzle != 1
        assert np.array_equal(puzzle[given], solution[given])


def test_sudoku_augmentation_keeps_ignored_labels(sudoku_arrays):
    inputs, labels = sudoku_arrays
    labels = labels[:1].copy()
    labels[0, 0] = IGNORE_LABEL_ID
    _, new_labels = augment_sudoku(inputs[:1], labels, np.random.default_rng(1))
    assert (new_labels == IGNORE_LABEL_ID).sum() == 1


def test_dihedral_maps_are_the_eight_symmetries():
    maps = dihedral_maps(3)
    assert maps.shape == (8, 9)
    assert len({tuple(m) for m in maps}) == 8
    assert maps[0].tolist() == list(range(9))


def test_maze_augmentation_moves_inputs_and_labels_together():
    side = 5
    inputs = np.random.default_rng(0).integers(1, 5, size=(16, side * side))
    labels = inputs + 10
    new_inputs, new_labels = augment_maze(inputs, labels, np.random.default_rng(3))
    assert np.array_equal(new_labels, new_inputs + 10)
    with pytest.raises(ValueError, match='square grid'):
        augment_maze(inputs[:, :24], labels[:, :24], np.random.default_rng(0))
