"""Write MODEL_CARD.md for a trained model from its run folder and measured accuracy files.

    /usr/bin/python3 -m training.model_card --run runs/sudoku --model-id sudoku-h64 --task sudoku \
        --results "generated test set=runs/sudoku/acc-test.json" ... --out public/models/sudoku-h64/MODEL_CARD.md

Each results file is the JSON that `python -m training.accuracy --json` writes; each report
file is Markdown (for example the output of `python -m training.evaluate`), copied verbatim.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import Dict, List, Optional

import torch

HARDWARE = ('a shared 2-core x86-64 CPU (AVX-512, AMX), Debian PyTorch 1.13 CPU build, one '
            'thread per run and bfloat16 activations; other jobs used most of the cores during '
            'the run, so the wall time overstates what the run needs')


def per_segment_table(results: Dict[str, dict], segments: int) -> str:
    """Render a Markdown table: one row per segment count, one column per evaluation set."""
    names = list(results)
    lines = ['| segments | ' + ' | '.join(names) + ' |', '|---|' + '---|' * len(names)]
    for s in range(1, segments + 1):
        cells = []
        for name in names:
            row = results[name]['all']
            cells.append(f"{100 * row['cell_accuracy'][s - 1]:.1f}% / {100 * row['exact'][s - 1]:.1f}%")
        lines.append(f'| {s} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def band_table(results: Dict[str, dict], segments: int) -> str:
    """Render a Markdown table: one row per (evaluation set, band) after `segments` segments."""
    lines = ['| set | band (cells to fill) | puzzles | cell accuracy | exact |', '|---|---|---|---|---|']
    for name, bands in results.items():
        for band, row in bands.items():
            lines.append(f"| {name} | {band} | {row['puzzles']} | "
                         f"{100 * row['cell_accuracy'][segments - 1]:.1f}% | "
                         f"{100 * row['exact'][segments - 1]:.1f}% |")
    return '\n'.join(lines)


def accuracy_section(results: Dict[str, dict], segments: int) -> str:
    """Render the tables of training.accuracy results, or nothing when there are none."""
    if not results:
        return ''
    return (f'Measured with `python -m training.accuracy`; "cell" counts only the cells to fill '
            f'in (Sudoku blanks, maze path cells). Each entry: cell accuracy / exact accuracy.\n\n'
            f'{per_segment_table(results, segments)}\n\n'
            f'Per difficulty band after {segments} segments:\n\n{band_table(results, segments)}\n\n')


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description='Write a model card for a trained HRM.')
    parser.add_argument('--run', required=True, action='append',
                        help='run folder with train_state.pt; repeat it for a run in phases, '
                        'oldest first (the config comes from the last one)')
    parser.add_argument('--model-id', required=True)
    parser.add_argument('--title', required=True)
    parser.add_argument('--task', choices=('sudoku', 'maze'), required=True)
    parser.add_argument('--data-description', required=True, help='how the training data was made')
    parser.add_argument('--command', required=True, help='the exact training command')
    parser.add_argument('--results', action='append', default=[], metavar='NAME=PATH',
                        help='an accuracy JSON written by training.accuracy --json')
    parser.add_argument('--report', action='append', default=[], metavar='TITLE=PATH',
                        help='a Markdown accuracy report to include under its own heading')
    parser.add_argument('--notes', default='', help='extra Markdown appended under "Limits"')
    parser.add_argument('--out', required=True)
    args = parser.parse_args(argv)

    states = [torch.load(os.path.join(run, 'train_state.pt'), map_location='cpu') for run in args.run]
    state = states[-1]
    config = state['config']
    steps = sum(phase['step'] for phase in states)
    example_segments = sum(phase['example_segments'] for phase in states)
    minutes = sum(phase['elapsed'] for phase in states) / 60
    results = {}
    for item in args.results:
        name, _, path = item.partition('=')
        with open(path) as file:
            results[name] = json.load(file)
    segments = len(next(iter(results.values()))['all']['exact']) if results else 0
    reports = []
    for item in args.report:
        title, _, path = item.partition('=')
        with open(path) as file:
            body = file.read().strip()

        # Nest the report's own headings one level below the report's title.
        body = '\n'.join('#' + line if line.startswith('#') else line for line in body.split('\n'))
        reports.append(f'### {title}\n\n{body}\n')
    parameters = sum(value.numel() for key, value in state['model'].items()
                     if not key.endswith('_init') and 'puzzle_emb' not in key)

    text = f"""# {args.title}

An HRM (Hierarchical Reasoning Model, Wang et al. 2025, arXiv 2506.21734) trained on a CPU for
HRM Playground. Same blocks, recurrence and checkpoint layout as the authors' model; only the
size and the training recipe differ. Model id `{args.model_id}`, task `{args.task}`.

## Architecture

| field | value |
|---|---|
""" + '\n'.join(f'| `{key}` | {value} |' for key, value in sorted(config.items())) + f"""

{parameters} trained parameters (plus the puzzle embedding and H_init/L_init). Weights are
stored in bfloat16 in `model.safetensors`; the config is in its `hrm_config` metadata.

## Training

- Data: {args.data_description}
- Steps: {steps}; example-segments seen: {example_segments}
  (one example-segment = one puzzle run through one segment with a gradient step).
- Wall time: {minutes:.0f} minutes on {HARDWARE}.
- Command:

```
{args.command}
```

## Accuracy on held-out puzzles

Measured on test splits the model never trained on. "Fixed" runs every puzzle for s segments
from the initial state with no halting (the authors' evaluation); halting, where reported,
stops a puzzle at the first segment with q_halt > q_continue.

{accuracy_section(results, segments)}{chr(10).join(reports)}

## Continue training

```
/usr/bin/python3 -m training.train --data <dataset folder> --out runs/<name> \\
    --init-from public/models/{args.model_id}/model.safetensors --minutes 60 ...
```

`--init-from` starts from these weights (bfloat16 values, so training continues from a copy
rounded to bfloat16); pass the same `--augment` and recipe options as the command above.

## Limits

{args.notes}
"""
    os.makedirs(os.path.dirname(args.out) or '.', exist_ok=True)
    with open(args.out, 'w') as file:
        file.write(text)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
