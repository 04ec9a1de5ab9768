import math

import pytest
import torch

from training.model import PuzzleEmbedding
from training.optim import AdamAtan2, SignSgdEmbedding, cosine_lr


def test_adam_atan2_first_step_is_bounded_sign_step():
    param = torch.nn.Parameter(torch.tensor([1.0, -2.0, 0.5]))
    param.grad = torch.tensor([0.3, -4.0, 0.0])
    AdamAtan2([param], lr=0.1, betas=(0.9, 0.95), weight_decay=0.0).step()
    # First step: bias-corrected m = g and sqrt(v) = |g|, so the update is atan2(g, |g|) = ±pi/4.
    expected = torch.tensor([1.0 - 0.1 * math.pi / 4, -2.0 + 0.1 * math.pi / 4, 0.5])
    assert torch.allclose(param.detach(), expected, atol=1e-6)


def test_adam_atan2_weight_decay_is_decoupled():
    param = torch.nn.Parameter(torch.tensor([2.0]))
    param.grad = torch.tensor([0.0])
    AdamAtan2([param], lr=0.1, weight_decay=0.5).step()
    assert param.item() == pytest.approx(2.0 * (1 - 0.05))


def test_cosine_schedule_shape():
    assert cosine_lr(0, 1.0, 10, 110) == 0.0
    assert cosine_lr(5, 1.0, 10, 110) == pytest.approx(0.5)
    assert cosine_lr(10, 1.0, 10, 110) == pytest.approx(1.0)
    assert cosine_lr(60, 1.0, 10, 110) == pytest.approx(0.5)
    assert cosine_lr(110, 1.0, 10, 110, min_ratio=0.1) == pytest.approx(0.1)


def test_sign_sgd_moves_only_touched_rows():
    embedding = PuzzleEmbedding(4, 3, torch.float32)
    embedding.train()
    ids = torch.tensor([2, 2, 0])
    out = embedding(ids)
    (out * torch.tensor([1.0, -2.0, 3.0])).sum().backward()
    optimizer = SignSgdEmbedding(embedding, lr=0.5, weight_decay=0.0)
    optimizer.step()
    # Gradient per row is the same vector (1, -2, 3), so each touched row moves by -0.5 * sign.
    expected_row = torch.tensor([-0.5, 0.5, -0.5])
    assert torch.equal(embedding.weights[0], expected_row)
    assert torch.equal(embedding.weights[2], expected_row)
    assert torch.equal(embedding.weights[1], torch.zeros(3))
    assert torch.equal(embedding.weights[3], torch.zeros(3))
