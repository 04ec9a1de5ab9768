"""The optimised training step against a plain one: Q-only extra segment, TrainStep, metric sums."""

import json
import os

import numpy as np
import pytest
import torch

from training import bench
from training.data import PuzzleSet, TrainSampler
from training.model import HrmLossHead
from training.optim import AdamAtan2, SignSgdEmbedding
from training.train import (MetricSums, TrainStep, autocast_context, configure_cpu,
                            loaded_openblas, set_openblas_threads)

from .conftest import small_config

# float32 matmuls over one query row and over all rows may sum in different orders, so the
# Q values of the two paths may differ by a few float32 ulps.
FLOAT32_TOLERANCE = dict(rtol=1e-5, atol=1e-5)


def random_batch(rows: int, seed: int):
    generator = torch.Generator().manual_seed(seed)
    inputs = torch.randint(1, 11, (rows, 81), generator=generator, dtype=torch.int32)
    labels = torch.randint(2, 11, (rows, 81), generator=generator, dtype=torch.int32)
    return {'inputs': inputs, 'labels': labels,
            'puzzle_identifiers': torch.zeros(rows, dtype=torch.int32)}


def trained_looking_model(seed: int, dtype: torch.dtype, **overrides) -> HrmLossHead:
    """A small model whose Q head reads z_H (HRM starts it at zero weights)."""
    torch.manual_seed(seed)
    model = HrmLossHead(small_config(**overrides))
    model.model.inner.set_forward_dtype(dtype)
    with torch.no_grad():
        model.model.inner.q_head.weight.normal_(0.0, 0.2)
    return model


def whole_segment_q(inner):
    """The plain Q-continue path: a whole segment, of which only the Q values are kept."""

    def q_logits(carry, batch):
        with torch.no_grad():
            return inner(carry, batch)[-1]

    return q_logits


@pytest.mark.parametrize('pos_encodings', ['rope', 'learned'])
@pytest.mark.parametrize('H_layers', [1, 2])
@pytest.mark.parametrize('dtype', [torch.bfloat16, torch.float32])
def test_q_logits_match_whole_segment(pos_encodings, H_layers, dtype):
    model = trained_looking_model(0, dtype, pos_encodings=pos_encodings, H_layers=H_layers,
                                  L_layers=2)
    inner = model.model.inner
    model.train()
    batch = random_batch(16, seed=1)
    with torch.no_grad():
        carry, _, _ = inner(inner.initial_carry(16), batch)  # a carry one segment in
        expected = inner(carry, batch)[-1]
        actual = inner.q_logits(carry, batch)

    for name, want, got in zip(('q_halt', 'q_continue'), expected, actual):
        assert got.shape == (16,), name
        assert got.dtype == torch.float32, name
        if dtype == torch.bfloat16:
            # Exact with PyTorch 1.13's oneDNN bfloat16 kernels on an AVX-512 CPU. Other kernels
            # may sum one row in another order than many rows and differ by rounding.
            assert torch.equal(got, want), f'{name}: max difference {(got - want).abs().max()}'
        else:
            torch.testing.assert_close(got, want, **FLOAT32_TOLERANCE, msg=name)


@pytest.mark.parametrize('dtype', [torch.bfloat16, torch.float32])
def test_q_only_step_matches_plain_step(dtype):
    """Loss, Q-continue target and every gradient equal those of the whole-segment target."""
    plain = trained_looking_model(0, dtype, halt_exploration_prob=0.0)
    optimised = trained_looking_model(0, dtype, halt_exploration_prob=0.0)
    plain.model.inner.q_logits = whole_segment_q(plain.model.inner)
    batch = random_batch(8, seed=2)

    precision = 'bfloat16' if dtype == torch.bfloat16 else 'float32'
    results = []
    for model in (plain, optimised):
        model.train()
        with autocast_context(torch.device('cpu'), precision):
            _, loss, _, outputs = model(model.initial_carry(batch), batch)
        loss.backward()
        results.append((loss.detach(), outputs['target_q_continue'],
                        {name: param.grad for name, param in model.named_parameters()}))

    (plain_loss, plain_target, plain_grads), (loss, target, grads) = results
    tolerance = dict(rtol=0, atol=0) if dtype == torch.bfloat16 else FLOAT32_TOLERANCE
    torch.testing.assert_close(target, plain_target, **tolerance)
    torch.testing.assert_close(loss, plain_loss, **tolerance)
    assert grads.keys() == plain_grads.keys()
    for name in grads:
        torch.testing.assert_close(grads[name], plain_grads[name], **tolerance, msg=name)


def plain_iteration(model, sampler, optimizers, state, batch_size, lrs):
    """Run one loop iteration written out step by step, with the whole-segment target."""
    batch = sampler.next_batch()
    if state.get('carry') is None:
        state['carry'] = model.initial_carry(batch)
    model.train()
    with autocast_context(torch.device('cpu'), 'bfloat16'):
        state['carry'], loss, metrics, _ = model(state['carry'], batch)
    (loss / batch_size).backward()
    for (optim, _), lr in zip(optimizers, lrs):
        for group in optim.param_groups:
            group['lr'] = lr
        optim.step()
        optim.zero_grad()
    for name, value in metrics.items():
        state[name] = state.get(name, 0.0) + value.item()


