import json
import subprocess

import numpy as np
import pytest
import torch

from training import evaluate
from training.accuracy import segment_predictions
from training.checkpoints import save_authors_checkpoint, save_safetensors_model
from training.data import PuzzleSet, write_split
from training.evaluate import (MAZE_GOAL, MAZE_OPEN, MAZE_PATH, MAZE_START, MAZE_WALL, RowScores,
                               default_bands, is_shortest_maze_path, parse_bands, score_predictions,
                               shortest_maze_path_length, summarize)
from training.losses import IGNORE_LABEL_ID
from training.model import HrmLossHead

from .conftest import EASY_SUDOKU, REPO_ROOT, small_config

# A 4x4 maze with two shortest paths of 5 moves from S (0, 0) to G (2, 3), around the wall at
# (1, 1): right-right-down-down-right and down-down-right-right-right.
MAZE_ROWS = ('S  #',
             ' # #',
             '   G',
             '####')
CHAR_TOKENS = {'#': MAZE_WALL, ' ': MAZE_OPEN, 'S': MAZE_START, 'G': MAZE_GOAL, 'o': MAZE_PATH}


def maze_tokens(rows) -> np.ndarray:
    return np.array([CHAR_TOKENS[ch] for row in rows for ch in row], dtype=np.int32)


def marked_maze(cells) -> np.ndarray:
    """The 4x4 maze's tokens with the (row, col) cells marked as path."""
    tokens = maze_tokens(MAZE_ROWS)
    for row, col in cells:
        tokens[row * 4 + col] = MAZE_PATH
    return tokens


LABEL_PATH = [(0, 1), (0, 2), (1, 2), (2, 2)]
OTHER_SHORTEST_PATH = [(1, 0), (2, 0), (2, 1), (2, 2)]


def test_maze_shortest_length_by_bfs():
    assert shortest_maze_path_length(maze_tokens(MAZE_ROWS), 4) == 5

    walled_in = maze_tokens(('S# #', '## #', '   G', '####'))
    assert shortest_maze_path_length(walled_in, 4) is None


def test_maze_alternative_shortest_path_counts():
    inputs = maze_tokens(MAZE_ROWS)
    label = marked_maze(LABEL_PATH)
    alternative = marked_maze(OTHER_SHORTEST_PATH)

    assert is_shortest_maze_path(label, inputs, 4, 5)
    assert is_shortest_maze_path(alternative, inputs, 4, 5)

    scores = score_predictions(alternative[None], inputs[None], label[None], 'maze', [5])
    assert scores['solved'].tolist() == [True]
    assert scores['label_exact'].tolist() == [False]


@pytest.mark.parametrize('name, prediction', [
    ('gap in the path', marked_maze([(0, 1), (0, 2), (2, 1), (2, 2)])),
    ('path through a wall', marked_maze([(0, 1), (1, 1), (2, 1), (2, 2)])),
    ('extra mark', marked_maze(LABEL_PATH + [(2, 1)])),
    ('missing mark', marked_maze(LABEL_PATH[:-1])),
    ('start overwritten', marked_maze([(0, 0)] + LABEL_PATH)),
    ('wall opened', np.where(np.arange(16) == 3, MAZE_OPEN, marked_maze(LABEL_PATH))),
])
def test_maze_broken_path_is_wrong(name, prediction):
    inputs = maze_tokens(MAZE_ROWS)
    assert not is_shortest_maze_path(prediction, inputs, 4, 5), name


def test_maze_longer_route_is_wrong():
    # Open maze where S-G is 2 moves straight down; a 4-move detour is connected but not shortest.
    inputs = maze_tokens(('S  #', '   #', 'G  #', '####'))
    detour = inputs.copy()
    for cell in (1, 5, 9):  # (0, 1), (1, 1), (2, 1)
        detour[cell] = MAZE_PATH
    assert shortest_maze_path_length(inputs, 4) == 2
    assert not is_shortest_maze_path(detour, inputs, 4, 2)


