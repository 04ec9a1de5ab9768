"""Golden fixtures for the browser engine's parity tests.

One safetensors file per (model, numeric mode) with every intermediate state of a few puzzles:
`p{i}.inputs`, `p{i}.puzzle_identifier`, `p{i}.embedding`, `p{i}.s{s}.h{h}.l{l}.z_L`,
`p{i}.s{s}.h{h}.z_H`, `p{i}.s{s}.logits` and `p{i}.s{s}.q` (q_halt, q_continue). States are
float32; in bfloat16 mode they hold the bfloat16 values widened to float32. Each puzzle starts
from H_init/L_init and carries its states unchanged between segments (no halting reset).
"""

from __future__ import annotations

import os
from typing import Dict, List, Sequence

import numpy as np
import torch

from .checkpoints import load_model
from .safetensors_io import save_file

FIXTURE_FORMAT = 'hrm-golden-fixture'
FIXTURE_VERSION = '1'
MODES = {'float32': torch.float32, 'bfloat16': torch.bfloat16}


@torch.no_grad()
def golden_tensors(model, inputs: Sequence[np.ndarray], puzzle_identifiers: Sequence[int],
                   segments: int, mode: str) -> Dict[str, torch.Tensor]:
    """Run each puzzle for `segments` segments in `mode` and collect the named states."""
    if mode not in MODES:
        raise ValueError(f'invalid mode {mode!r}; expected one of {", ".join(MODES)}')
    inner = model.model.inner
    inner.eval()
    inner.set_forward_dtype(MODES[mode])
    tensors: Dict[str, torch.Tensor] = {}
    for i, (tokens, identifier) in enumerate(zip(inputs, puzzle_identifiers)):
        tokens = np.asarray(tokens, dtype=np.int32)
        if tokens.shape != (inner.config.seq_len,):
            raise ValueError(f'puzzle {i}: {tokens.shape[0]} tokens, expected seq_len '
                             f'{inner.config.seq_len}')
        batch = {'inputs': torch.from_numpy(tokens)[None],
                 'puzzle_identifiers': torch.tensor([identifier], dtype=torch.int32)}
        tensors[f'p{i}.inputs'] = torch.from_numpy(tokens.copy())
        tensors[f'p{i}.puzzle_identifier'] = torch.tensor([identifier], dtype=torch.int32)
        carry = inner.initial_carry(1)
        for s in range(segments):
            def record(name: str, value: torch.Tensor, s: int = s) -> None:
                key = f'p{i}.embedding' if name == 'embedding' else f'p{i}.s{s}.{name}'
                tensors.setdefault(key, value[0].to(torch.float32).clone())

            carry, logits, (q_halt, q_continue) = inner(carry, batch, record=record)
            tensors[f'p{i}.s{s}.logits'] = logits[0].to(torch.float32).clone()
            tensors[f'p{i}.s{s}.q'] = torch.stack([q_halt[0], q_continue[0]]).to(torch.float32)
    return tensors


def write_golden(weights_path: str, repo_root: str, out_path: str, mode: str,
                 inputs: Sequence[np.ndarray], puzzle_identifiers: Sequence[int],
                 segments: int) -> int:
    """Load the weights at repo_root/weights_path, run the puzzles and write the fixture file;
    return its size in bytes. `weights_path` is stored relative to the repository root."""
    model = load_model(os.path.join(repo_root, weights_path))
    tensors = golden_tensors(model, inputs, puzzle_identifiers, segments, mode)
    metadata = {
        'format': FIXTURE_FORMAT, 'version': FIXTURE_VERSION, 'mode': mode,
        'model': weights_path.replace(os.sep, '/'), 'hrm_config': model.config.to_json(),
        'puzzles': str(len(inputs)), 'segments': str(segments),
    }
    os.makedirs(os.path.dirname(out_path) or '.', exist_ok=True)
    return save_file(tensors, out_path, metadata)


def fixture_names(puzzles: int, segments: int, H_cycles: int, L_cycles: int) -> List[str]:
    """Return every tensor name a fixture with these counts holds, for readers and tests."""
    names = []
    for i in range(puzzles):
        names += [f'p{i}.inputs', f'p{i}.puzzle_identifier', f'p{i}.embedding']
        for s in range(segments):
            for h in range(H_cycles):
                names += [f'p{i}.s{s}.h{h}.l{l}.z_L' for l in range(L_cycles)]
                names.append(f'p{i}.s{s}.h{h}.z_H')
            names += [f'p{i}.s{s}.logits', f'p{i}.s{s}.q']
    return names


def main(argv=None) -> None:
    import argparse

    from .data import PuzzleSet

    parser = argparse.ArgumentParser(description='Write golden fixtures for a weights file.')
    parser.add_argument('--weights', required=True,
                        help='weights file relative to the repository root, e.g. '
                        'public/models/sudoku-h64/model.safetensors')
    parser.add_argument('--data', required=True, help='dataset folder; puzzles come from its test split')
    parser.add_argument('--model-id', required=True, help='fixture name prefix, e.g. sudoku-h64')
    parser.add_argument('--puzzles', type=int, default=2)
    parser.add_argument('--segments', type=int, default=2)
    parser.add_argument('--repo-root', default='.', help='repository root (default: current folder)')
    args = parser.parse_args(argv)

    test = PuzzleSet(args.data, 'test')
    inputs = list(test.inputs[:args.puzzles])
    identifiers = [int(test.puzzle_identifiers[0])] * len(inputs)
    for mode in MODES:
        out = os.path.join(args.repo_root, 'tests', 'fixtures', 'golden', f'{args.model_id}-{mode}.safetensors')
        size = write_golden(args.weights, args.repo_root, out, mode, inputs, identifiers, args.segments)
        print(f'wrote {out} ({size} bytes)')


if __name__ == '__main__':
    main()