def build_run(sudoku_dataset, batch_size):
    torch.manual_seed(5)
    model = HrmLossHead(small_config(halt_max_steps=3, num_puzzle_identifiers=21))
    model.model.inner.set_forward_dtype(torch.bfloat16)
    sampler = TrainSampler(PuzzleSet(sudoku_dataset, 'train'), batch_size, seed=3)
    optimizers = [(AdamAtan2(model.parameters(), lr=1e-3, weight_decay=0.1), 1e-3),
                  (SignSgdEmbedding(model.model.inner.puzzle_emb, 1e-2, 0.1), 1e-2)]
    return model, sampler, optimizers


def test_train_step_matches_plain_loop(sudoku_dataset):
    batch_size, steps = 8, 4
    lrs = [[1e-3 * (step + 1) / steps, 1e-2] for step in range(steps)]

    plain_model, plain_sampler, plain_optimizers = build_run(sudoku_dataset, batch_size)
    plain_model.model.inner.q_logits = whole_segment_q(plain_model.model.inner)
    torch.manual_seed(9)  # exploration draws
    state = {}
    for step_lrs in lrs:
        plain_iteration(plain_model, plain_sampler, plain_optimizers, state, batch_size, step_lrs)

    model, sampler, optimizers = build_run(sudoku_dataset, batch_size)
    train_step = TrainStep(model, model, sampler, optimizers, 'bfloat16', torch.device('cpu'),
                           world=None, batch_size=batch_size)
    torch.manual_seed(9)
    for step_lrs in lrs:
        train_step(step_lrs)
    sums = train_step.metric_sums.read()

    assert sums['steps_in_window'] == steps
    for name in ('lm_loss', 'q_halt_loss', 'q_continue_loss', 'count', 'accuracy', 'steps'):
        assert sums[name] == pytest.approx(state[name], rel=1e-6), name
    assert torch.equal(train_step.carry.steps, state['carry'].steps)
    assert torch.equal(train_step.carry.inner.z_H, state['carry'].inner.z_H)
    for (name, param), plain_param in zip(model.state_dict().items(),
                                          plain_model.state_dict().values()):
        assert torch.equal(param, plain_param), f'{name} differs from the plain loop'


def test_metric_sums_add_and_reset():
    sums = MetricSums()
    sums.add({'count': torch.tensor(2), 'lm_loss': torch.tensor(1.5)})
    sums.add({'count': torch.tensor(3), 'lm_loss': torch.tensor(0.25, dtype=torch.bfloat16)})
    first = sums.read()
    assert first == {'count': 5.0, 'lm_loss': 1.75, 'steps_in_window': 2.0}

    sums.add({'count': torch.tensor(1), 'lm_loss': torch.tensor(4.0)})
    assert sums.read() == {'count': 1.0, 'lm_loss': 4.0, 'steps_in_window': 1.0}


def test_configure_cpu_sets_threads():
    before = torch.get_num_threads()
    try:
        applied = configure_cpu(1)
        assert torch.get_num_threads() == 1
        assert 'torch threads 1' in applied
        if os.path.isfile('/lib/x86_64-linux-gnu/libc.so.6'):
            assert 'glibc malloc without trimming' in applied
    finally:
        torch.set_num_threads(before)


def test_openblas_threads_follow_torch_threads():
    libraries = loaded_openblas()
    if not libraries:
        pytest.skip('torch does not use OpenBLAS in this build')
    before = libraries[0].openblas_get_num_threads()
    try:
        assert set_openblas_threads(1)
        for library in libraries:
            assert library.openblas_get_num_threads() == 1
    finally:
        set_openblas_threads(before)


def test_bench_full_mode_runs_train_step(tmp_path, monkeypatch):
    calls = []
    original = TrainStep.__call__

    def counted(self, lrs):
        calls.append(list(lrs))
        return original(self, lrs)

    monkeypatch.setattr(TrainStep, '__call__', counted)
    out = str(tmp_path / 'bench')
    bench.main(['--threads', '1', '--sizes', '3', '--maze-size', '3', '--maze-hidden-size', '16',
                '--maze-heads', '2', '--maze-layers', '1', '--batch-size', '4', '--seconds', '0',
                '--min-steps', '2', '--dtypes', 'bfloat16', '--out', out])

    # Three warm-up steps (the default) and two timed steps, each with the two optimizers' lrs.
    assert len(calls) == 5
    assert all(len(lrs) == 2 for lrs in calls)
    report = json.load(open(out + '.json'))
    modes = [result['mode'] for result in report['results']]
    assert modes == ['full', 'bare']
    assert all(np.isfinite(result['example_segments_per_cpu_second'])
               for result in report['results'])
    assert '| full | 1 |' in open(out + '.md').read()