def test_sudoku_cell_and_exact_scores():
    inputs = np.array([[1, 3, 1, 5], [2, 1, 1, 4]])  # blanks are token 1
    labels = np.array([[2, 3, 4, 5], [2, 3, 5, IGNORE_LABEL_ID]])
    predictions = np.array([[2, 3, 4, 5], [2, 3, 7, 9]])

    scores = score_predictions(predictions, inputs, labels, 'sudoku')

    assert scores['blank_total'].tolist() == [2, 2]
    assert scores['blank_correct'].tolist() == [2, 1]
    assert scores['cell_total'].tolist() == [4, 3]
    assert scores['cell_correct'].tolist() == [4, 2]
    assert scores['solved'].tolist() == [True, False]
    assert scores['label_exact'].tolist() == [True, False]


def test_score_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match='shape mismatch'):
        score_predictions(np.zeros((2, 4)), np.zeros((2, 4)), np.zeros((2, 5)), 'sudoku')
    with pytest.raises(ValueError, match='invalid task'):
        score_predictions(np.zeros((2, 4)), np.zeros((2, 4)), np.zeros((2, 4)), 'chess')


def test_summary_fixed_compute_and_halting():
    # Row 0 is right only after segment 2 and halts there; row 1 is right only after segment 3
    # and never halts. Each row has 4 cells, 2 of them blank.
    scores = RowScores(
        blank_correct=np.array([[0, 2, 1], [1, 1, 2]]),
        blank_total=np.array([2, 2]),
        cell_correct=np.array([[2, 4, 3], [3, 3, 4]]),
        cell_total=np.array([4, 4]),
        solved=np.array([[False, True, False], [False, False, True]]),
        label_exact=np.array([[False, True, False], [False, False, True]]),
        halt=np.array([[False, True, False], [False, False, False]]),
    )

    summary = summarize(scores, np.array([True, True]))
    fixed, halting = summary['fixed_compute'], summary['q_halting']

    assert summary['examples'] == 2
    assert fixed['exact_accuracy'] == [0.0, 0.5, 0.5]
    assert fixed['blank_cell_accuracy'] == [0.25, 0.75, 0.75]
    assert fixed['cell_accuracy'] == [0.625, 0.875, 0.875]
    assert halting['mean_segments'] == [1.0, 2.0, 2.5]
    assert halting['exact_accuracy'] == [0.0, 0.5, 1.0]
    assert halting['blank_cell_accuracy'] == [0.25, 0.75, 1.0]

    only_second = summarize(scores, np.array([False, True]))
    assert only_second['examples'] == 1
    assert only_second['q_halting']['mean_segments'] == [1.0, 2.0, 3.0]


def test_bands_parse_and_defaults():
    bands = parse_bands('0-0,1-9,10-')
    assert [(band.name, band.min_rating, band.max_rating) for band in bands] == [
        ('0-0', 0, 0), ('1-9', 1, 9), ('10+', 10, None)]
    for text in ('5', 'a-b', '9-1'):
        with pytest.raises(ValueError, match='invalid band'):
            parse_bands(text)

    assert [band.name for band in default_bands('sudoku', np.array([0]))] == [
        'easy', 'medium', 'hard', 'extreme']
    maze_bands = default_bands('maze', np.arange(10, 40))
    assert [(band.min_rating, band.max_rating) for band in maze_bands] == [(10, 20), (21, 29), (30, 39)]


def test_model_predictions_match_accuracy_module(sudoku_dataset):
    torch.manual_seed(0)
    model = HrmLossHead(small_config(halt_max_steps=3))
    puzzles = PuzzleSet(sudoku_dataset, 'test')
    batch = next(puzzles.test_batches(4))

    predictions, halt = evaluate.run_segments(model, batch, 3, torch.float32)
    reference = segment_predictions(model, batch, 3, torch.float32)

    assert predictions.shape == (3, 4, 81)
    assert halt.shape == (3, 4)
    for segment in range(3):
        assert np.array_equal(predictions[segment], reference[segment].numpy())


def write_tiny_model(path: str, **overrides) -> None:
    torch.manual_seed(0)
    model = HrmLossHead(small_config(**overrides))
    save_safetensors_model(model, path)


def write_maze_folder(root) -> None:
    """Write a test split of the 4x4 maze and its mirror image, with a ratings file."""
    inputs = np.stack([maze_tokens(MAZE_ROWS), maze_tokens(MAZE_ROWS)[::-1]])
    labels = np.stack([marked_maze(LABEL_PATH), marked_maze(LABEL_PATH)[::-1]])
    write_split(str(root / 'test'), inputs, labels, vocab_size=6)
    np.save(root / 'test' / 'all__ratings.npy', np.array([5, 5], dtype=np.int32))


