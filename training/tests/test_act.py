import torch

from training.model import HrmLossHead

from .conftest import small_config


def make_batch(rows: int, seed: int = 0):
    generator = torch.Generator().manual_seed(seed)
    inputs = torch.randint(1, 11, (rows, 81), generator=generator, dtype=torch.int32)
    return {'inputs': inputs, 'labels': inputs.clone(),
            'puzzle_identifiers': torch.zeros(rows, dtype=torch.int32)}


def test_evaluation_runs_all_segments():
    model = HrmLossHead(small_config(halt_max_steps=3))
    model.eval()
    batch = make_batch(2)
    carry = model.initial_carry(batch)
    halted = []
    with torch.no_grad():
        for _ in range(3):
            carry, _, _, _ = model(carry, batch)
            halted.append(carry.halted.tolist())
    assert halted == [[False, False], [False, False], [True, True]]
    assert carry.steps.tolist() == [3, 3]


def test_training_halts_when_q_halt_exceeds_q_continue():
    config = small_config(halt_max_steps=4, halt_exploration_prob=0.0)
    model = HrmLossHead(config)
    with torch.no_grad():
        model.model.inner.q_head.bias.copy_(torch.tensor([1.0, -1.0]))  # q_halt > q_continue
    model.train()
    batch = make_batch(2)
    carry, _, _, outputs = model(model.initial_carry(batch), batch)
    assert carry.halted.all()
    assert 'target_q_continue' in outputs


def test_training_continues_when_q_continue_is_higher():
    config = small_config(halt_max_steps=4, halt_exploration_prob=0.0)
    model = HrmLossHead(config)
    model.train()
    batch = make_batch(2)
    carry, _, _, _ = model(model.initial_carry(batch), batch)  # bias -5 / -5: not greater
    assert not carry.halted.any()
    assert carry.steps.tolist() == [1, 1]


def test_exploration_enforces_minimum_steps():
    config = small_config(halt_max_steps=4, halt_exploration_prob=1.0)
    model = HrmLossHead(config)
    with torch.no_grad():
        model.model.inner.q_head.bias.copy_(torch.tensor([1.0, -1.0]))
    model.train()
    torch.manual_seed(0)
    batch = make_batch(64)
    carry, _, _, _ = model(model.initial_carry(batch), batch)
    # The minimum is drawn from 2..halt_max_steps, so no row may halt after one segment.
    assert not carry.halted.any()


def test_halted_rows_reset_and_load_new_data():
    config = small_config(halt_max_steps=2)
    model = HrmLossHead(config)
    model.eval()
    first, second = make_batch(2, seed=1), make_batch(2, seed=2)
    with torch.no_grad():
        carry = model.initial_carry(first)
        carry, _, _, _ = model(carry, first)
        kept_state = carry.inner.z_H.clone()
        carry, _, _, _ = model(carry, second)  # step 2: rows still on the first puzzle
        assert torch.equal(carry.current_data['inputs'], first['inputs'])
        assert carry.halted.all()
        assert not torch.equal(carry.inner.z_H, kept_state)
        carry, _, _, _ = model(carry, second)  # halted rows restart on the new batch
        assert torch.equal(carry.current_data['inputs'], second['inputs'])
        assert carry.steps.tolist() == [1, 1]
    # A reset carry equals a fresh one: H_init/L_init broadcast over all positions.
    inner = model.model.inner
    reset = inner.reset_carry(torch.ones(2, dtype=torch.bool), carry.inner)
    fresh = inner.initial_carry(2)
    assert torch.equal(reset.z_H, fresh.z_H)
    assert torch.equal(reset.z_L, fresh.z_L)


def test_single_step_has_no_q_target():
    config = small_config(halt_max_steps=1)
    model = HrmLossHead(config)
    model.train()
    batch = make_batch(2)
    _, outputs = model.model(model.initial_carry(batch), batch)
    # halt_max_steps 1: ACT is off in training, so there is no Q-continue target.
    assert 'target_q_continue' not in outputs
