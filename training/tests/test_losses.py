import math

import pytest
import torch

from training.losses import IGNORE_LABEL_ID, softmax_cross_entropy, stablemax_cross_entropy


def stablemax_by_formula(logits, label):
    s = [x + 1 if x >= 0 else 1 / (1 - x) for x in logits]
    return -math.log(s[label] / sum(s))


def test_stablemax_matches_formula():
    logits = torch.tensor([[[2.0, -1.0, 0.0, -3.5], [0.5, 0.25, -0.25, 4.0]]])
    labels = torch.tensor([[0, 3]])
    loss = stablemax_cross_entropy(logits, labels)
    assert loss.dtype == torch.float64
    assert loss[0, 0].item() == pytest.approx(stablemax_by_formula([2.0, -1.0, 0.0, -3.5], 0), rel=1e-12)
    assert loss[0, 1].item() == pytest.approx(stablemax_by_formula([0.5, 0.25, -0.25, 4.0], 3), rel=1e-12)


def test_ignored_labels_cost_nothing():
    logits = torch.randn(2, 3, 5)
    labels = torch.tensor([[1, IGNORE_LABEL_ID, 2], [IGNORE_LABEL_ID, IGNORE_LABEL_ID, 0]])
    for loss_fn in (stablemax_cross_entropy, softmax_cross_entropy):
        loss = loss_fn(logits, labels)
        assert loss[0, 1].item() == 0.0
        assert loss[1, 0].item() == 0.0
        assert loss[0, 0].item() > 0.0


def test_softmax_matches_log_softmax():
    logits = torch.randn(1, 4, 6)
    labels = torch.tensor([[0, 5, 2, 3]])
    expected = -torch.log_softmax(logits, -1).gather(-1, labels.unsqueeze(-1)).squeeze(-1)
    assert torch.allclose(softmax_cross_entropy(logits, labels), expected, atol=1e-6)
