"""Evaluate an HRM on held-out puzzles: accuracy after each segment count, under fixed compute
and under Q-head halting, overall and per difficulty band.

    /usr/bin/python3 -m training.evaluate --model public/models/sudoku/model.safetensors \
        --data data/sudoku-easy --json runs/eval.json
    /usr/bin/python3 -m training.evaluate --model runs/sudoku/train_state.pt \
        --puzzle-file public/puzzles/magictour-top1465.txt --limit 200

Metrics, for every segment count s from 1 to M (`--segments`, default the model's
halt_max_steps):
- blank-cell accuracy: correct cells among the labelled cells whose label differs from the input
  (Sudoku blanks, maze path cells), summed over all examples;
- cell accuracy: correct cells among all labelled cells;
- exact accuracy: examples solved. A Sudoku is solved when every labelled cell equals its label.
  A maze is solved when the predicted path is any shortest path from S to G (see
  `is_shortest_maze_path`). The label-exact figure, the authors' metric, is reported beside it.

Fixed compute is the authors' protocol: every example runs s segments. Q-head halting stops an
example after the first segment whose q_halt exceeds q_continue (the rule the ACT wrapper
applies in training, without exploration), or at s segments, and reports the mean number of
segments used. Data sets written by `npm run dataset` carry a difficulty rating per puzzle
(all__ratings.npy: solver backtracks for Sudoku, shortest-path moves for mazes), and the report
is repeated per rating band.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch

from .data import PuzzleSet
from .losses import IGNORE_LABEL_ID
from .model import HrmLossHead
from .puzzle_files import dataset_from_puzzle_file

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

TASKS = ('sudoku', 'maze')

# Maze token ids over the charset '# SGo', shifted by one so that 0 is padding.
MAZE_WALL, MAZE_OPEN, MAZE_START, MAZE_GOAL, MAZE_PATH = 1, 2, 3, 4, 5
MAZE_VOCAB_SIZE = 6

# Sudoku rating bands (solver backtracks, inclusive), the same as the app's `DIFFICULTY_BANDS`
# in src/puzzles/sudoku/difficulty.ts. None means no upper bound.
SUDOKU_BANDS: Tuple[Tuple[str, int, Optional[int]], ...] = (
    ('easy', 0, 0),
    ('medium', 1, 9),
    ('hard', 10, 99),
    ('extreme', 100, None),
)

@dataclass
class Band:
    name: str
    min_rating: Optional[int]  # inclusive; None for the band of all examples
    max_rating: Optional[int]  # inclusive; None for no upper bound


@dataclass
class RowScores:
    """Per-example scores after each segment, for examples [rows] and segments [M]."""

    blank_correct: np.ndarray  # [rows, M] int: correct cells among those to fill in
    blank_total: np.ndarray  # [rows] int: labelled cells whose label differs from the input
    cell_correct: np.ndarray  # [rows, M] int: correct labelled cells
    cell_total: np.ndarray  # [rows] int: labelled cells
    solved: np.ndarray  # [rows, M] bool: solved (any shortest path counts for mazes)
    label_exact: np.ndarray  # [rows, M] bool: every labelled cell equals its label
    halt: np.ndarray  # [rows, M] bool: q_halt > q_continue after that segment

    @property
    def segments(self) -> int:
        return self.solved.shape[1]


# ---------------------------------------------------------------------------------------------
# Maze paths


def maze_side(seq_len: int) -> int:
    side = int(round(seq_len ** 0.5))
    if side * side != seq_len:
        raise ValueError(f'invalid maze seq_len: {seq_len}; a maze is a square grid, so seq_len '
                         'must be a square number')
    return side


def grid_neighbours(cell: int, side: int) -> List[int]:
    row, col = divmod(cell, side)
    neighbours = []
    if row > 0:
        neighbours.append(cell - side)
    if row < side - 1:
        neighbours.append(cell + side)
    if col > 0:
        neighbours.append(cell - 1)
    if col < side - 1:
        neighbours.append(cell + 1)
    return neighbours


def shortest_maze_path_length(inputs: np.ndarray, side: int) -> Optional[int]:
    """Return the moves of a shortest S-to-G path through non-wall cells of a maze input
    [seq_len], by breadth-first search, or None when the maze has no S, no G or no path."""
    starts = np.flatnonzero(inputs == MAZE_START)
    goals = np.flatnonzero(inputs == MAZE_GOAL)
    if starts.size != 1 or goals.size != 1:
        return None
    start, goal = int(starts[0]), int(goals[0])

    distance = {start: 0}
    queue = deque([start])
    while queue:
        cell = queue.popleft()
        if cell == goal:
            return distance[cell]
        for neighbour in grid_neighbours(cell, side):
            if neighbour not in distance and inputs[neighbour] != MAZE_WALL:
                distance[neighbour] = distance[cell] + 1
                queue.append(neighbour)
    return None


def is_shortest_maze_path(predicted: np.ndarray, inputs: np.ndarray, side: int,
                          shortest: Optional[int]) -> bool:
    """Return whether a predicted maze [seq_len] marks a shortest S-to-G path.

    Every unmarked cell must keep its input token (wall, open, S or G), and only open cells may
    be marked. Exactly shortest - 1 cells must be marked, because a path of d moves passes
    d - 1 cells between S and G, and the marked cells must connect S to G. A connected route
    through d - 1 cells is at most d moves long, so the marks form one shortest path, though not
    necessarily the one in the label.
    """
    if shortest is None:
        return False
    marked = predicted == MAZE_PATH
    if not np.array_equal(predicted[~marked], inputs[~marked]):
        return False
    if not np.all(inputs[marked] == MAZE_OPEN):
        return False
    if int(marked.sum()) != shortest - 1:
        return False

    start = int(np.flatnonzero(inputs == MAZE_START)[0])
    goal = int(np.flatnonzero(inputs == MAZE_GOAL)[0])
    seen = {start}
    queue = deque([start])
    while queue:
        cell = queue.popleft()
        if cell == goal:
            return True
        for neighbour in grid_neighbours(cell, side):
            if neighbour not in seen and (marked[neighbour] or neighbour == goal):
                seen.add(neighbour)
                queue.append(neighbour)
    return False


# ---------------------------------------------------------------------------------------------
# Scoring predictions


def score_predictions(predictions: np.ndarray, inputs: np.ndarray, labels: np.ndarray, task: str,
                      maze_shortest: Optional[Sequence[Optional[int]]] = None
                      ) -> Dict[str, np.ndarray]:
    """Score one segment's predictions [rows, seq_len] against inputs and labels [rows, seq_len].

    Labels equal to IGNORE_LABEL_ID are unlabelled and never count. Returns per-row arrays
    blank_correct, blank_total, cell_correct, cell_total, label_exact and solved. For mazes,
    `maze_shortest` gives each row's shortest path length (from `shortest_maze_path_length`).
    """
    if task not in TASKS:
        raise ValueError(f'invalid task: {task!r}; expected one of {", ".join(TASKS)}')
    if predictions.shape != labels.shape or inputs.shape != labels.shape:
        raise ValueError(f'shape mismatch: predictions {predictions.shape}, inputs {inputs.shape}, '
                         f'labels {labels.shape}; expected three equal [rows, seq_len] shapes')

    labelled = labels != IGNORE_LABEL_ID
    to_fill = labelled & (labels != inputs)
    correct = labelled & (predictions == labels)
    cell_correct = correct.sum(-1)
    cell_total = labelled.sum(-1)
    label_exact = cell_correct == cell_total

    if task == 'maze':
        if maze_shortest is None or len(maze_shortest) != labels.shape[0]:
            raise ValueError('maze scoring needs maze_shortest: one shortest path length per row')
        side = maze_side(labels.shape[1])
        solved = np.array([is_shortest_maze_path(predictions[row], inputs[row], side,
                                                 maze_shortest[row])
                           for row in range(labels.shape[0])], dtype=bool)
    else:
        solved = label_exact

    return {
        'blank_correct': (correct & to_fill).sum(-1),
        'blank_total': to_fill.sum(-1),
        'cell_correct': cell_correct,
        'cell_total': cell_total,
        'label_exact': label_exact,
        'solved': solved,
    }


def summarize(scores: RowScores, rows: np.ndarray) -> Dict[str, object]:
    """Aggregate the rows selected by the boolean mask `rows` [examples] into accuracy curves.

    Cell accuracies are summed over cells of all selected examples, so larger puzzles weigh
    more; exact accuracies are fractions of examples. Both curves are lists over segment counts
    1..M; for Q-head halting, entry c caps the run at c segments.
    """
    count = int(rows.sum())
    segments = scores.segments
    blank_total = max(1, int(scores.blank_total[rows].sum()))
    cell_total = max(1, int(scores.cell_total[rows].sum()))

    def curves(blank_correct: np.ndarray, cell_correct: np.ndarray, solved: np.ndarray,
               label_exact: np.ndarray) -> Dict[str, List[float]]:
        # Each argument is [selected rows, M]; the result contains one value per segment count.
        return {
            'blank_cell_accuracy': (blank_correct.sum(0) / blank_total).tolist(),
            'cell_accuracy': (cell_correct.sum(0) / cell_total).tolist(),
            'exact_accuracy': (solved.mean(0) if count else np.zeros(segments)).tolist(),
            'label_exact_accuracy': (label_exact.mean(0) if count else np.zeros(segments)).tolist(),
        }

    fixed = curves(scores.blank_correct[rows], scores.cell_correct[rows], scores.solved[rows],
                   scores.label_exact[rows])

    # Segment index (0-based) at which each row halts when nothing caps it: the first segment
    # with q_halt > q_continue, else the last one.
    halt = scores.halt[rows]
    first_halt = np.where(halt.any(1), halt.argmax(1), segments - 1)  # [selected rows]
    caps = np.arange(segments)  # cap index c - 1 for caps of c = 1..M segments
    used = np.minimum(first_halt[:, None], caps[None, :])  # [selected rows, M]
    picked = {name: np.take_along_axis(getattr(scores, name)[rows], used, axis=1)
              for name in ('blank_correct', 'cell_correct', 'solved', 'label_exact')}
    halting = curves(picked['blank_correct'], picked['cell_correct'], picked['solved'],
                     picked['label_exact'])
    halting['mean_segments'] = ((used + 1).mean(0) if count else np.zeros(segments)).tolist()

    return {'examples': count, 'fixed_compute': fixed, 'q_halting': halting}


# ---------------------------------------------------------------------------------------------
# Running the model


@torch.no_grad()
def run_segments(model: HrmLossHead, batch: Dict[str, torch.Tensor], segments: int,
                 dtype: torch.dtype) -> Tuple[np.ndarray, np.ndarray]:
    """Run `segments` segments from the initial carry, with no halting.

    Returns (predictions [M, rows, seq_len] argmax tokens, halt [M, rows] where q_halt >
    q_continue after that segment).
    """
    inner = model.model.inner
    was_training = model.training
    model.eval()
    previous_dtype = inner.forward_dtype
    inner.set_forward_dtype(dtype)
    try:
        carry = inner.initial_carry(batch['inputs'].shape[0], batch['inputs'].device)
        predictions, halt = [], []
        for _ in range(segments):
            carry, logits, (q_halt, q_continue) = inner(carry, batch)
            predictions.append(logits.argmax(-1).cpu().numpy())
            halt.append((q_halt > q_continue).cpu().numpy())
        return np.stack(predictions), np.stack(halt)
    finally:
        inner.set_forward_dtype(previous_dtype)
        model.train(was_training)


def evaluate_puzzles(model: HrmLossHead, puzzles: PuzzleSet, task: str, segments: int,
                     batch_size: int, limit: Optional[int] = None,
                     dtype: torch.dtype = torch.bfloat16, progress: bool = False) -> RowScores:
    """Run the model on the first `limit` examples of a split (all by default) and score them."""
    total = puzzles.num_examples if limit is None else min(limit, puzzles.num_examples)
    if total == 0:
        raise ValueError(f'no examples to evaluate in {puzzles.root}/{puzzles.split}; pick a split '
                         'with puzzles (the dataset CLI puts --from-file puzzles in test)')
    device = next(model.parameters()).device
    example_puzzle = np.searchsorted(puzzles.puzzle_indices, np.arange(total), side='right') - 1
    side = maze_side(puzzles.metadata.seq_len) if task == 'maze' else 0

    parts: Dict[str, List[np.ndarray]] = {field: [] for field in RowScores.__dataclass_fields__}
    started = time.time()
    for start in range(0, total, batch_size):
        ids = np.arange(start, min(total, start + batch_size))
        batch = puzzles.collate(ids, example_puzzle[ids], len(ids))
        inputs = batch['inputs'].numpy()  # [rows, seq_len]
        labels = batch['labels'].numpy()
        predictions, halt = run_segments(model, {key: value.to(device) for key, value in batch.items()},
                                         segments, dtype)

        shortest = ([shortest_maze_path_length(row, side) for row in inputs]
                    if task == 'maze' else None)
        per_segment = [score_predictions(predictions[s], inputs, labels, task, shortest)
                       for s in range(segments)]
        for field in ('blank_correct', 'cell_correct', 'solved', 'label_exact'):
            parts[field].append(np.stack([scores[field] for scores in per_segment], axis=1))
        parts['blank_total'].append(per_segment[0]['blank_total'])
        parts['cell_total'].append(per_segment[0]['cell_total'])
        parts['halt'].append(halt.T)

        if progress:
            print(f'evaluated {ids[-1] + 1}/{total} examples ({time.time() - started:.0f} s)',
                  file=sys.stderr, flush=True)

    return RowScores(**{field: np.concatenate(values) for field, values in parts.items()})


# ---------------------------------------------------------------------------------------------
# Data sets, ratings and bands


def detect_task(vocab_size: int, seq_len: int) -> str:
    """Tell Sudoku from maze data by vocabulary and sequence length."""
    if vocab_size == 11 and seq_len == 81:
        return 'sudoku'
    side = int(round(seq_len ** 0.5))
    if vocab_size == MAZE_VOCAB_SIZE and side * side == seq_len:
        return 'maze'
    raise ValueError(f'cannot tell the task of a data set with vocab_size {vocab_size} and seq_len '
                     f'{seq_len}: Sudoku has 11 and 81, a maze 6 and a square number; pass --task')


def load_ratings(puzzles: PuzzleSet) -> Optional[np.ndarray]:
    """Return each example's difficulty rating [examples] from <set>__ratings.npy, or None when
    a set of the split has no ratings file (the authors' own data sets have none)."""
    split_dir = os.path.join(puzzles.root, puzzles.split)
    per_puzzle = []
    for set_name in puzzles.metadata.sets:
        path = os.path.join(split_dir, f'{set_name}__ratings.npy')
        if not os.path.isfile(path):
            return None
        per_puzzle.append(np.load(path).astype(np.int64))
    ratings = np.concatenate(per_puzzle)  # [puzzles]
    if ratings.shape[0] != puzzles.puzzle_identifiers.shape[0]:
        raise ValueError(f'invalid ratings in {split_dir}: {ratings.shape[0]} ratings for '
                         f'{puzzles.puzzle_identifiers.shape[0]} puzzles; rebuild the data set')
    example_puzzle = np.searchsorted(puzzles.puzzle_indices, np.arange(puzzles.num_examples),
                                     side='right') - 1
    return ratings[example_puzzle]


def parse_bands(text: str) -> List[Band]:
    """Parse `MIN-MAX,MIN-MAX,MIN-` (inclusive ratings, MAX may be left open) into bands."""
    bands = []
    for part in text.split(','):
        low, separator, high = part.strip().partition('-')
        try:
            min_rating = int(low)
            max_rating = int(high) if high else None
        except ValueError:
            raise ValueError(f'invalid band {part!r}; expected MIN-MAX or MIN- with integer '
                             'ratings, e.g. 0-0,1-9,10-') from None
        if not separator or (max_rating is not None and max_rating < min_rating):
            raise ValueError(f'invalid band {part!r}; expected MIN-MAX with MIN <= MAX, or MIN-')
        name = f'{min_rating}-{max_rating}' if max_rating is not None else f'{min_rating}+'
        bands.append(Band(name, min_rating, max_rating))
    return bands


def default_bands(task: str, ratings: np.ndarray) -> List[Band]:
    """Sudoku: the app's named bands. Mazes: three bands of shortest-path moves with about equal
    example counts, because useful path lengths depend on the maze size."""
    if task == 'sudoku':
        return [Band(name, low, high) for name, low, high in SUDOKU_BANDS]
    edges = np.unique(np.quantile(ratings, [1 / 3, 2 / 3]).round().astype(int))
    lows = [int(ratings.min())] + [int(edge) + 1 for edge in edges]
    highs = [int(edge) for edge in edges] + [int(ratings.max())]
    return [Band(f'path {low}-{high} moves', low, high)
            for low, high in zip(lows, highs) if low <= high]


def band_rows(band: Band, ratings: Optional[np.ndarray], count: int) -> np.ndarray:
    if band.min_rating is None or ratings is None:
        return np.ones(count, dtype=bool)
    rows = ratings[:count] >= band.min_rating
    if band.max_rating is not None:
        rows &= ratings[:count] <= band.max_rating
    return rows


# ---------------------------------------------------------------------------------------------
# Report


def build_report(scores: RowScores, ratings: Optional[np.ndarray], bands: List[Band],
                 task: str) -> Dict[str, object]:
    count = scores.solved.shape[0]
    entries = []
    for band in [Band('all', None, None)] + bands:
        rows = band_rows(band, ratings, count)
        if not rows.any():
            continue
        entry: Dict[str, object] = {'name': band.name, 'min_rating': band.min_rating,
                                    'max_rating': band.max_rating}
        entry.update(summarize(scores, rows))
        entries.append(entry)
    return {'task': task, 'segments': scores.segments, 'examples': count,
            'halting_rule': 'halt after the first segment with q_halt > q_continue',
            'bands': entries}


def format_report(report: Dict[str, object]) -> str:
    """Render a report as Markdown: one table per band, one row per segment count."""
    maze = report['task'] == 'maze'
    lines = [f"{report['examples']} examples, {report['task']}, segments 1..{report['segments']}. "
             'Fixed: every example runs s segments. Halting: stops at the first segment with '
             'q_halt > q_continue, at most s.']
    # Cells to fill in: blanks in a Sudoku, path cells in a maze.
    header = ['s', 'path cells' if maze else 'blank cells', 'all cells', 'exact']
    if maze:
        header.append('label-exact')
    header += ['halting: exact', 'halting: mean segments']
    if maze:
        header.insert(-1, 'halting: label-exact')

    for band in report['bands']:
        lines += ['', f"### {band['name']} ({band['examples']} examples)", '',
                  '| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
        fixed, halting = band['fixed_compute'], band['q_halting']
        for index in range(report['segments']):
            cells = [str(index + 1), percent(fixed['blank_cell_accuracy'][index]),
                     percent(fixed['cell_accuracy'][index]), percent(fixed['exact_accuracy'][index])]
            if maze:
                cells.append(percent(fixed['label_exact_accuracy'][index]))
            cells.append(percent(halting['exact_accuracy'][index]))
            if maze:
                cells.append(percent(halting['label_exact_accuracy'][index]))
            cells.append(f"{halting['mean_segments'][index]:.2f}")
            lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def percent(value: float) -> str:
    return f'{100 * value:.1f}%'


# ---------------------------------------------------------------------------------------------
# Command line


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Evaluate an HRM: accuracy after 1..M segments under fixed compute and '
        'Q-head halting, per difficulty band.')
    parser.add_argument('--model', required=True, help='model.safetensors (or its sharded index '
                        'JSON), an authors\' checkpoint folder (checkpoint + all_config.yaml) or a '
                        'training checkpoint (train_state.pt)')
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument('--data', help='data set folder in the authors\' layout, as written by '
                        '`npm run dataset`')
    source.add_argument('--puzzle-file', help='Sudoku text file, one puzzle per line; solved and '
                        'rated by `npm run dataset -- sudoku --from-file`')
    parser.add_argument('--split', default='test', help='split of --data to evaluate (default test)')
    parser.add_argument('--task', choices=('auto',) + TASKS, default='auto',
                        help='scoring rules (default: from the data set\'s vocab_size and seq_len)')
    parser.add_argument('--segments', type=int, default=None,
                        help='largest segment count M (default: the model\'s halt_max_steps); '
                        'more than in training measures inference-time scaling')
    parser.add_argument('--bands', default=None, help='rating bands as MIN-MAX,...,MIN- (inclusive; '
                        'default: easy/medium/hard/extreme for Sudoku, path-length thirds for mazes)')
    parser.add_argument('--limit', type=int, default=None, help='evaluate the first N examples only')
    parser.add_argument('--batch-size', type=int, default=64, help='examples per forward pass')
    parser.add_argument('--dtype', choices=('bfloat16', 'float32'), default=None,
                        help='activation dtype (default: the model\'s forward_dtype)')
    parser.add_argument('--threads', type=int, default=None, help='torch.set_num_threads value')
    parser.add_argument('--json', help='also write the report to this JSON file')
    args = parser.parse_args(argv)

    for name in ('segments', 'limit', 'batch_size', 'threads'):
        value = getattr(args, name)
        if value is not None and value < 1:
            parser.error(f'invalid --{name.replace("_", "-")}: {value}; expected a positive integer')
    if args.bands is not None:
        try:
            parse_bands(args.bands)
        except ValueError as error:
            parser.error(str(error))
    return args


def evaluate(args: argparse.Namespace, command: Sequence[str]) -> Dict[str, object]:
    """Load the model and the puzzles named by the parsed arguments and build the report."""
    from .checkpoints import load_model

    if args.threads:
        torch.set_num_threads(args.threads)
    model = load_model(args.model)
    model.to('cuda' if torch.cuda.is_available() else 'cpu')
    config = model.config
    segments = args.segments or config.halt_max_steps
    dtype = getattr(torch, args.dtype or config.forward_dtype)

    with tempfile.TemporaryDirectory(prefix='hrm-evaluate-') as scratch:
        root = dataset_from_puzzle_file(args.puzzle_file, scratch) if args.puzzle_file else args.data
        split = 'test' if args.puzzle_file else args.split
        puzzles = PuzzleSet(root, split)
        meta = puzzles.metadata
        if (meta.seq_len, meta.vocab_size) != (config.seq_len, config.vocab_size):
            raise ValueError(f'the model expects seq_len {config.seq_len} and vocab_size '
                             f'{config.vocab_size}, but {root}/{split} has {meta.seq_len} and '
                             f'{meta.vocab_size}; evaluate it on data of the task it was trained on')
        task = detect_task(meta.vocab_size, meta.seq_len) if args.task == 'auto' else args.task
        if task == 'maze':
            maze_side(meta.seq_len)

        ratings = load_ratings(puzzles)
        if ratings is None and args.bands:
            raise ValueError(f'--bands {args.bands} needs ratings, but {root}/{split} has no '
                             '<set>__ratings.npy; rebuild it with `npm run dataset` or drop --bands')
        scores = evaluate_puzzles(model, puzzles, task, segments, args.batch_size, args.limit,
                                  dtype, progress=True)

    bands: List[Band] = []
    if ratings is not None:
        ratings = ratings[:scores.solved.shape[0]]
        bands = parse_bands(args.bands) if args.bands else default_bands(task, ratings)
    report = build_report(scores, ratings, bands, task)
    report.update({'model': args.model, 'data': args.data, 'puzzle_file': args.puzzle_file,
                   'split': split, 'dtype': str(dtype).replace('torch.', ''),
                   'ratings': ratings is not None,
                   'command': ' '.join(['/usr/bin/python3', '-m', 'training.evaluate', *command])})
    return report


def main(argv: Optional[List[str]] = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    report = evaluate(args, argv)
    print(format_report(report))
    if args.json:
        folder = os.path.dirname(args.json)
        if folder:
            os.makedirs(folder, exist_ok=True)
        with open(args.json, 'w') as file:
            json.dump(report, file, indent=2)
            file.write('\n')


if __name__ == '__main__':
    main()
