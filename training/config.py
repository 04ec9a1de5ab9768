"""HRM architecture configuration, with the field names of the authors' `arch` config section."""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from typing import Any, Dict

POS_ENCODINGS = ('rope', 'learned')
FORWARD_DTYPES = ('bfloat16', 'float32')


@dataclass
class HrmConfig:
    """Architecture of one HRM. Defaults are the authors' released Sudoku/Maze settings."""

    vocab_size: int
    seq_len: int
    num_puzzle_identifiers: int = 1
    hidden_size: int = 512
    num_heads: int = 8
    expansion: float = 4.0
    H_layers: int = 4
    L_layers: int = 4
    H_cycles: int = 2
    L_cycles: int = 2
    halt_max_steps: int = 16
    halt_exploration_prob: float = 0.1
    pos_encodings: str = 'rope'
    rope_theta: float = 10000.0
    rms_norm_eps: float = 1e-5
    puzzle_emb_ndim: int = 512
    forward_dtype: str = 'bfloat16'

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise ValueError naming the first invalid field and what it should be."""
        positive_ints = ('vocab_size', 'seq_len', 'num_puzzle_identifiers', 'hidden_size',
                         'num_heads', 'H_layers', 'L_layers', 'H_cycles', 'L_cycles',
                         'halt_max_steps')
        for name in positive_ints:
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f'invalid {name}: {value!r}; expected a positive integer')
        if self.hidden_size % self.num_heads != 0:
            raise ValueError(f'invalid num_heads: {self.num_heads}; hidden_size '
                             f'{self.hidden_size} must be a multiple of it')
        if self.head_dim % 2 != 0 and self.pos_encodings == 'rope':
            raise ValueError(f'invalid num_heads: {self.num_heads}; RoPE needs an even head_dim, '
                             f'got {self.head_dim}')
        if self.pos_encodings not in POS_ENCODINGS:
            raise ValueError(f'invalid pos_encodings: {self.pos_encodings!r}; expected one of '
                             f'{", ".join(POS_ENCODINGS)}')
        if self.forward_dtype not in FORWARD_DTYPES:
            raise ValueError(f'invalid forward_dtype: {self.forward_dtype!r}; expected one of '
                             f'{", ".join(FORWARD_DTYPES)}')
        if not isinstance(self.puzzle_emb_ndim, int) or self.puzzle_emb_ndim < 0:
            raise ValueError(f'invalid puzzle_emb_ndim: {self.puzzle_emb_ndim!r}; expected 0 '
                             '(no puzzle embedding) or a positive integer')
        if not 0.0 <= self.halt_exploration_prob <= 1.0:
            raise ValueError(f'invalid halt_exploration_prob: {self.halt_exploration_prob}; '
                             'expected a probability in [0, 1]')
        if self.expansion <= 0:
            raise ValueError(f'invalid expansion: {self.expansion}; expected a positive number')

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_heads

    @property
    def inter(self) -> int:
        """MLP inner width: round(expansion * hidden_size * 2 / 3) rounded up to a multiple of 256."""
        return math.ceil(round(self.expansion * self.hidden_size * 2 / 3) / 256) * 256

    @property
    def puzzle_emb_len(self) -> int:
        """Positions prepended for the puzzle embedding: ceil(puzzle_emb_ndim / hidden_size)."""
        return -(-self.puzzle_emb_ndim // self.hidden_size)

    @property
    def positions(self) -> int:
        """seq_len + puzzle_emb_len: the number of positions the blocks run on."""
        return self.seq_len + self.puzzle_emb_len

    def to_dict(self) -> Dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, values: Dict[str, Any], *, ignore_unknown: bool = False) -> 'HrmConfig':
        """Build a config from a dict; unknown keys raise unless ignore_unknown is set."""
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown and not ignore_unknown:
            raise ValueError(f'unknown HRM config fields: {", ".join(unknown)}; valid fields are '
                             f'{", ".join(sorted(known))}')
        kwargs = {key: value for key, value in values.items() if key in known}
        missing = [name for name in ('vocab_size', 'seq_len') if name not in kwargs]
        if missing:
            raise ValueError(f'missing HRM config fields: {", ".join(missing)}; they come from '
                             "the dataset's dataset.json")

        # YAML and JSON may give floats for integer fields (e.g. `expansion: 4`); normalise types.
        for field in dataclasses.fields(cls):
            if field.name in kwargs and field.type in ('int', int):
                value = kwargs[field.name]
                if isinstance(value, float) and value.is_integer():
                    kwargs[field.name] = int(value)
            if field.name in kwargs and field.type in ('float', float):
                kwargs[field.name] = float(kwargs[field.name])
        return cls(**kwargs)

    @classmethod
    def from_json(cls, text: str) -> 'HrmConfig':
        return cls.from_dict(json.loads(text))
