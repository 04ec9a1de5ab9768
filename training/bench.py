"""Measure training throughput in example-segments per second and write
docs/training-benchmarks.md and docs/training-benchmarks.json.

    nice -n 10 /usr/bin/python3 -m training.bench --threads 2,1

Two modes per model size and dtype:
- `full`: one iteration of training.train's loop, run by the same TrainStep object. It draws a
  batch from the TrainSampler and runs the ACT loss head in training mode: one segment with the
  one-step gradient, plus the extra no-grad segment that gives the Q-continue target. Then it
  back-propagates, sets the learning rate, steps Adam-atan2 and the puzzle-embedding sign-SGD,
  and adds the metrics to the running sums.
- `bare`: one segment from a fresh carry on a fixed batch, the stablemax loss on its logits, the
  one-step backward and an Adam-atan2 step. It skips sampling, the ACT bookkeeping and the
  extra segment.

One step processes `batch_size` example-segments in either mode. Each measurement runs
`--warmup-steps` untimed steps, then timed steps until `--seconds` have passed (at least
`--min-steps`).
Each figure is given per wall-clock second and per second of process CPU time. The CPU share,
CPU time over wall time times threads, shows how much of the cores the benchmark got: well
below 1, other processes took them, and the wall-clock figure understates the machine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional

import numpy as np
import torch

from .config import HrmConfig
from .data import PuzzleSet, TrainSampler, write_split
from .losses import IGNORE_LABEL_ID, LOSS_FUNCTIONS
from .model import HrmLossHead
from .optim import AdamAtan2, SignSgdEmbedding, cosine_lr
from .train import TrainStep, autocast_context, configure_cpu

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUTPUT = os.path.join(REPO_ROOT, 'docs', 'training-benchmarks')

MODES = ('full', 'bare')
DTYPES = ('bfloat16', 'float32')


@dataclass
class ModelSize:
    name: str
    hidden_size: int
    num_heads: int
    H_layers: int
    L_layers: int
    vocab_size: int
    seq_len: int

    def config(self) -> HrmConfig:
        # halt_max_steps only affects which rows halt, not the cost of a step.
        return HrmConfig(vocab_size=self.vocab_size, seq_len=self.seq_len,
                         hidden_size=self.hidden_size, num_heads=self.num_heads,
                         H_layers=self.H_layers, L_layers=self.L_layers, halt_max_steps=8,
                         puzzle_emb_ndim=self.hidden_size)


def model_sizes(args: argparse.Namespace) -> List[ModelSize]:
    """Sudoku (81 cells, 82 positions) at hidden 128 and 256 with 2+2 layers and at the
    authors' released size, then the shipped maze model's size."""
    sizes = [
        ModelSize('sudoku h128 2+2', 128, 4, 2, 2, 11, 81),
        ModelSize('sudoku h256 2+2', 256, 4, 2, 2, 11, 81),
        ModelSize('sudoku h512 4+4 (released size)', 512, 8, 4, 4, 11, 81),
        ModelSize(f'maze {args.maze_size}x{args.maze_size} h{args.maze_hidden_size} '
                  f'{args.maze_layers}+{args.maze_layers}', args.maze_hidden_size, args.maze_heads,
                  args.maze_layers, args.maze_layers, 6, args.maze_size * args.maze_size),
    ]
    if args.sizes:
        selected = [int(index) for index in args.sizes.split(',')]
        sizes = [sizes[index] for index in selected]
    return sizes


def random_dataset(folder: str, size: ModelSize, examples: int, seed: int) -> PuzzleSet:
    """Write a split of random tokens; the cost of a step does not depend on their values."""
    rng = np.random.default_rng(seed)
    inputs = rng.integers(1, size.vocab_size, (examples, size.seq_len))
    labels = rng.integers(1, size.vocab_size, (examples, size.seq_len))
    write_split(os.path.join(folder, 'train'), inputs, labels, size.vocab_size)
    return PuzzleSet(folder, 'train')


def full_loop_step(size: ModelSize, dtype: str, batch_size: int, folder: str
                   ) -> Callable[[], None]:
    """Return a function that runs one iteration of training.train's loop: its TrainStep with
    the cosine learning-rate schedule. Logging, checkpoints and evaluation, which run on timers
    there, are left out."""
    torch.manual_seed(0)
    model = HrmLossHead(size.config(), 'stablemax_cross_entropy')
    model.model.inner.set_forward_dtype(getattr(torch, dtype))
    sampler = TrainSampler(random_dataset(folder, size, 4 * batch_size, seed=0), batch_size, seed=0)
    optimizer = AdamAtan2(model.parameters(), lr=1e-4, betas=(0.9, 0.95), weight_decay=0.1)
    optimizers = [(optimizer, 1e-4),
                  (SignSgdEmbedding(model.model.inner.puzzle_emb, 1e-2, 0.1), 1e-2)]
    train_step = TrainStep(model, model, sampler, optimizers, dtype, torch.device('cpu'),
                           world=None, batch_size=batch_size)
    state = {'step': 0}

    def step() -> None:
        state['step'] += 1
        train_step([cosine_lr(state['step'], base_lr, 200, 10_000) for _, base_lr in optimizers])

    return step


def bare_step(size: ModelSize, dtype: str, batch_size: int, folder: str) -> Callable[[], None]:
    """Return a function that runs one segment, the stablemax loss, backward and Adam-atan2."""
    torch.manual_seed(0)
    model = HrmLossHead(size.config(), 'stablemax_cross_entropy')
    inner = model.model.inner
    inner.set_forward_dtype(getattr(torch, dtype))
    puzzles = random_dataset(folder, size, batch_size, seed=1)
    batch = next(puzzles.test_batches(batch_size))
    optimizer = AdamAtan2(model.parameters(), lr=1e-4, betas=(0.9, 0.95), weight_decay=0.1)
    autocast = autocast_context(torch.device('cpu'), dtype)
    loss_function = LOSS_FUNCTIONS['stablemax_cross_entropy']
    model.train()

    def step() -> None:
        carry = inner.initial_carry(batch_size)
        with autocast:
            _, logits, _ = inner(carry, batch)  # logits [batch, seq_len, vocab_size]
            loss = loss_function(logits, batch['labels'], IGNORE_LABEL_ID).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

    return step


def load_average() -> float:
    with open('/proc/loadavg') as file:
        return float(file.read().split()[0])


def measure(step: Callable[[], None], batch_size: int, seconds: float, min_steps: int,
            threads: int, warmup_steps: int) -> Dict[str, float]:
    # Warm-up: the optimizer state and the heap grow over the first steps. With glibc's malloc
    # kept from trimming (training.train.configure_cpu), the h512 4+4 full step still
    # page-faulted for a second in its second step and stopped by its fourth.
    for _ in range(warmup_steps):
        step()
    load_before = load_average()
    wall_start, cpu_start = time.perf_counter(), time.process_time()
    steps = 0
    while steps < min_steps or time.perf_counter() - wall_start < seconds:
        step()
        steps += 1
    wall = time.perf_counter() - wall_start
    cpu = time.process_time() - cpu_start
    return {
        'steps': steps,
        'seconds': round(wall, 3),
        'example_segments_per_second': round(steps * batch_size / wall, 2),
        'example_segments_per_cpu_second': round(steps * batch_size / cpu, 2),
        'cpu_share': round(cpu / (wall * threads), 3),
        'load_average_before': load_before,
        'load_average_after': load_average(),
        'measured_at': time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()),
    }


def cpu_model() -> str:
    try:
        with open('/proc/cpuinfo') as file:
            for line in file:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown'


def cpu_flags() -> List[str]:
    """Return the vector-extension flags from /proc/cpuinfo that decide bfloat16 matmul speed."""
    try:
        with open('/proc/cpuinfo') as file:
            for line in file:
                if line.startswith('flags'):
                    flags = line.split(':', 1)[1].split()
                    return sorted(flag for flag in flags
                                  if flag.startswith(('avx512_bf16', 'amx', 'avx512f', 'avx2')))
    except OSError:
        pass
    return []


def write_markdown(path: str, report: dict) -> None:
    machine = report['machine']
    times = [result['measured_at'] for result in report['results']]
    lines = [
        '# Training throughput',
        '',
        'Example-segments per second of one training step on CPU, measured by `training/bench.py`.',
        'One step of batch B processes B example-segments. `full` is one iteration of the loop in',
        '`training/train.py`, run by its `TrainStep`: batch sampling, the ACT loss head with its',
        'extra no-grad segment for the Q-continue target, backward, the Adam-atan2 and',
        'puzzle-embedding sign-SGD steps, and metric sums. `bare` is one segment, the stablemax',
        'loss, the one-step backward and an Adam-atan2 step. `bfloat16` runs the forward pass in',
        'bfloat16 under CPU autocast with float32 master weights, as `--precision bfloat16` does',
        'in training. Both modes run with the thread count and glibc malloc settings that',
        '`training.train.configure_cpu` applies in training.',
        '',
        f"- Machine: {machine['cpu_model']}, {machine['cores']} cores visible, CPU flags "
        f"{', '.join(machine['cpu_flags']) or 'none listed'}",
        f"- Software: PyTorch {machine['torch']}, Python {machine['python']}",
        f"- Batch size {report['batch_size']}. Each figure: --warmup-steps untimed steps (default "
        '3), then timed steps for at least the --seconds and --min-steps of its command (default '
        '8 s and 2 steps)',
        f"- Measured: {min(times)} to {max(times)}",
        *[f'- Command: `{command}`' for command in report['commands']],
        '',
        'Figures are example-segments per wall-clock second and per second of process CPU time',
        '(all threads summed). CPU share is CPU time over wall time times threads. Load averages',
        'are the 1-minute figures from /proc/loadavg before and after each measurement, and other',
        'jobs on the machine (training runs, tests) count in them. A CPU share well below 1 beside',
        'a high load marks a figure that other processes slowed down. The per-CPU-second figure',
        'is less affected, but threads that spin while waiting for work also count as CPU time,',
        'so it is an estimate. The full / bare column compares the per-CPU-second figures.',
        '',
        '| model | positions | dtype | mode | threads | per second | per CPU-second | '
        'full / bare | CPU share | load before / after |',
        '|---|---|---|---|---|---|---|---|---|---|',
    ]
    for result in report['results']:
        ratio = ''
        if result['mode'] == 'full':
            bare = next((other for other in report['results']
                         if other['mode'] == 'bare' and other['model'] == result['model']
                         and other['dtype'] == result['dtype']
                         and other['threads'] == result['threads']), None)
            if bare is not None:
                share = (result['example_segments_per_cpu_second']
                         / bare['example_segments_per_cpu_second'])
                ratio = f'{100 * share:.0f}%'
        lines.append(
            f"| {result['model']} | {result['positions']} | {result['dtype']} | {result['mode']} | "
            f"{result['threads']} | "
            f"{result['example_segments_per_second']:.1f} | "
            f"{result['example_segments_per_cpu_second']:.1f} | {ratio} | {result['cpu_share']:.2f} | "
            f"{result['load_average_before']:.2f} / {result['load_average_after']:.2f} |")
    if report.get('notes'):
        lines += ['', report['notes']]
    with open(path, 'w') as file:
        file.write('\n'.join(lines) + '\n')


def recorded_command(argv: List[str]) -> str:
    """Return the command line for the report, with a --notes text shown as a placeholder
    because the text itself follows the table."""
    shown = list(argv)
    for index, value in enumerate(shown):
        if value == '--notes' and index + 1 < len(shown):
            shown[index + 1] = "'<notes below the table>'"
        elif value.startswith('--notes='):
            shown[index] = "--notes='<notes below the table>'"
    return ' '.join(['/usr/bin/python3', '-m', 'training.bench', *shown])


def merge_results(earlier: dict, results: List[dict]) -> List[dict]:
    """Return the figures of an earlier report, in their order, with those measured again in
    `results` replaced and new ones appended."""

    def key(result: dict) -> tuple:
        return result['model'], result['dtype'], result['mode'], result['threads']

    fresh = {key(result): result for result in results}
    merged = [fresh.pop(key(result), result) for result in earlier['results']]
    merged += [result for result in results if key(result) in fresh]
    return merged


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Measure training throughput in example-segments '
                                     'per second and write the benchmark page.')
    parser.add_argument('--threads', default='2', help='comma-separated torch.set_num_threads '
                        'values, each measured in turn (default 2)')
    parser.add_argument('--batch-size', type=int, default=64, help='examples per step (default 64)')
    parser.add_argument('--seconds', type=float, default=8.0,
                        help='minimum timed seconds per figure (default 8)')
    parser.add_argument('--min-steps', type=int, default=2,
                        help='minimum timed steps per figure (default 2)')
    parser.add_argument('--warmup-steps', type=int, default=3,
                        help='untimed steps before each figure (default 3)')
    parser.add_argument('--sizes', default=None, help='comma-separated indices of the model sizes '
                        'to run, 0-3 in the order of the table (default all)')
    parser.add_argument('--modes', default=','.join(MODES), help='comma-separated: full, bare')
    parser.add_argument('--dtypes', default=','.join(DTYPES), help='comma-separated: bfloat16, float32')
    # NOTE: the maze defaults are the maze model trained for the app when this was written: 9x9
    # mazes, hidden 64, 1+1 layers and 4 heads. Update them when that model changes.
    parser.add_argument('--maze-size', type=int, default=9, help='maze side in cells (default 9)')
    parser.add_argument('--maze-hidden-size', type=int, default=64)
    parser.add_argument('--maze-layers', type=int, default=1, help='H_layers and L_layers of the maze model')
    parser.add_argument('--maze-heads', type=int, default=4)
    parser.add_argument('--notes', default='', help='text appended to the Markdown page, e.g. on '
                        'disturbed figures that were measured again')
    parser.add_argument('--update', action='store_true', help='keep the figures already in the '
                        '.json file and replace only those measured again (same model, dtype, mode '
                        'and threads), e.g. to re-measure figures that other processes disturbed')
    parser.add_argument('--out', default=DEFAULT_OUTPUT, help='output path without extension; '
                        '.md and .json are written (default docs/training-benchmarks)')
    args = parser.parse_args(argv)

    for option, values, valid in (('--modes', args.modes, MODES), ('--dtypes', args.dtypes, DTYPES)):
        unknown = [value for value in values.split(',') if value not in valid]
        if unknown:
            parser.error(f'invalid {option} value {", ".join(unknown)}; expected {", ".join(valid)}')
    if args.sizes:
        for index in args.sizes.split(','):
            if not index.isdigit() or int(index) > 3:
                parser.error(f'invalid --sizes entry {index!r}; expected indices 0-3')
    for value in args.threads.split(','):
        if not value.isdigit() or int(value) < 1:
            parser.error(f'invalid --threads entry {value!r}; expected positive integers, e.g. 2,1')
    if args.warmup_steps < 0:
        parser.error(f'invalid --warmup-steps: {args.warmup_steps}; expected 0 or more')
    for name in ('batch_size', 'min_steps', 'maze_size', 'maze_hidden_size',
                 'maze_layers', 'maze_heads'):
        if getattr(args, name) < 1:
            parser.error(f'invalid --{name.replace("_", "-")}: {getattr(args, name)}; '
                         'expected a positive integer')
    return args


def main(argv: Optional[List[str]] = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    thread_counts = [int(value) for value in args.threads.split(',')]
    builders = {'full': full_loop_step, 'bare': bare_step}

    earlier = None
    if args.update and os.path.isfile(args.out + '.json'):
        with open(args.out + '.json') as file:
            earlier = json.load(file)
        if earlier['batch_size'] != args.batch_size:
            raise SystemExit(f"--update: {args.out}.json was measured at batch size "
                             f"{earlier['batch_size']}, not {args.batch_size}; pass "
                             f"--batch-size {earlier['batch_size']} or drop --update")

    results = []
    with tempfile.TemporaryDirectory(prefix='hrm-bench-') as scratch:
        for size in model_sizes(args):
            config = size.config()
            for dtype in args.dtypes.split(','):
                for mode, threads in itertools.product(args.modes.split(','), thread_counts):
                    configure_cpu(threads)
                    folder = os.path.join(scratch, f'{len(results)}')
                    step = builders[mode](size, dtype, args.batch_size, folder)
                    figures = measure(step, args.batch_size, args.seconds, args.min_steps, threads,
                                      args.warmup_steps)
                    result = {'model': size.name, 'hidden_size': size.hidden_size,
                              'num_heads': size.num_heads, 'H_layers': size.H_layers,
                              'L_layers': size.L_layers, 'positions': config.positions,
                              'dtype': dtype, 'mode': mode, 'threads': threads, **figures}
                    results.append(result)
                    print(f"{size.name:34s} {dtype:8s} {mode:4s} {threads} threads "
                          f"{figures['example_segments_per_second']:8.1f} example-segments/s, "
                          f"{figures['example_segments_per_cpu_second']:8.1f} per CPU-second "
                          f"(cpu share {figures['cpu_share']:.2f}, load "
                          f"{figures['load_average_before']:.2f})", flush=True)

    commands = [recorded_command(argv)]
    notes = args.notes
    if earlier is not None:
        results = merge_results(earlier, results)
        commands = earlier['commands'] + commands
        notes = notes or earlier['notes']

    report = {
        'machine': {'cpu_model': cpu_model(), 'cores': os.cpu_count(), 'cpu_flags': cpu_flags(),
                    'torch': torch.__version__, 'python': platform.python_version()},
        'commands': commands,
        'batch_size': args.batch_size, 'notes': notes, 'results': results,
    }
    folder = os.path.dirname(args.out)
    if folder:
        os.makedirs(folder, exist_ok=True)
    with open(args.out + '.json', 'w') as file:
        json.dump(report, file, indent=2)
        file.write('\n')
    write_markdown(args.out + '.md', report)


if __name__ == '__main__':
    main()
