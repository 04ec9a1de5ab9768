"""Train an HRM on a puzzle dataset folder.

    /usr/bin/python3 -m training.train --data data/sudoku-b5-60 --augment sudoku --out runs/sudoku \
        --hidden-size 64 --num-heads 4 --H-layers 1 --L-layers 1 --minutes 60

Runs on CPU (bfloat16 autocast) or CUDA; under torchrun it trains data-parallel (gloo on CPU,
nccl on CUDA). Progress goes to stdout and <out>/log.txt; a training checkpoint is written to
<out>/train_state.pt every few minutes and the final weights to <out>/model.safetensors.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import math
import os
import sys
import time
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.distributed as dist

from .accuracy import measure
from .augment import AUGMENTATIONS
from .checkpoints import load_model, save_safetensors_model
from .config import HrmConfig
from .data import PuzzleSet, TrainSampler
from .model import GRAD_MODES, ActCarry, HrmLossHead, InnerCarry
from .optim import AdamAtan2, SignSgdEmbedding, cosine_lr

LOSS_NAMES = {'stablemax': 'stablemax_cross_entropy', 'softmax': 'softmax_cross_entropy'}


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train an HRM on a puzzle dataset folder.')
    data = parser.add_argument_group('data')
    data.add_argument('--data', required=True, help='dataset folder with train/ and test/')
    data.add_argument('--out', required=True, help='run folder for log.txt, checkpoints and weights')
    data.add_argument('--augment', choices=('none',) + tuple(AUGMENTATIONS), default='none',
                      help='augmentation applied at load time (default none)')
    data.add_argument('--curriculum', default=None, metavar='START:END[:FRACTION]',
                      help='difficulty ceiling (cells to fill in) rising linearly from START to '
                      'END over FRACTION of training (default 0.7); groups above it are skipped')
    data.add_argument('--curriculum-adaptive', type=float, default=None, metavar='ACCURACY',
                      help='also raise the ceiling by --curriculum-increment whenever the training '
                      'accuracy on cells to fill over one log interval reaches ACCURACY')
    data.add_argument('--curriculum-increment', type=int, default=5)

    arch = parser.add_argument_group('architecture (HRM config fields)')
    arch.add_argument('--hidden-size', type=int, default=128)
    arch.add_argument('--num-heads', type=int, default=4)
    arch.add_argument('--expansion', type=float, default=4.0)
    arch.add_argument('--H-layers', type=int, default=2)
    arch.add_argument('--L-layers', type=int, default=2)
    arch.add_argument('--H-cycles', type=int, default=2)
    arch.add_argument('--L-cycles', type=int, default=2)
    arch.add_argument('--halt-max-steps', type=int, default=None,
                      help='maximum segments per puzzle in training (default 8); with --init-from '
                      'it replaces the loaded value, because it changes no weight')
    arch.add_argument('--halt-exploration-prob', type=float, default=None,
                      help='ACT exploration probability (default 0.1); may also replace the '
                      'loaded value with --init-from')
    arch.add_argument('--pos-encodings', choices=('rope', 'learned'), default='rope')
    arch.add_argument('--puzzle-emb-ndim', type=int, default=None,
                      help='puzzle embedding width (default hidden size; 0 disables it)')
    arch.add_argument('--pos-init', choices=('random', 'grid', 'sudoku'), default='random',
                      help='initial learned positions (needs --pos-encodings learned): random '
                      '(HRM), grid (sum of a row and a column vector per cell of a square grid), '
                      'sudoku (row + column + 3x3 box vector)')

    train = parser.add_argument_group('training')
    train.add_argument('--init-from', default=None, help='start from these weights (an exported '
                       'model.safetensors, a training checkpoint or an authors\' checkpoint folder)')
    train.add_argument('--resume', action='store_true', help='continue from <out>/train_state.pt')
    train.add_argument('--batch-size', type=int, default=64, help='global batch size')
    train.add_argument('--loss', choices=tuple(LOSS_NAMES), default='stablemax')
    train.add_argument('--optimizer', choices=('adam-atan2', 'adamw'), default='adam-atan2')
    train.add_argument('--lr', type=float, default=1e-4)
    train.add_argument('--lr-min-ratio', type=float, default=1.0,
                       help='final lr as a fraction of --lr for the cosine decay (1.0 = constant)')
    train.add_argument('--warmup-steps', type=int, default=200)
    train.add_argument('--weight-decay', type=float, default=0.1)
    train.add_argument('--puzzle-emb-lr', type=float, default=1e-2)
    train.add_argument('--puzzle-emb-weight-decay', type=float, default=0.1)
    train.add_argument('--grad-mode', choices=GRAD_MODES, default='one_step',
                       help='one_step: gradient through the last L and H update only (HRM); '
                       'last_segment: through every update of the segment')
    train.add_argument('--copy-cell-weight', type=float, default=1.0,
                       help='loss weight of cells whose label equals the input (givens)')
    train.add_argument('--max-steps', type=int, default=None, help='stop after this many steps')
    train.add_argument('--minutes', type=float, default=None, help='stop after this much wall time')
    train.add_argument('--precision', choices=('bfloat16', 'float32'), default='bfloat16',
                       help='activation dtype (parameters stay float32)')
    train.add_argument('--threads', type=int, default=None, help='torch.set_num_threads value')
    train.add_argument('--seed', type=int, default=0)
    train.add_argument('--checkpoint-minutes', type=float, default=5.0)
    train.add_argument('--eval-minutes', type=float, default=10.0,
                       help='held-out evaluation interval in minutes (0 disables it)')
    train.add_argument('--eval-puzzles', type=int, default=256)
    train.add_argument('--eval-segments', type=int, default=None,
                       help='segments per held-out puzzle in evaluations (default halt_max_steps)')
    train.add_argument('--log-seconds', type=float, default=30.0)
    args = parser.parse_args(argv)

    if args.max_steps is None and args.minutes is None:
        parser.error('pass --max-steps, --minutes or both, so the lr schedule has an end')
    if args.resume and args.init_from:
        parser.error('--resume and --init-from exclude each other: resume continues a run, '
                     '--init-from starts a new run from exported weights')
    return args


def parse_curriculum(text: Optional[str]):
    if text is None:
        return None
    parts = text.split(':')
    try:
        start, end = int(parts[0]), int(parts[1])
        fraction = float(parts[2]) if len(parts) > 2 else 0.7
    except (ValueError, IndexError):
        raise SystemExit(f'invalid --curriculum {text!r}; expected START:END[:FRACTION], e.g. 10:60:0.7')
    return start, end, fraction


class Distributed:
    """Rank and world size; initialises the process group when launched by torchrun."""

    # NOTE: the CUDA paths (nccl, torch.cuda devices, PyTorch 2.x) are written for but were
    # only run on CPU with PyTorch 1.13 so far.

    def __init__(self) -> None:
        self.enabled = 'LOCAL_RANK' in os.environ
        self.rank, self.world_size, self.local_rank = 0, 1, 0
        if self.enabled:
            backend = 'nccl' if torch.cuda.is_available() else 'gloo'
            dist.init_process_group(backend=backend)
            self.rank, self.world_size = dist.get_rank(), dist.get_world_size()
            self.local_rank = int(os.environ['LOCAL_RANK'])
            if torch.cuda.is_available():
                torch.cuda.set_device(self.local_rank)

    @property
    def device(self) -> torch.device:
        return torch.device('cuda', self.local_rank) if torch.cuda.is_available() else torch.device('cpu')

    def sum(self, values: torch.Tensor) -> torch.Tensor:
        if self.enabled:
            dist.all_reduce(values)
        return values


def build_config(args: argparse.Namespace, puzzles: PuzzleSet) -> HrmConfig:
    meta = puzzles.metadata
    return HrmConfig(
        vocab_size=meta.vocab_size, seq_len=meta.seq_len,
        num_puzzle_identifiers=meta.num_puzzle_identifiers,
        hidden_size=args.hidden_size, num_heads=args.num_heads, expansion=args.expansion,
        H_layers=args.H_layers, L_layers=args.L_layers, H_cycles=args.H_cycles,
        L_cycles=args.L_cycles,
        halt_max_steps=8 if args.halt_max_steps is None else args.halt_max_steps,
        halt_exploration_prob=0.1 if args.halt_exploration_prob is None else args.halt_exploration_prob,
        pos_encodings=args.pos_encodings,
        puzzle_emb_ndim=args.hidden_size if args.puzzle_emb_ndim is None else args.puzzle_emb_ndim,
    )


def init_grid_positions(model: HrmLossHead, with_boxes: bool, seed: int) -> None:
    """Set each cell's learned position to the sum of a random row vector and a random column
    vector, plus a 3x3-box vector for Sudoku. Cells in one row, column or box then start with
    similar positions, so attention can find them from the first step.

    Only the initial values change: the parameter, the forward pass and the file layout stay
    HRM's `learned` positions. The puzzle-embedding positions keep their random init.
    """
    config = model.config
    if config.pos_encodings != 'learned':
        raise SystemExit('--pos-init grid/sudoku needs --pos-encodings learned')
    side = int(round(config.seq_len ** 0.5))
    if side * side != config.seq_len or (with_boxes and side != 9):
        raise SystemExit(f'--pos-init needs a square grid (Sudoku: 9x9); seq_len is {config.seq_len}')
    generator = torch.Generator().manual_seed(seed)
    parts = 3 if with_boxes else 2
    # Each part gets std 1/sqrt(hidden_size * parts) so the sum keeps HRM's init std 1/sqrt(hidden_size).
    std = 1.0 / math.sqrt(config.hidden_size * parts)
    rows = torch.randn(side, config.hidden_size, generator=generator) * std
    cols = torch.randn(side, config.hidden_size, generator=generator) * std
    boxes = torch.randn(side, config.hidden_size, generator=generator) * std
    index = torch.arange(config.seq_len)
    row, col = index // side, index % side
    cells = rows[row] + cols[col]  # [seq_len, hidden_size]
    if with_boxes:
        cells = cells + boxes[(row // 3) * 3 + col // 3]
    with torch.no_grad():
        model.model.inner.embed_pos.embedding_weight[config.puzzle_emb_len:] = cells


@torch.no_grad()
def broadcast_from_rank0(model: HrmLossHead) -> None:
    """Copy rank 0's parameters and buffers to every rank; bfloat16 tensors travel as float32
    because gloo cannot send bfloat16 (the round trip is exact)."""
    for tensor in list(model.parameters()) + list(model.buffers()):
        if tensor.dtype == torch.bfloat16:
            wide = tensor.to(torch.float32)
            dist.broadcast(wide, src=0)
            tensor.copy_(wide.to(torch.bfloat16))
        else:
            dist.broadcast(tensor.data, src=0)


def autocast_context(device: torch.device, precision: str):
    if precision != 'bfloat16':
        return contextlib.nullcontext()
    # The weight-cast cache stays off. It would stay empty, because CastedLinear casts its
    # float32 weights itself and autocast receives bfloat16 ones. In PyTorch 1.13 on CPU, a cast
    # cached under no_grad also has no grad_fn, so a later update that reuses it gets no gradient.
    return torch.autocast(device.type, dtype=torch.bfloat16, cache_enabled=False)


# glibc mallopt parameters (malloc.h) and the largest mmap threshold glibc accepts on 64-bit.
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
MAX_MMAP_THRESHOLD = 32 * 1024 * 1024
MAX_TRIM_THRESHOLD = 2 ** 31 - 1


def configure_cpu(threads: Optional[int]) -> List[str]:
    """Apply the CPU settings of a training process and return what was applied, for the log.

    `threads` sets torch's intra-op thread count and, where torch's float32 matmuls go to
    OpenBLAS, OpenBLAS's own thread count. The glibc malloc settings keep freed memory inside
    the process (see keep_freed_memory).
    """
    applied = []
    if threads:
        torch.set_num_threads(threads)
        applied.append(f'torch threads {threads}')
        if set_openblas_threads(threads):
            applied.append(f'OpenBLAS threads {threads}')
    if keep_freed_memory():
        applied.append('glibc malloc without trimming')
    return applied


def loaded_openblas() -> List[ctypes.CDLL]:
    """Return every OpenBLAS library loaded in this process, found through /proc (Linux only)."""
    if not os.path.isfile('/proc/self/maps'):
        return []
    with open('/proc/self/maps') as file:
        paths = sorted({line.split()[-1] for line in file if 'blas' in line.rsplit('/', 1)[-1]})
    libraries = []
    for path in paths:
        try:
            library = ctypes.CDLL(path)  # already loaded, so this returns the same library
        except OSError:
            continue
        if hasattr(library, 'openblas_set_num_threads'):
            libraries.append(library)
    return libraries


def set_openblas_threads(threads: int) -> bool:
    """Set the thread count of every OpenBLAS loaded in this process and return whether any is.

    torch.set_num_threads leaves OpenBLAS alone in PyTorch 1.13 builds with a generic BLAS
    (Debian's), so before this setting, float32 matmuls ran on every core even at --threads 1.
    """
    libraries = loaded_openblas()
    for library in libraries:
        library.openblas_set_num_threads(threads)
    return bool(libraries)


def keep_freed_memory() -> bool:
    """Keep glibc's malloc from returning freed memory to the kernel, and return whether it did.

    By default glibc's malloc returns large freed blocks to the kernel (munmap, heap trimming),
    so every step page-faults its activations in again. In profiles of the full training step
    (training/bench.py sizes, hidden 128 and 512, PyTorch 1.13 CPU) those page faults took 11-24%
    of the CPU time. The process keeps its peak heap instead.
    """
    if not sys.platform.startswith('linux'):
        return False
    try:
        libc = ctypes.CDLL('libc.so.6')
    except OSError:
        return False
    # NOTE: blocks of 32 MiB and more (e.g. h512 activations at batch sizes above 64) are still
    # mapped and unmapped per use, because glibc caps the mmap threshold there.
    mapped = libc.mallopt(M_MMAP_THRESHOLD, MAX_MMAP_THRESHOLD)
    trimmed = libc.mallopt(M_TRIM_THRESHOLD, MAX_TRIM_THRESHOLD)
    return bool(mapped and trimmed)


class MetricSums:
    """Sums of the loss head's metrics over one log interval.

    The sums stay a float64 tensor on the training device, so a step reads nothing back to
    Python. Under torchrun each step's values are all-reduced, so every rank has the global
    sums and no rank waits for another's log timer.
    """

    def __init__(self, world: Optional[Distributed] = None) -> None:
        self.world = world
        self.names: Optional[List[str]] = None
        self.sums: Optional[torch.Tensor] = None  # [len(names)] float64
        self.steps = 0

    def add(self, metrics: Dict[str, torch.Tensor]) -> None:
        if self.names is None:
            self.names = sorted(metrics)
        values = torch.stack([metrics[name].detach().to(torch.float64) for name in self.names])
        if self.world is not None:
            values = self.world.sum(values)
        self.sums = values if self.sums is None else self.sums + values
        self.steps += 1

    def read(self) -> Dict[str, float]:
        """Read out the sums by name, plus `steps_in_window`, and start a new interval."""
        sums = dict(zip(self.names or [], self.sums.tolist() if self.sums is not None else []))
        sums['steps_in_window'] = float(self.steps)
        self.sums, self.steps = None, 0
        return sums


class TrainStep:
    """One iteration of the training loop, used by train() and timed by training.bench.

    It draws a batch, runs the ACT loss head (one segment with its gradient, plus the no-grad
    segment for the Q-continue target), back-propagates loss / batch_size, sets each
    optimizer's learning rate and steps it, and adds the metrics to `metric_sums`.
    """

    def __init__(self, model: HrmLossHead, step_model: torch.nn.Module, sampler: TrainSampler,
                 optimizers: Sequence[Tuple[object, float]], precision: str,
                 device: torch.device, world: Optional[Distributed], batch_size: int) -> None:
        self.model = model
        self.step_model = step_model  # model itself, or its DistributedDataParallel wrapper
        self.sampler = sampler
        self.optimizers = optimizers  # (optimizer, base lr) pairs
        self.autocast = autocast_context(device, precision)
        self.device = device
        self.batch_size = batch_size
        self.carry: Optional[ActCarry] = None
        self.metric_sums = MetricSums(world)

    def __call__(self, lrs: Sequence[float]) -> None:
        """Run one step with `lrs`, one learning rate per optimizer, in order."""
        batch = {key: value.to(self.device) for key, value in self.sampler.next_batch().items()}
        if self.carry is None:
            self.carry = self.model.initial_carry(batch)

        self.model.train()
        with self.autocast:
            self.carry, loss, metrics, _ = self.step_model(self.carry, batch)
        (loss / self.batch_size).backward()

        for (optimizer, _), lr in zip(self.optimizers, lrs):
            for group in optimizer.param_groups:
                group['lr'] = lr
            optimizer.step()
            optimizer.zero_grad()

        self.metric_sums.add(metrics)


def carry_state(carry: ActCarry) -> Dict[str, object]:
    """Return the ACT carry as CPU tensors for a training checkpoint."""
    return {'z_H': carry.inner.z_H.cpu(), 'z_L': carry.inner.z_L.cpu(),
            'steps': carry.steps.cpu(), 'halted': carry.halted.cpu(),
            'current_data': {key: value.cpu() for key, value in carry.current_data.items()}}


def carry_from_state(state: Dict[str, object], device: torch.device) -> ActCarry:
    """Rebuild the ACT carry that carry_state saved, on `device`."""
    data = state['current_data']
    assert isinstance(data, dict)
    return ActCarry(inner=InnerCarry(z_H=state['z_H'].to(device), z_L=state['z_L'].to(device)),
                    steps=state['steps'].to(device), halted=state['halted'].to(device),
                    current_data={key: value.to(device) for key, value in data.items()})


class Logger:
    def __init__(self, path: Optional[str]) -> None:
        self.file = open(path, 'a', buffering=1) if path else None

    def __call__(self, message: str) -> None:
        line = f'{time.strftime("%H:%M:%S")} {message}'
        print(line, flush=True)
        if self.file:
            self.file.write(line + '\n')


def train(args: argparse.Namespace) -> None:
    cpu_settings = configure_cpu(args.threads)
    world = Distributed()
    device = world.device
    is_main = world.rank == 0
    os.makedirs(args.out, exist_ok=True)
    log = Logger(os.path.join(args.out, 'log.txt') if is_main else None)
    torch.manual_seed(args.seed + world.rank)

    puzzles = PuzzleSet(args.data, 'train')
    test_puzzles = PuzzleSet(args.data, 'test') if os.path.isdir(os.path.join(args.data, 'test')) else None
    augment = AUGMENTATIONS.get(args.augment)
    sampler = TrainSampler(puzzles, args.batch_size, args.seed, world.rank, world.world_size, augment)
    curriculum = parse_curriculum(args.curriculum)
    state_path = os.path.join(args.out, 'train_state.pt')

    # Model: fresh, from exported weights, or from the run's own checkpoint.
    resume_state = None
    if args.resume:
        if not os.path.isfile(state_path):
            raise SystemExit(f'--resume: no training checkpoint at {state_path}')
        resume_state = torch.load(state_path, map_location='cpu')
        config = HrmConfig.from_dict(resume_state['config'])
    elif args.init_from:
        config = load_model(args.init_from).config
        # The ACT fields only steer training, so a new phase may change them.
        if args.halt_max_steps is not None:
            config.halt_max_steps = args.halt_max_steps
        if args.halt_exploration_prob is not None:
            config.halt_exploration_prob = args.halt_exploration_prob
        config.validate()
    else:
        config = build_config(args, puzzles)
    if config.seq_len != puzzles.metadata.seq_len or config.vocab_size != puzzles.metadata.vocab_size:
        raise SystemExit(f'model seq_len/vocab_size {config.seq_len}/{config.vocab_size} do not match '
                         f'the dataset {puzzles.metadata.seq_len}/{puzzles.metadata.vocab_size}')

    model = HrmLossHead(config, LOSS_NAMES[args.loss])
    if args.pos_init != 'random' and resume_state is None and not args.init_from:
        init_grid_positions(model, with_boxes=args.pos_init == 'sudoku', seed=args.seed)
    if args.init_from:
        model.load_state_dict(load_model(args.init_from).state_dict())
    if resume_state is not None:
        model.load_state_dict(resume_state['model'])
    model.to(device)
    model.model.grad_mode = args.grad_mode
    model.copy_cell_weight = args.copy_cell_weight
    model.model.inner.set_forward_dtype(getattr(torch, args.precision))
    if world.enabled:
        broadcast_from_rank0(model)

    # DDP averages gradients across ranks during backward; buffers (H_init, L_init, the puzzle
    # embedding table) change identically on every rank, so they are not re-broadcast. gloo in
    # PyTorch 1.13 cannot broadcast bfloat16, so DDP's own start-up sync skips the bfloat16
    # buffers, which broadcast_from_rank0 has already synchronised.
    step_model = model
    if world.enabled:
        bfloat16_buffers = [name for name, buffer in model.named_buffers()
                            if buffer.dtype == torch.bfloat16]
        torch.nn.parallel.DistributedDataParallel._set_params_and_buffers_to_ignore_for_model(
            model, bfloat16_buffers)
        step_model = torch.nn.parallel.DistributedDataParallel(
            model, device_ids=[world.local_rank] if device.type == 'cuda' else None,
            broadcast_buffers=False)

    if args.optimizer == 'adam-atan2':
        optimizer = AdamAtan2(model.parameters(), lr=args.lr, betas=(0.9, 0.95),
                              weight_decay=args.weight_decay)
    else:
        optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.95),
                                      weight_decay=args.weight_decay)
    optimizers = [(optimizer, args.lr)]
    if config.puzzle_emb_ndim > 0:
        optimizers.append((SignSgdEmbedding(model.model.inner.puzzle_emb, args.puzzle_emb_lr,
                                            args.puzzle_emb_weight_decay), args.puzzle_emb_lr))

    step, example_segments, elapsed_before = 0, 0, 0.0
    if resume_state is not None:
        optimizer.load_state_dict(resume_state['optimizer'])
        step = resume_state['step']
        example_segments = resume_state['example_segments']
        elapsed_before = resume_state['elapsed']
        sampler.rng.bit_generator.state = resume_state['sampler_rng']
        log(f'resumed from {state_path} at step {step}')

    parameter_count = sum(p.numel() for p in model.parameters())
    if is_main:
        if resume_state is not None or args.init_from:
            log('architecture options are ignored: the config comes from the loaded model')
        log(f'config {config.to_json()}')
        log(f'args {json.dumps(vars(args), sort_keys=True)}')
        log(f'{parameter_count} parameters, {puzzles.num_examples} training examples, '
            f'{world.world_size} process(es), device {device}, threads {torch.get_num_threads()}')
        log(f'CPU settings: {", ".join(cpu_settings) or "defaults"}')

    def progress(now_elapsed: float) -> float:
        fractions = []
        if args.max_steps:
            fractions.append(step / args.max_steps)
        if args.minutes:
            fractions.append(now_elapsed / (60 * args.minutes))
        return min(1.0, max(fractions))

    def save_state(elapsed: float) -> None:
        if not is_main:
            return
        state = {'model': model.state_dict(), 'optimizer': optimizer.state_dict(), 'step': step,
                 'example_segments': example_segments, 'elapsed': elapsed,
                 'config': config.to_dict(), 'args': vars(args),
                 'adaptive_ceiling': adaptive_ceiling,
                 'sampler_rng': sampler.rng.bit_generator.state}
        # NOTE: with several processes each rank has its own rows and only the main process
        # saves, so the carry is not saved and a resumed run restarts every row on a new puzzle.
        if train_step.carry is not None and world.world_size == 1:
            state['act_carry'] = carry_state(train_step.carry)
        temporary = state_path + '.tmp'
        torch.save(state, temporary)
        os.replace(temporary, state_path)

    adaptive_ceiling = curriculum[0] if curriculum is not None else 0
    if resume_state is not None:
        adaptive_ceiling = resume_state.get('adaptive_ceiling', adaptive_ceiling)
    start = time.time()
    last_log = last_checkpoint = last_eval = start
    window_segments, window_start = 0, start
    train_step = TrainStep(model, step_model, sampler, optimizers, args.precision, device, world,
                           args.batch_size)
    saved_carry = resume_state.get('act_carry') if resume_state is not None else None
    if saved_carry is not None and world.world_size == 1:
        if saved_carry['steps'].shape[0] == args.batch_size:
            # Rows continue their puzzles where the checkpoint left them, as in an unbroken run.
            train_step.carry = carry_from_state(saved_carry, device)
        else:
            log(f'the saved ACT carry has {saved_carry["steps"].shape[0]} rows, not --batch-size '
                f'{args.batch_size}, so every row starts a new puzzle')

    while True:
        elapsed = elapsed_before + time.time() - start
        fraction = progress(elapsed)
        if fraction >= 1.0:
            break

        if curriculum is not None:
            lo, hi, ramp = curriculum
            scheduled = int(round(lo + (hi - lo) * min(1.0, fraction / ramp)))
            sampler.set_ceiling(min(hi, max(scheduled, adaptive_ceiling)))

        # lr schedule: warm-up in steps, cosine over the run's progress (steps or minutes).
        total_equivalent = max(1, int(step / max(fraction, 1e-9))) if fraction > 0 else args.warmup_steps + 1
        step += 1
        train_step([cosine_lr(step, base_lr, args.warmup_steps, total_equivalent, args.lr_min_ratio)
                    for _, base_lr in optimizers])
        example_segments += args.batch_size
        window_segments += args.batch_size

        now = time.time()
        if now - last_log >= args.log_seconds:
            window = train_step.metric_sums.read()
            count = max(1.0, window.get('count', 0.0))
            fill = window['changed_correct'] / max(1.0, window['changed_cells'])
            if args.curriculum_adaptive is not None and curriculum is not None and window['count'] > 0:
                # NOTE: metrics are summed over ranks, but each rank times its own log interval,
                # so under torchrun the ranks may raise their ceilings a step apart.
                if fill >= args.curriculum_adaptive:
                    adaptive_ceiling = min(curriculum[1], max(adaptive_ceiling, sampler.ceiling or 0)
                                           + args.curriculum_increment)
            rate = window_segments / (now - window_start)
            left = estimate_time_left(args, step, elapsed_before + now - start, rate)
            ceiling = f' ceiling {sampler.ceiling}' if sampler.ceiling is not None else ''
            if is_main:
                log(f'step {step} loss {window["lm_loss"] / window_segments:.4f} '
                    f'q_halt {window["q_halt_loss"] / window_segments:.3f} '
                    f'acc {window["accuracy"] / count:.3f} '
                    f'fill {fill:.3f} '
                    f'exact {window["exact_accuracy"] / count:.3f} '
                    f'segs/halt {window["steps"] / count:.2f} lr {optimizer.param_groups[0]["lr"]:.2e}'
                    f'{ceiling} | {example_segments} example-segments, {rate:.0f}/s, left {left}')
            window_segments, window_start, last_log = 0, now, now

        if now - last_checkpoint >= 60 * args.checkpoint_minutes:
            save_state(elapsed_before + now - start)
            last_checkpoint = now

        if (is_main and test_puzzles is not None and args.eval_minutes > 0
                and now - last_eval >= 60 * args.eval_minutes):
            evaluate_and_log(model, test_puzzles, args, log, example_segments)
            last_eval = time.time()

    elapsed = elapsed_before + time.time() - start
    save_state(elapsed)
    if is_main:
        model.model.inner.set_forward_dtype(getattr(torch, config.forward_dtype))
        card = (f'trained by training.train for {step} steps, {example_segments} example-segments, '
                f'{elapsed / 60:.1f} minutes')
        save_safetensors_model(model.cpu(), os.path.join(args.out, 'model.safetensors'),
                               dtype=torch.float32, model_card=card)
        log(f'finished: {step} steps, {example_segments} example-segments, {elapsed / 60:.1f} min')
        if test_puzzles is not None and args.eval_minutes > 0:
            evaluate_and_log(model, test_puzzles, args, log, example_segments)
    if world.enabled:
        # Free the DDP wrapper and wait for every rank before the teardown. Without this, one
        # rank hung in its teardown after the other had exited in 7 of 32 runs of
        # training/tests/test_ddp.py (gloo, PyTorch 1.13), and in none of 30 with it.
        del train_step, step_model
        dist.barrier()
        dist.destroy_process_group()


def estimate_time_left(args: argparse.Namespace, step: int, elapsed: float, rate: float) -> str:
    candidates = []
    if args.minutes:
        candidates.append(60 * args.minutes - elapsed)
    if args.max_steps and rate > 0:
        candidates.append((args.max_steps - step) * args.batch_size / rate)
    seconds = max(0.0, min(candidates)) if candidates else 0.0
    return f'{int(seconds // 60)}m{int(seconds % 60):02d}s'


def evaluate_and_log(model: HrmLossHead, test_puzzles: PuzzleSet, args: argparse.Namespace,
                     log: Logger, example_segments: int) -> None:
    segments = args.eval_segments or model.config.halt_max_steps
    batches = test_puzzles.test_batches(min(args.batch_size, 128), args.eval_puzzles)
    results = measure(model, batches, segments, dtype=getattr(torch, args.precision))['all']
    cells = ' '.join(f'{100 * value:.1f}' for value in results['cell_accuracy'])
    exact = ' '.join(f'{100 * value:.1f}' for value in results['exact'])
    log(f'eval after {example_segments} example-segments on {results["puzzles"]} held-out puzzles, '
        f'segments 1..{segments}: fill % {cells} | exact % {exact}')


def main(argv: Optional[List[str]] = None) -> None:
    train(parse_args(argv))


if __name__ == '__main__':
    main(sys.argv[1:])
