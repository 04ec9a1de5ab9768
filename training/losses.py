"""Per-cell LM losses: stablemax cross-entropy (float64) and softmax cross-entropy (float32)."""

import torch
import torch.nn.functional as F

# Label value the losses skip; dataset padding (`ignore_label_id` in dataset.json) maps to it.
IGNORE_LABEL_ID = -100


def stablemax_s(x: torch.Tensor, epsilon: float = 1e-30) -> torch.Tensor:
    """s(x) = x + 1 for x >= 0 and 1 / (1 - x) for x < 0, the stablemax stand-in for exp."""
    return torch.where(x < 0, 1 / (1 - x + epsilon), x + 1)


def log_stablemax(x: torch.Tensor, dim: int = -1) -> torch.Tensor:
    s_x = stablemax_s(x)
    return torch.log(s_x / s_x.sum(dim=dim, keepdim=True))


def stablemax_cross_entropy(logits: torch.Tensor, labels: torch.Tensor,
                            ignore_index: int = IGNORE_LABEL_ID) -> torch.Tensor:
    """Return -log stablemax(logits)[label] per cell in float64 (float32 on MPS); 0 where ignored."""
    dtype = torch.float32 if logits.device.type == 'mps' else torch.float64
    logprobs = log_stablemax(logits.to(dtype), dim=-1)
    valid = labels != ignore_index
    safe_labels = torch.where(valid, labels, torch.zeros_like(labels)).to(torch.long)
    picked = logprobs.gather(-1, safe_labels.unsqueeze(-1)).squeeze(-1)
    return -torch.where(valid, picked, torch.zeros_like(picked))


def softmax_cross_entropy(logits: torch.Tensor, labels: torch.Tensor,
                          ignore_index: int = IGNORE_LABEL_ID) -> torch.Tensor:
    """Return softmax cross-entropy per cell in float32; 0 where ignored."""
    flat = F.cross_entropy(logits.to(torch.float32).reshape(-1, logits.shape[-1]),
                           labels.to(torch.long).reshape(-1), ignore_index=ignore_index,
                           reduction='none')
    return flat.view(labels.shape)


LOSS_FUNCTIONS = {
    'stablemax_cross_entropy': stablemax_cross_entropy,
    'softmax_cross_entropy': softmax_cross_entropy,
}
