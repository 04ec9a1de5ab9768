"""Held-out accuracy per segment count, with fixed compute (no halting), as the authors evaluate.

`python -m training.accuracy --model public/models/sudoku-h128/model.safetensors --data data/x`
prints a table of cell accuracy on the cells to fill in and exact accuracy after 1..N segments,
overall and per difficulty band.
"""

from __future__ import annotations

import argparse
import json
from typing import Dict, Iterable, List, Optional

import numpy as np
import torch

from .losses import IGNORE_LABEL_ID
from .model import HrmLossHead


@torch.no_grad()
def segment_predictions(model: HrmLossHead, batch: Dict[str, torch.Tensor], segments: int,
                        dtype: torch.dtype = torch.bfloat16) -> List[torch.Tensor]:
    """Run `segments` segments from the initial carry; return argmax predictions [batch, seq_len] per segment."""
    inner = model.model.inner
    inner.eval()
    previous = inner.forward_dtype
    inner.set_forward_dtype(dtype)
    try:
        carry = inner.initial_carry(batch['inputs'].shape[0], batch['inputs'].device)
        predictions = []
        for _ in range(segments):
            carry, logits, _ = inner(carry, batch)
            predictions.append(logits.argmax(-1))
        return predictions
    finally:
        inner.set_forward_dtype(previous)


@torch.no_grad()
def measure(model: HrmLossHead, batches: Iterable[Dict[str, torch.Tensor]], segments: int,
            difficulty_bands: Optional[List[tuple]] = None,
            dtype: torch.dtype = torch.bfloat16) -> Dict[str, dict]:
    """Return {band name: {'puzzles': n, 'cell_accuracy': [per segment], 'exact': [per segment]}}.

    cell_accuracy counts only labelled cells whose label differs from the input (the cells to
    fill in); exact requires every labelled cell right. Padding rows are skipped.
    """
    bands = [('all', 0, 1 << 30)] + [(f'{lo}-{hi}', lo, hi) for lo, hi in (difficulty_bands or [])]
    totals = {name: {'puzzles': 0, 'cells': 0, 'cell_correct': np.zeros(segments),
                     'exact': np.zeros(segments)} for name, _, _ in bands}
    for batch in batches:
        labels = batch['labels']
        mask = labels != IGNORE_LABEL_ID
        real = mask.any(-1)
        changed = mask & (labels != batch['inputs'])
        difficulty = changed.sum(-1)
        predictions = segment_predictions(model, batch, segments, dtype)
        for name, lo, hi in bands:
            rows = real & (difficulty >= lo) & (difficulty <= hi)
            if not rows.any():
                continue
            total = totals[name]
            total['puzzles'] += int(rows.sum())
            total['cells'] += int(changed[rows].sum())
            for s, predicted in enumerate(predictions):
                correct = (predicted == labels) & mask
                total['cell_correct'][s] += int((correct & changed)[rows].sum())
                exact = (correct.sum(-1) == mask.sum(-1)) & rows
                total['exact'][s] += int(exact.sum())

    result = {}
    for name, total in totals.items():
        if total['puzzles'] == 0:
            continue
        result[name] = {
            'puzzles': total['puzzles'],
            'cell_accuracy': (total['cell_correct'] / max(1, total['cells'])).round(4).tolist(),
            'exact': (total['exact'] / total['puzzles']).round(4).tolist(),
        }
    return result


def format_table(results: Dict[str, dict], segment_columns: Iterable[int]) -> str:
    """Render results as a Markdown table: one row per band, cell/exact accuracy per segment count."""
    columns = list(segment_columns)
    header = '| band | puzzles | ' + ' | '.join(f'{s} seg cell / exact' for s in columns) + ' |'
    lines = [header, '|' + '---|' * (len(columns) + 2)]
    for name, row in results.items():
        cells = [f"{100 * row['cell_accuracy'][s - 1]:.1f}% / {100 * row['exact'][s - 1]:.1f}%"
                 for s in columns]
        lines.append(f"| {name} | {row['puzzles']} | " + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def parse_bands(text: str) -> List[tuple]:
    bands = []
    for part in text.split(','):
        lo, _, hi = part.partition('-')
        if not lo.isdigit() or not hi.isdigit():
            raise ValueError(f'invalid band {part!r}; expected MIN-MAX, e.g. 20-40')
        bands.append((int(lo), int(hi)))
    return bands


def main(argv: Optional[List[str]] = None) -> None:
    from .checkpoints import load_model
    from .data import PuzzleSet
    from .puzzle_files import sudoku_file_batches

    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--model', required=True, help='model.safetensors, a training checkpoint '
                        'or an authors\' checkpoint folder')
    parser.add_argument('--data', help='dataset folder; its test split is measured')
    parser.add_argument('--sudoku-file', help='text file of Sudoku puzzles, one per line '
                        '(parsed and solved by the TypeScript dataset CLI)')
    parser.add_argument('--limit', type=int, default=None, help='measure at most this many puzzles')
    parser.add_argument('--segments', type=int, default=16, help='segments to run (default 16)')
    parser.add_argument('--bands', default='', help='difficulty bands as MIN-MAX,MIN-MAX: cells '
                        'to fill in (Sudoku blanks, maze path cells)')
    parser.add_argument('--batch-size', type=int, default=128)
    parser.add_argument('--threads', type=int, default=None, help='torch.set_num_threads value')
    parser.add_argument('--dtype', choices=('bfloat16', 'float32'), default='bfloat16')
    parser.add_argument('--json', help='also write the results to this JSON file')
    args = parser.parse_args(argv)

    if args.threads:
        torch.set_num_threads(args.threads)
    if (args.data is None) == (args.sudoku_file is None):
        parser.error('pass exactly one of --data and --sudoku-file')
    model = load_model(args.model)
    if args.data:
        batches = PuzzleSet(args.data, 'test').test_batches(args.batch_size, args.limit)
    else:
        batches = sudoku_file_batches(args.sudoku_file, args.batch_size, args.limit)
    bands = parse_bands(args.bands) if args.bands else None
    results = measure(model, batches, args.segments, bands, getattr(torch, args.dtype))
    print(format_table(results, range(1, args.segments + 1)))
    if args.json:
        with open(args.json, 'w') as file:
            json.dump(results, file, indent=2)


if __name__ == '__main__':
    main()
