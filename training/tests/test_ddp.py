"""Data-parallel training on two CPU processes (gloo over the loopback interface)."""

import os
import socket
import time

import pytest
import torch
import torch.multiprocessing as mp

from training import train
from training.model import HrmLossHead

STEPS = 3

# Far above the few seconds the run needs, so only a hang reaches it.
TIMEOUT_SECONDS = 120


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def run_rank(rank: int, world_size: int, port: int, data: str, out: str) -> None:
    """Run training.train as torchrun would launch rank `rank`, then save this replica's weights."""
    os.environ.update({'RANK': str(rank), 'LOCAL_RANK': str(rank), 'WORLD_SIZE': str(world_size),
                       'MASTER_ADDR': '127.0.0.1', 'MASTER_PORT': str(port),
                       'GLOO_SOCKET_IFNAME': 'lo'})

    # Keep a handle on the model that train() builds, and its weights before any broadcast.
    replicas = []

    class RecordedModel(HrmLossHead):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            replicas.append(self)
            torch.save(self.state_dict(), os.path.join(out, f'initial-{rank}.pt'))

    train.HrmLossHead = RecordedModel
    train.main(['--data', data, '--out', os.path.join(out, 'run'), '--hidden-size', '32',
                '--num-heads', '2', '--H-layers', '1', '--L-layers', '1', '--halt-max-steps', '2',
                '--batch-size', '8', '--threads', '1', '--max-steps', str(STEPS),
                '--warmup-steps', '1', '--lr', '1e-2', '--eval-minutes', '0',
                '--log-seconds', '0', '--augment', 'sudoku'])
    torch.save(replicas[0].state_dict(), os.path.join(out, f'final-{rank}.pt'))


def test_two_replicas_end_identical(sudoku_dataset, tmp_path):
    context = mp.spawn(run_rank, args=(2, free_loopback_port(), sudoku_dataset, str(tmp_path)),
                       nprocs=2, join=False)
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while not context.join(timeout=1):
        if time.monotonic() > deadline:
            for process in context.processes:
                process.terminate()
            finished = sorted(path.name for path in tmp_path.glob('final-*.pt'))
            pytest.fail(f'the two ranks did not finish within {TIMEOUT_SECONDS} s; replicas that '
                        f'finished: {finished or "none"}')

    initial = [torch.load(tmp_path / f'initial-{rank}.pt') for rank in range(2)]
    final = [torch.load(tmp_path / f'final-{rank}.pt') for rank in range(2)]
    log = (tmp_path / 'run' / 'log.txt').read_text()

    assert f'finished: {STEPS} steps' in log
    assert '2 process(es)' in log

    # Ranks seed differently, so only the broadcast from rank 0 makes their starts equal.
    key = 'model.inner.lm_head.weight'
    assert not torch.equal(initial[0][key], initial[1][key])

    assert final[0].keys() == final[1].keys()
    for name in final[0]:
        assert torch.equal(final[0][name], final[1][name]), f'{name} differs between replicas'

    moved = [name for name in final[0] if not torch.equal(final[0][name], initial[0][name])]
    assert key in moved
    assert 'model.inner.puzzle_emb.weights' in moved
