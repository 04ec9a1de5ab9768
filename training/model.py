"""HRM with adaptive computation time (ACT), laid out so its state_dict keys are the authors'.

Module tree and keys: `HrmLossHead.model` -> `HrmAct.inner` -> `HrmInner`, so parameters are
named `model.inner.H_level.layers.0.self_attn.qkv_proj.weight` and so on, and the authors'
checkpoints load strictly once an `_orig_mod.` prefix is removed (see training.checkpoints).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .config import HrmConfig
from .layers import (Block, CastedEmbedding, CastedLinear, ReasoningModule, apply_rope, attention,
                     rms_norm, rope_tables, trunc_normal_)
from .losses import IGNORE_LABEL_ID, LOSS_FUNCTIONS

# Gradient modes of a training segment. `one_step`: only the last L and H updates carry
# gradients (the authors' one-step approximation). `last_segment`: back-propagate through every
# update of the segment; the carry that enters the segment stays detached either way.
GRAD_MODES = ('one_step', 'last_segment')

# Called as record(name, tensor) with names like `h0.l1.z_L`, `h0.z_H` and `embedding`.
Recorder = Callable[[str, torch.Tensor], None]


@dataclass
class InnerCarry:
    z_H: torch.Tensor  # [batch, positions, hidden_size]
    z_L: torch.Tensor  # [batch, positions, hidden_size]


@dataclass
class ActCarry:
    inner: InnerCarry
    steps: torch.Tensor  # [batch] int32: segments run on the current puzzle
    halted: torch.Tensor  # [batch] bool: the next call starts a new puzzle in this row
    current_data: Dict[str, torch.Tensor]


class PuzzleEmbedding(nn.Module):
    """Per-puzzle embedding table trained by sign-SGD (see training.optim.SignSgdEmbedding).

    `weights` [num_puzzle_identifiers, puzzle_emb_ndim] is a persistent buffer, not a parameter,
    as in the authors' code. In training, the rows of the batch are copied into a leaf tensor
    `local_weights` whose gradient the sign-SGD step reads.
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, cast_to: torch.dtype) -> None:
        super().__init__()
        self.cast_to = cast_to
        # Zero init, as the authors do.
        self.register_buffer('weights', torch.zeros(num_embeddings, embedding_dim), persistent=True)
        self.local_weights: Optional[torch.Tensor] = None
        self.local_ids: Optional[torch.Tensor] = None

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        if not self.training or not torch.is_grad_enabled():
            return self.weights[ids].to(self.cast_to)
        self.local_ids = ids.detach().clone()
        self.local_weights = self.weights[ids].detach().clone().requires_grad_(True)
        return self.local_weights.to(self.cast_to)


