"""Optimizers and the learning-rate schedule: Adam-atan2, sign-SGD for the puzzle embedding,
linear warm-up followed by cosine decay."""

from __future__ import annotations

import math
from typing import Iterable

import torch
import torch.distributed as dist


class AdamAtan2(torch.optim.Optimizer):
    """Adam with atan2 in place of the division by sqrt(v) + eps, and decoupled weight decay.

    update = atan2(m / (1 - beta1^t), sqrt(v / (1 - beta2^t))); p <- p * (1 - lr * wd) - lr * update.
    atan2 is bounded and needs no epsilon, which keeps the first steps and tiny gradients stable
    (Everett et al. 2024, "Scaling Exponents Across Parameterizations and Optimizers").
    """

    def __init__(self, params: Iterable, lr: float = 1e-4, betas=(0.9, 0.95),
                 weight_decay: float = 0.1) -> None:
        if lr < 0:
            raise ValueError(f'invalid lr: {lr}; expected lr >= 0')
        if not (0 <= betas[0] < 1 and 0 <= betas[1] < 1):
            raise ValueError(f'invalid betas: {betas}; expected both in [0, 1)')
        if weight_decay < 0:
            raise ValueError(f'invalid weight_decay: {weight_decay}; expected >= 0')
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            beta1, beta2 = group['betas']
            lr, weight_decay = group['lr'], group['weight_decay']
            for param in group['params']:
                if param.grad is None:
                    continue
                state = self.state[param]
                if not state:
                    state['step'] = 0
                    state['exp_avg'] = torch.zeros_like(param)
                    state['exp_avg_sq'] = torch.zeros_like(param)
                state['step'] += 1
                grad = param.grad
                exp_avg, exp_avg_sq = state['exp_avg'], state['exp_avg_sq']
                exp_avg.lerp_(grad, 1 - beta1)
                exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)

                bias_correction1 = 1 - beta1 ** state['step']
                bias_correction2 = 1 - beta2 ** state['step']
                update = torch.atan2(exp_avg / bias_correction1, (exp_avg_sq / bias_correction2).sqrt())
                param.mul_(1 - lr * weight_decay).add_(update, alpha=-lr)


class SignSgdEmbedding:
    """Sign-SGD with decoupled weight decay for the puzzle-embedding table.

    Reads the gradient of `PuzzleEmbedding.local_weights` (one row per batch entry), sums it per
    puzzle id, and moves each touched row by -lr * sign(gradient). Under torch.distributed the
    summed per-id gradient is all-reduced over the whole table, which suits tables with few rows.
    """

    def __init__(self, embedding, lr: float, weight_decay: float) -> None:
        self.embedding = embedding
        self.param_groups = [dict(lr=lr, weight_decay=weight_decay)]

    @torch.no_grad()
    def step(self) -> None:
        local = self.embedding.local_weights
        if local is None or local.grad is None:
            return
        weights = self.embedding.weights  # [num_puzzle_identifiers, puzzle_emb_ndim]
        grad = torch.zeros_like(weights)
        grad.index_add_(0, self.embedding.local_ids.to(torch.long), local.grad.to(weights.dtype))
        touched = torch.zeros(weights.shape[0], dtype=weights.dtype, device=weights.device)
        touched.index_fill_(0, self.embedding.local_ids.to(torch.long), 1.0)
        if dist.is_available() and dist.is_initialized():
            dist.all_reduce(grad)
            dist.all_reduce(touched)

        rows = touched > 0
        lr, weight_decay = self.param_groups[0]['lr'], self.param_groups[0]['weight_decay']
        weights[rows] = weights[rows] * (1 - lr * weight_decay) - lr * torch.sign(grad[rows])

    def zero_grad(self) -> None:
        self.embedding.local_weights = None

    def state_dict(self) -> dict:
        return {'param_groups': [dict(group) for group in self.param_groups]}

    def load_state_dict(self, state: dict) -> None:
        self.param_groups = [dict(group) for group in state['param_groups']]


def cosine_lr(step: int, base_lr: float, warmup_steps: int, total_steps: int,
              min_ratio: float = 0.0) -> float:
    """Linear warm-up from 0 over warmup_steps, then cosine decay to base_lr * min_ratio at total_steps."""
    if step < warmup_steps:
        return base_lr * step / max(1, warmup_steps)
    progress = min(1.0, (step - warmup_steps) / max(1, total_steps - warmup_steps))
    return base_lr * (min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))
