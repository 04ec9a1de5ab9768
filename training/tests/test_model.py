import math

import pytest
import torch

from training.checkpoints import model_from_tensors
from training.config import HrmConfig
from training.layers import Block, rms_norm, rope_tables
from training.model import HrmLossHead

from .conftest import small_config


def authors_keys(config: HrmConfig):
    """The authors' state_dict keys and shapes for a config (without `_orig_mod.`)."""
    hidden, inter = config.hidden_size, config.inter
    keys = {
        'model.inner.H_init': (hidden,), 'model.inner.L_init': (hidden,),
        'model.inner.embed_tokens.embedding_weight': (config.vocab_size, hidden),
        'model.inner.lm_head.weight': (config.vocab_size, hidden),
        'model.inner.q_head.weight': (2, hidden), 'model.inner.q_head.bias': (2,),
        'model.inner.puzzle_emb.weights': (config.num_puzzle_identifiers, config.puzzle_emb_ndim),
    }
    if config.pos_encodings == 'learned':
        keys['model.inner.embed_pos.embedding_weight'] = (config.positions, hidden)
    for level, count in (('H', config.H_layers), ('L', config.L_layers)):
        for i in range(count):
            prefix = f'model.inner.{level}_level.layers.{i}.'
            keys[prefix + 'self_attn.qkv_proj.weight'] = (3 * hidden, hidden)
            keys[prefix + 'self_attn.o_proj.weight'] = (hidden, hidden)
            keys[prefix + 'mlp.gate_up_proj.weight'] = (2 * inter, hidden)
            keys[prefix + 'mlp.down_proj.weight'] = (hidden, inter)
    return keys


def test_inter_width_formula():
    assert HrmConfig(vocab_size=11, seq_len=81, hidden_size=512).inter == 1536
    assert HrmConfig(vocab_size=11, seq_len=81, hidden_size=128, num_heads=4).inter == 512
    assert small_config().positions == 82


@pytest.mark.parametrize('pos_encodings', ['rope', 'learned'])
def test_state_dict_matches_authors_layout(pos_encodings):
    config = small_config(pos_encodings=pos_encodings, H_layers=2)
    state = HrmLossHead(config).state_dict()
    expected = authors_keys(config)
    assert set(state) == set(expected)
    for key, shape in expected.items():
        assert tuple(state[key].shape) == shape, key
    assert state['model.inner.H_init'].dtype == torch.bfloat16
    assert state['model.inner.lm_head.weight'].dtype == torch.float32


@pytest.mark.parametrize('prefix', ['', '_orig_mod.'])
def test_authors_checkpoint_loads_strictly(tmp_path, prefix):
    config = small_config()
    torch.manual_seed(3)
    # Build a state_dict in the authors' layout by hand, from the expected key list.
    state = {}
    for key, shape in authors_keys(config).items():
        dtype = torch.bfloat16 if key.endswith('_init') else torch.float32
        state[prefix + key] = torch.randn(shape).to(dtype)
    path = tmp_path / 'checkpoint'
    torch.save(state, path)
    model = model_from_tensors(torch.load(path), config)
    loaded = model.state_dict()
    for key, value in state.items():
        assert torch.equal(loaded[key[len(prefix):]].to(value.dtype), value), key


def test_unexpected_key_is_rejected():
    config = small_config()
    state = {key: torch.zeros(shape) for key, shape in authors_keys(config).items()}
    state['model.inner.extra.weight'] = torch.zeros(1)
    with pytest.raises(RuntimeError, match='extra.weight'):
        model_from_tensors(state, config)


def test_block_shapes_and_post_norm():
    torch.manual_seed(0)
    block = Block(hidden_size=32, num_heads=2, inter=256, eps=1e-5)
    x = torch.randn(3, 82, 32)
    cos, sin = rope_tables(16, 82, 10000.0)
    out = block(x, (cos, sin))
    assert out.shape == (3, 82, 32)
    # Post-norm: every output row has unit RMS.
    rms = out.square().mean(-1).sqrt()
    assert torch.allclose(rms, torch.ones_like(rms), atol=1e-3)


def test_rms_norm_has_no_scale():
    x = torch.tensor([[3.0, 4.0]])
    expected = x / math.sqrt(12.5 + 1e-5)
    assert torch.allclose(rms_norm(x, 1e-5), expected)


def test_rope_table_frequencies():
    cos, sin = rope_tables(head_dim=8, positions=5, theta=10000.0)
    assert cos.shape == (5, 8)
    # Index i and i + head_dim/2 share the frequency theta^(-2i/head_dim).
    angle = 3 * 10000.0 ** (-2 * 1 / 8)
    assert cos[3, 1].item() == pytest.approx(math.cos(angle), abs=1e-6)
    assert sin[3, 5].item() == pytest.approx(math.sin(angle), abs=1e-6)


def test_segment_outputs_and_carry_shapes():
    config = small_config()
    model = HrmLossHead(config)
    inner = model.model.inner
    inner.set_forward_dtype(torch.float32)
    batch = {'inputs': torch.randint(1, 11, (3, 81)), 'puzzle_identifiers': torch.zeros(3, dtype=torch.int32)}
    carry = inner.initial_carry(3)
    assert carry.z_H.shape == (3, 82, 32)
    carry, logits, (q_halt, q_continue) = inner(carry, batch)
    assert logits.shape == (3, 81, 11)
    assert q_halt.shape == (3,)
    assert q_continue.shape == (3,)
    # Fresh Q head: weights 0, bias -5.
    assert torch.allclose(q_halt, torch.full((3,), -5.0))


def test_one_step_gradient_reaches_only_last_updates():
    torch.manual_seed(0)
    config = small_config(L_layers=1, H_layers=1, H_cycles=2, L_cycles=2)
    inner = HrmLossHead(config).model.inner
    inner.set_forward_dtype(torch.float32)
    batch = {'inputs': torch.randint(1, 11, (2, 81)), 'puzzle_identifiers': torch.zeros(2, dtype=torch.int32)}

    def gradient_norm(grad_mode):
        inner.zero_grad()
        _, logits, _ = inner(inner.initial_carry(2), batch, grad_mode=grad_mode)
        logits.square().sum().backward()
        return inner.L_level.layers[0].mlp.down_proj.weight.grad.clone()

    one_step = gradient_norm('one_step')
    full = gradient_norm('last_segment')
    assert one_step.abs().sum() > 0
    # Back-propagating through all four L updates gives a different gradient than through one.
    assert not torch.allclose(one_step, full)


def test_invalid_grad_mode_is_rejected():
    inner = HrmLossHead(small_config()).model.inner
    batch = {'inputs': torch.ones(1, 81, dtype=torch.int32), 'puzzle_identifiers': torch.zeros(1, dtype=torch.int32)}
    with pytest.raises(ValueError, match='grad_mode'):
        inner(inner.initial_carry(1), batch, grad_mode='full')


def test_config_rejects_bad_values():
    with pytest.raises(ValueError, match='pos_encodings'):
        small_config(pos_encodings='alibi')
    with pytest.raises(ValueError, match='num_heads'):
        small_config(num_heads=5)
    with pytest.raises(ValueError, match='unknown HRM config fields: colour'):
        HrmConfig.from_dict({'vocab_size': 11, 'seq_len': 81, 'colour': 1})