class HrmInner(nn.Module):
    """One segment of HRM: H_cycles x (L_cycles L updates, then one H update)."""

    def __init__(self, config: HrmConfig) -> None:
        super().__init__()
        self.config = config
        self.forward_dtype = getattr(torch, config.forward_dtype)
        self.embed_scale = math.sqrt(config.hidden_size)
        embed_init_std = 1.0 / self.embed_scale

        self.embed_tokens = CastedEmbedding(config.vocab_size, config.hidden_size, embed_init_std,
                                            self.forward_dtype)
        self.lm_head = CastedLinear(config.hidden_size, config.vocab_size, bias=False)
        self.q_head = CastedLinear(config.hidden_size, 2, bias=True)

        self.puzzle_emb_len = config.puzzle_emb_len
        if config.puzzle_emb_ndim > 0:
            self.puzzle_emb = PuzzleEmbedding(config.num_puzzle_identifiers, config.puzzle_emb_ndim,
                                              self.forward_dtype)

        if config.pos_encodings == 'rope':
            cos, sin = rope_tables(config.head_dim, config.positions, config.rope_theta)
            self.register_buffer('rope_cos', cos, persistent=False)  # [positions, head_dim]
            self.register_buffer('rope_sin', sin, persistent=False)
        else:
            self.embed_pos = CastedEmbedding(config.positions, config.hidden_size, embed_init_std,
                                             self.forward_dtype)

        def make_blocks(count: int) -> list:
            return [Block(config.hidden_size, config.num_heads, config.inter, config.rms_norm_eps)
                    for _ in range(count)]

        self.H_level = ReasoningModule(make_blocks(config.H_layers))
        self.L_level = ReasoningModule(make_blocks(config.L_layers))

        # Initial states: persistent buffers in the forward dtype, std 1.
        self.register_buffer('H_init', trunc_normal_(torch.empty(config.hidden_size,
                                                                 dtype=self.forward_dtype), 1.0))
        self.register_buffer('L_init', trunc_normal_(torch.empty(config.hidden_size,
                                                                 dtype=self.forward_dtype), 1.0))

        # Q head starts near "never halt" (q about -5) so early training runs all segments.
        with torch.no_grad():
            self.q_head.weight.zero_()
            self.q_head.bias.fill_(-5.0)

    def set_forward_dtype(self, dtype: torch.dtype) -> None:
        """Change the activation dtype at run time (the stored config keeps its value)."""
        self.forward_dtype = dtype
        self.embed_tokens.cast_to = dtype
        if hasattr(self, 'embed_pos'):
            self.embed_pos.cast_to = dtype
        if hasattr(self, 'puzzle_emb'):
            self.puzzle_emb.cast_to = dtype

    def cos_sin(self) -> Optional[Tuple[torch.Tensor, torch.Tensor]]:
        if self.config.pos_encodings == 'rope':
            return self.rope_cos, self.rope_sin
        return None

    def input_embeddings(self, inputs: torch.Tensor, puzzle_identifiers: torch.Tensor) -> torch.Tensor:
        """Return the scaled input embedding [batch, positions, hidden_size], puzzle prefix first."""
        embedding = self.embed_tokens(inputs.to(torch.long))  # [batch, seq_len, hidden_size]

        if self.config.puzzle_emb_ndim > 0:
            puzzle = self.puzzle_emb(puzzle_identifiers.to(torch.long))  # [batch, puzzle_emb_ndim]
            pad = self.puzzle_emb_len * self.config.hidden_size - puzzle.shape[-1]
            if pad > 0:
                puzzle = F.pad(puzzle, (0, pad))
            puzzle = puzzle.view(-1, self.puzzle_emb_len, self.config.hidden_size)
            embedding = torch.cat((puzzle, embedding), dim=-2)

        if self.config.pos_encodings == 'learned':
            # Scale by 1/sqrt(2) so the sum keeps the variance of one embedding.
            embedding = 0.707106781 * (embedding + self.embed_pos.embedding_weight.to(self.forward_dtype))

        return self.embed_scale * embedding

    def initial_carry(self, batch_size: int, device: Optional[torch.device] = None) -> InnerCarry:
        """Return the carry of a fresh puzzle: H_init and L_init broadcast over all positions."""
        shape = (batch_size, self.config.positions, self.config.hidden_size)
        device = device if device is not None else self.H_init.device
        return InnerCarry(z_H=self.H_init.to(self.forward_dtype).to(device).expand(shape).clone(),
                          z_L=self.L_init.to(self.forward_dtype).to(device).expand(shape).clone())

    def reset_carry(self, reset: torch.Tensor, carry: InnerCarry) -> InnerCarry:
        """Replace the rows flagged in reset [batch] with the initial states."""
        flag = reset.view(-1, 1, 1)
        return InnerCarry(z_H=torch.where(flag, self.H_init.to(carry.z_H.dtype), carry.z_H),
                          z_L=torch.where(flag, self.L_init.to(carry.z_L.dtype), carry.z_L))

    def forward(self, carry: InnerCarry, batch: Dict[str, torch.Tensor],
                grad_mode: str = 'one_step', record: Optional[Recorder] = None,
                ) -> Tuple[InnerCarry, torch.Tensor, Tuple[torch.Tensor, torch.Tensor]]:
        """Run one segment; return (new carry, logits [batch, seq_len, vocab_size], (q_halt, q_continue))."""
        if grad_mode not in GRAD_MODES:
            raise ValueError(f'invalid grad_mode: {grad_mode!r}; expected one of {", ".join(GRAD_MODES)}')
        cos_sin = self.cos_sin()
        embedding = self.input_embeddings(batch['inputs'], batch['puzzle_identifiers'])
        if record is not None:
            record('embedding', embedding)

        z_H = carry.z_H.to(self.forward_dtype).detach()
        z_L = carry.z_L.to(self.forward_dtype).detach()
        H_cycles, L_cycles = self.config.H_cycles, self.config.L_cycles
        for h in range(H_cycles):
            for l in range(L_cycles):
                is_last_update = h == H_cycles - 1 and l == L_cycles - 1
                with torch.set_grad_enabled(torch.is_grad_enabled() and
                                            (grad_mode == 'last_segment' or is_last_update)):
                    z_L = self.L_level(z_L, z_H + embedding, cos_sin)
                if record is not None:
                    record(f'h{h}.l{l}.z_L', z_L)
            with torch.set_grad_enabled(torch.is_grad_enabled() and
                                        (grad_mode == 'last_segment' or h == H_cycles - 1)):
                z_H = self.H_level(z_H, z_L, cos_sin)
            if record is not None:
                record(f'h{h}.z_H', z_H)

        new_carry = InnerCarry(z_H=z_H.detach(), z_L=z_L.detach())
        logits = self.lm_head(z_H)[:, self.puzzle_emb_len:]  # [batch, seq_len, vocab_size]
        q_logits = self.q_head(z_H[:, 0]).to(torch.float32)  # [batch, 2]
        return new_carry, logits, (q_logits[..., 0], q_logits[..., 1])

    @torch.no_grad()
    def q_logits(self, carry: InnerCarry, batch: Dict[str, torch.Tensor]
                 ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Run one segment without gradients and return only (q_halt, q_continue), [batch] each.

        Computes the Q values of `forward` at less cost, for the Q-continue target. It skips
        lm_head and the carry, and the last H layer of the segment computes its query, o_proj and
        MLP at position 0 only, the position the Q head reads. Keys and values still cover every
        position. In bfloat16 the result equals `forward`'s bit for bit in the tests (PyTorch
        1.13, CPU). In float32 it may differ by a few ulps, because a one-row matmul may sum in a
        different order.
        """
        cos_sin = self.cos_sin()
        embedding = self.input_embeddings(batch['inputs'], batch['puzzle_identifiers'])

        z_H = carry.z_H.to(self.forward_dtype)  # [batch, positions, hidden_size]
        z_L = carry.z_L.to(self.forward_dtype)
        for h in range(self.config.H_cycles):
            for _ in range(self.config.L_cycles):
                z_L = self.L_level(z_L, z_H + embedding, cos_sin)
            if h < self.config.H_cycles - 1:
                z_H = self.H_level(z_H, z_L, cos_sin)

        # The last H update, as ReasoningModule.forward runs it, up to its last layer.
        z_H = z_H + z_L
        for layer in self.H_level.layers[:-1]:
            z_H = layer(z_H, cos_sin)
        last_layer = self.H_level.layers[-1]
        first = block_at_first_position(last_layer, z_H, cos_sin)  # [batch, hidden_size]

        q_logits = self.q_head(first).to(torch.float32)  # [batch, 2]
        return q_logits[..., 0], q_logits[..., 1]


def block_at_first_position(block: Block, x: torch.Tensor,
                            cos_sin: Optional[Tuple[torch.Tensor, torch.Tensor]]) -> torch.Tensor:
    """Return block(x, cos_sin)[:, 0] [batch, hidden_size] for x [batch, positions, hidden_size],
    computing the attention query, o_proj and MLP for position 0 only.

    It repeats the steps of Block.forward in training/layers.py, and a test in
    training/tests/test_train_step.py checks that both give the same Q values.
    """
    attn = block.self_attn
    batch, positions, hidden = x.shape
    qkv = attn.qkv_proj(x).view(batch, positions, 3 * attn.num_heads, attn.head_dim)
    query = qkv[:, :1, :attn.num_heads]  # [batch, 1, heads, head_dim]
    key = qkv[:, :, attn.num_heads:2 * attn.num_heads]  # [batch, positions, heads, head_dim]
    value = qkv[:, :, 2 * attn.num_heads:]

    if cos_sin is not None:
        cos, sin = cos_sin
        query = apply_rope(query, cos[:1], sin[:1])
        key = apply_rope(key, cos, sin)

    out = attention(query.transpose(1, 2), key.transpose(1, 2), value.transpose(1, 2))
    out = out.transpose(1, 2).reshape(batch, 1, hidden)  # [batch, 1, hidden_size]
    first = rms_norm(x[:, :1] + attn.o_proj(out), block.eps)
    first = rms_norm(first + block.mlp(first), block.eps)
    return first[:, 0]


class HrmAct(nn.Module):
    """ACT wrapper: resets halted rows, runs one segment, decides halting, and in training
    computes the Q-continue target from one extra segment run from the new carry."""

    def __init__(self, config: HrmConfig) -> None:
        super().__init__()
        self.config = config
        self.inner = HrmInner(config)
        self.grad_mode = 'one_step'

    def initial_carry(self, batch: Dict[str, torch.Tensor]) -> ActCarry:
        """Return a carry with every row halted, so the first call loads the batch."""
        batch_size = batch['inputs'].shape[0]
        device = batch['inputs'].device
        return ActCarry(
            inner=self.inner.initial_carry(batch_size, device),
            steps=torch.zeros(batch_size, dtype=torch.int32, device=device),
            halted=torch.ones(batch_size, dtype=torch.bool, device=device),
            current_data={key: torch.empty_like(value) for key, value in batch.items()},
        )

    def forward(self, carry: ActCarry, batch: Dict[str, torch.Tensor]
                ) -> Tuple[ActCarry, Dict[str, torch.Tensor]]:
        inner_carry = self.inner.reset_carry(carry.halted, carry.inner)
        steps = torch.where(carry.halted, torch.zeros_like(carry.steps), carry.steps)
        current_data = {
            key: torch.where(carry.halted.view((-1,) + (1,) * (batch[key].ndim - 1)), batch[key], value)
            for key, value in carry.current_data.items()
        }

        inner_carry, logits, (q_halt, q_continue) = self.inner(inner_carry, current_data,
                                                               grad_mode=self.grad_mode)
        outputs = {'logits': logits, 'q_halt_logits': q_halt, 'q_continue_logits': q_continue}

        with torch.no_grad():
            steps = steps + 1
            is_last_step = steps >= self.config.halt_max_steps
            halted = is_last_step

            # NOTE: at evaluation every row runs halt_max_steps segments and the Q head is
            # ignored, as in the authors' code; Q-head halting is a training-time behaviour here.
            if self.training and self.config.halt_max_steps > 1:
                halted = halted | (q_halt > q_continue)

                # Exploration: with probability halt_exploration_prob, force a minimum number of
                # segments drawn uniformly from 2..halt_max_steps.
                explore = torch.rand_like(q_halt) < self.config.halt_exploration_prob
                min_steps = explore * torch.randint_like(steps, low=2, high=self.config.halt_max_steps + 1)
                halted = halted & (steps >= min_steps)

                # Q-continue target: the Q values of one extra segment from the new carry, with
                # no replay buffer or target network (many parallel rows stand in for them).
                # q_logits runs that segment but computes only what the Q head reads.
                next_q_halt, next_q_continue = self.inner.q_logits(inner_carry, current_data)
                outputs['target_q_continue'] = torch.sigmoid(
                    torch.where(is_last_step, next_q_halt, torch.maximum(next_q_halt, next_q_continue)))

        return ActCarry(inner_carry, steps, halted, current_data), outputs


class HrmLossHead(nn.Module):
    """Loss head around HrmAct: LM loss per sequence plus 0.5 * (Q-halt + Q-continue losses).

    `copy_cell_weight` scales the LM loss of cells whose label equals their input token (Sudoku
    givens, maze cells off the path); 1.0 is the authors' loss.
    """

    def __init__(self, config: HrmConfig, loss_type: str = 'stablemax_cross_entropy') -> None:
        super().__init__()
        if loss_type not in LOSS_FUNCTIONS:
            raise ValueError(f'invalid loss_type: {loss_type!r}; expected one of '
                             f'{", ".join(LOSS_FUNCTIONS)}')
        self.model = HrmAct(config)
        self.loss_type = loss_type
        self.copy_cell_weight = 1.0

    @property
    def config(self) -> HrmConfig:
        return self.model.config

    def initial_carry(self, batch: Dict[str, torch.Tensor]) -> ActCarry:
        return self.model.initial_carry(batch)

    def forward(self, carry: ActCarry, batch: Dict[str, torch.Tensor]
                ) -> Tuple[ActCarry, torch.Tensor, Dict[str, torch.Tensor], Dict[str, torch.Tensor]]:
        """Run one segment; return (new carry, summed loss, summed metrics, outputs)."""
        carry, outputs = self.model(carry, batch)
        labels = carry.current_data['labels']  # [batch, seq_len], IGNORE_LABEL_ID where unlabelled
        inputs = carry.current_data['inputs']
        logits = outputs['logits']

        with torch.no_grad():
            mask = labels != IGNORE_LABEL_ID
            counts = mask.sum(-1)
            divisor = counts.clamp_min(1).unsqueeze(-1)
            predictions = logits.argmax(-1)
            is_correct = mask & (predictions == labels)
            seq_is_correct = is_correct.sum(-1) == counts

            changed = mask & (labels != inputs)  # cells the model must fill in
            valid = carry.halted & (counts > 0)
            metrics = {
                'count': valid.sum(),
                'accuracy': torch.where(valid, (is_correct.float() / divisor).sum(-1), 0.0).sum(),
                'exact_accuracy': (valid & seq_is_correct).sum(),
                'changed_cells': torch.where(valid, changed.sum(-1), 0).sum(),
                'changed_correct': torch.where(valid, (changed & is_correct).sum(-1), 0).sum(),
                'q_halt_accuracy': (valid & ((outputs['q_halt_logits'] >= 0) == seq_is_correct)).sum(),
                'steps': torch.where(valid, carry.steps, 0).sum(),
            }

            weights = torch.ones_like(logits[..., 0], dtype=torch.float32)
            if self.copy_cell_weight != 1.0:
                weights = torch.where(mask & ~changed, self.copy_cell_weight, 1.0)

        per_cell = LOSS_FUNCTIONS[self.loss_type](logits, labels, IGNORE_LABEL_ID)  # [batch, seq_len]
        lm_loss = (per_cell * weights / divisor).sum()
        q_halt_loss = F.binary_cross_entropy_with_logits(
            outputs['q_halt_logits'], seq_is_correct.to(outputs['q_halt_logits'].dtype), reduction='sum')
        loss = lm_loss + 0.5 * q_halt_loss
        metrics['lm_loss'] = lm_loss.detach()
        metrics['q_halt_loss'] = q_halt_loss.detach()

        if 'target_q_continue' in outputs:
            q_continue_loss = F.binary_cross_entropy_with_logits(
                outputs['q_continue_logits'], outputs['target_q_continue'], reduction='sum')
            loss = loss + 0.5 * q_continue_loss
            metrics['q_continue_loss'] = q_continue_loss.detach()

        return carry, loss, metrics, {key: value.detach() for key, value in outputs.items()}


def build_model(config: HrmConfig, loss_type: str = 'stablemax_cross_entropy') -> HrmLossHead:
    return HrmLossHead(config, loss_type)