def test_cli_on_maze_folder(tmp_path):
    root = tmp_path / 'maze'
    write_maze_folder(root)
    model_path = str(tmp_path / 'maze.safetensors')
    write_tiny_model(model_path, vocab_size=6, seq_len=16, halt_max_steps=2)
    report_path = tmp_path / 'report.json'

    evaluate.main(['--model', model_path, '--data', str(root), '--segments', '3',
                   '--json', str(report_path), '--bands', '0-4,5-'])

    report = json.loads(report_path.read_text())
    assert report['task'] == 'maze'
    assert report['segments'] == 3
    assert report['ratings'] is True
    assert [band['name'] for band in report['bands']] == ['all', '5+']
    assert len(report['bands'][0]['fixed_compute']['label_exact_accuracy']) == 3
    assert report['bands'][0]['q_halting']['mean_segments'][0] == 1.0


@pytest.mark.parametrize('model_format', ['authors', 'train_state'])
def test_cli_loads_model_formats(tmp_path, model_format):
    root = tmp_path / 'maze'
    write_maze_folder(root)
    torch.manual_seed(0)
    model = HrmLossHead(small_config(vocab_size=6, seq_len=16, halt_max_steps=2))
    if model_format == 'authors':
        model_path = str(tmp_path / 'authors')
        save_authors_checkpoint(model, model_path)
    else:
        model_path = str(tmp_path / 'train_state.pt')
        torch.save({'model': model.state_dict(), 'config': model.config.to_dict()}, model_path)
    report_path = tmp_path / 'report.json'

    evaluate.main(['--model', model_path, '--data', str(root), '--json', str(report_path)])

    report = json.loads(report_path.read_text())
    assert report['examples'] == 2
    assert report['segments'] == 2


def test_cli_rejects_model_of_other_task(tmp_path, sudoku_dataset):
    model_path = str(tmp_path / 'maze.safetensors')
    write_tiny_model(model_path, vocab_size=6, seq_len=16)
    with pytest.raises(ValueError, match='seq_len 16'):
        evaluate.main(['--model', model_path, '--data', sudoku_dataset])


def test_cli_on_puzzle_file(tmp_path, capsys):
    puzzle_file = tmp_path / 'three.txt'
    lines = [line for line in open(EASY_SUDOKU).read().splitlines() if line.strip()][:3]
    puzzle_file.write_text('\n'.join(lines) + '\n')
    model_path = str(tmp_path / 'sudoku.safetensors')
    write_tiny_model(model_path, halt_max_steps=2)
    report_path = tmp_path / 'report.json'

    evaluate.main(['--model', model_path, '--puzzle-file', str(puzzle_file),
                   '--json', str(report_path)])

    report = json.loads(report_path.read_text())
    assert report['task'] == 'sudoku'
    assert report['examples'] == 3
    assert report['bands'][0]['name'] == 'all'
    assert '### all (3 examples)' in capsys.readouterr().out


def test_generated_maze_labels_are_shortest_paths(tmp_path):
    folder = tmp_path / 'mazes'
    subprocess.run(['npm', 'run', '--silent', 'dataset', '--', 'maze', '--out', str(folder),
                    '--size', '9', '--train', '1', '--test', '12', '--seed', '5'],
                   cwd=REPO_ROOT, check=True, capture_output=True)
    inputs = np.load(folder / 'test' / 'all__inputs.npy').astype(np.int32)
    labels = np.load(folder / 'test' / 'all__labels.npy').astype(np.int32)
    ratings = np.load(folder / 'test' / 'all__ratings.npy')

    for row in range(inputs.shape[0]):
        shortest = shortest_maze_path_length(inputs[row], 9)
        assert shortest == ratings[row], f'maze {row}'
        assert is_shortest_maze_path(labels[row], inputs[row], 9, shortest), f'maze {row}'


def test_parse_args_rejects_bad_values():
    with pytest.raises(SystemExit):
        evaluate.parse_args(['--model', 'm', '--data', 'd', '--segments', '0'])
    with pytest.raises(SystemExit):
        evaluate.parse_args(['--model', 'm', '--data', 'd', '--puzzle-file', 'p'])
    with pytest.raises(SystemExit):
        evaluate.parse_args(['--model', 'm', '--data', 'd', '--bands', '3-1'])
