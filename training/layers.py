"""Building blocks of HRM: casted linear and embedding layers, RoPE, attention, SwiGLU, RMSNorm.

Parameters are stored in float32 and cast to the activation dtype at use, as in the authors'
code, so a bfloat16 forward pass keeps float32 master weights for the optimizer.
"""

from __future__ import annotations

import math
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn

# Standard deviation of a unit normal truncated to [-2, 2]; dividing by it makes a truncated
# normal initialiser produce the requested standard deviation.
_TRUNCATED_UNIT_STD = 0.8796256610342398

HAS_SDPA = hasattr(F, 'scaled_dot_product_attention')


def trunc_normal_(tensor: torch.Tensor, std: float) -> torch.Tensor:
    """Fill `tensor` from a normal truncated at two standard deviations, with std `std` after truncation."""
    if std == 0:
        with torch.no_grad():
            return tensor.zero_()
    scaled_std = std / _TRUNCATED_UNIT_STD
    with torch.no_grad():
        # Sample in float32 because trunc_normal_ is not implemented for bfloat16 in PyTorch 1.13.
        values = torch.empty(tensor.shape, dtype=torch.float32, device=tensor.device)
        nn.init.trunc_normal_(values, mean=0.0, std=scaled_std, a=-2 * scaled_std, b=2 * scaled_std)
        tensor.copy_(values)
    return tensor


def rms_norm(x: torch.Tensor, eps: float) -> torch.Tensor:
    """RMSNorm without a learned scale, computed in float32 and returned in x's dtype."""
    x32 = x.to(torch.float32)
    x32 = x32 * torch.rsqrt(x32.square().mean(-1, keepdim=True) + eps)
    return x32.to(x.dtype)


class CastedLinear(nn.Module):
    """Linear layer with LeCun-normal float32 weights, cast to the input's dtype at use."""

    def __init__(self, in_features: int, out_features: int, bias: bool) -> None:
        super().__init__()
        self.weight = nn.Parameter(trunc_normal_(torch.empty(out_features, in_features),
                                                 std=1.0 / math.sqrt(in_features)))
        self.bias = nn.Parameter(torch.zeros(out_features)) if bias else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        bias = self.bias.to(x.dtype) if self.bias is not None else None
        return F.linear(x, self.weight.to(x.dtype), bias)


class CastedEmbedding(nn.Module):
    """Embedding table in float32 (`embedding_weight`), looked up and cast to `cast_to`."""

    def __init__(self, num_embeddings: int, embedding_dim: int, init_std: float,
                 cast_to: torch.dtype) -> None:
        super().__init__()
        self.cast_to = cast_to
        self.embedding_weight = nn.Parameter(
            trunc_normal_(torch.empty(num_embeddings, embedding_dim), std=init_std))

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return F.embedding(ids, self.embedding_weight.to(self.cast_to))


def rope_tables(head_dim: int, positions: int, theta: float,
                device: Optional[torch.device] = None) -> Tuple[torch.Tensor, torch.Tensor]:
    """Return (cos, sin), each [positions, head_dim] float32; index i and i + head_dim/2 share a frequency."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32, device=device)
                                / head_dim))  # [head_dim / 2]
    angles = torch.outer(torch.arange(positions, dtype=torch.float32, device=device), inv_freq)
    angles = torch.cat((angles, angles), dim=-1)  # [positions, head_dim]
    return angles.cos(), angles.sin()


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def apply_rope(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotate x [batch, positions, heads, head_dim] in float32 and return it in x's dtype."""
    x32 = x.to(torch.float32)
    cos = cos.unsqueeze(-2)  # [positions, 1, head_dim]
    sin = sin.unsqueeze(-2)
    return (x32 * cos + rotate_half(x32) * sin).to(x.dtype)


def attention(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor) -> torch.Tensor:
    """Non-causal softmax attention; inputs and output are [batch, heads, positions, head_dim]."""
    if HAS_SDPA:
        return F.scaled_dot_product_attention(query, key, value)
    scores = torch.matmul(query, key.transpose(-2, -1)) * (query.shape[-1] ** -0.5)
    return torch.matmul(torch.softmax(scores, dim=-1), value)


class Attention(nn.Module):
    """Multi-head self-attention with a fused qkv projection (queries, then keys, then values)."""

    def __init__(self, hidden_size: int, num_heads: int) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.qkv_proj = CastedLinear(hidden_size, 3 * hidden_size, bias=False)
        self.o_proj = CastedLinear(hidden_size, hidden_size, bias=False)

    def forward(self, x: torch.Tensor,
                cos_sin: Optional[Tuple[torch.Tensor, torch.Tensor]]) -> torch.Tensor:
        batch, positions, hidden = x.shape
        qkv = self.qkv_proj(x).view(batch, positions, 3 * self.num_heads, self.head_dim)
        query = qkv[:, :, :self.num_heads]  # [batch, positions, heads, head_dim]
        key = qkv[:, :, self.num_heads:2 * self.num_heads]
        value = qkv[:, :, 2 * self.num_heads:]

        if cos_sin is not None:
            query = apply_rope(query, *cos_sin)
            key = apply_rope(key, *cos_sin)

        out = attention(query.transpose(1, 2), key.transpose(1, 2), value.transpose(1, 2))
        out = out.transpose(1, 2).reshape(batch, positions, hidden)
        return self.o_proj(out)


class SwiGLU(nn.Module):
    """Gated MLP: down_proj(silu(gate) * up), with [gate, up] from one gate_up_proj."""

    def __init__(self, hidden_size: int, inter: int) -> None:
        super().__init__()
        self.gate_up_proj = CastedLinear(hidden_size, 2 * inter, bias=False)
        self.down_proj = CastedLinear(inter, hidden_size, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate, up = self.gate_up_proj(x).chunk(2, dim=-1)
        return self.down_proj(F.silu(gate) * up)


class Block(nn.Module):
    """Post-norm transformer block: x = norm(x + attn(x)); x = norm(x + mlp(x))."""

    def __init__(self, hidden_size: int, num_heads: int, inter: int, eps: float) -> None:
        super().__init__()
        self.self_attn = Attention(hidden_size, num_heads)
        self.mlp = SwiGLU(hidden_size, inter)
        self.eps = eps

    def forward(self, x: torch.Tensor,
                cos_sin: Optional[Tuple[torch.Tensor, torch.Tensor]]) -> torch.Tensor:
        x = rms_norm(x + self.self_attn(x, cos_sin), self.eps)
        return rms_norm(x + self.mlp(x), self.eps)


class ReasoningModule(nn.Module):
    """The H or L module: add the injection to the state, then apply the blocks in order."""

    def __init__(self, blocks: list) -> None:
        super().__init__()
        self.layers = nn.ModuleList(blocks)

    def forward(self, z: torch.Tensor, injection: torch.Tensor,
                cos_sin: Optional[Tuple[torch.Tensor, torch.Tensor]]) -> torch.Tensor:
        z = z + injection
        for layer in self.layers:
            z = layer(z, cos_sin)
        return z
