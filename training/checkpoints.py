"""Model files: our safetensors (single or sharded), the authors' checkpoint + all_config.yaml,
and training checkpoints. `load_model` reads any of them into an HrmLossHead.

Tensor names are the authors' state_dict keys without `_orig_mod.`, e.g.
`model.inner.H_level.layers.0.self_attn.qkv_proj.weight`.
"""

from __future__ import annotations

import json
import os
from typing import Dict, Optional

import torch
import yaml

from .config import HrmConfig
from .model import HrmLossHead
from .safetensors_io import load_file, load_sharded, save_file, save_sharded

COMPILE_PREFIX = '_orig_mod.'
AUTHORS_ARCH_NAME = 'hrm.hrm_act_v1@HierarchicalReasoningModel_ACTV1'
AUTHORS_LOSS_NAME = 'losses@ACTLossHead'


def strip_compile_prefix(state_dict: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """Remove the `_orig_mod.` prefix that torch.compile adds; keys without it pass unchanged."""
    return {(key[len(COMPILE_PREFIX):] if key.startswith(COMPILE_PREFIX) else key): value
            for key, value in state_dict.items()}


def model_tensors(model: HrmLossHead, dtype: torch.dtype) -> Dict[str, torch.Tensor]:
    """Return the persistent state with floating tensors cast to dtype (float32 or bfloat16)."""
    if dtype not in (torch.float32, torch.bfloat16):
        raise ValueError(f'invalid export dtype {dtype}; expected torch.float32 or torch.bfloat16')
    return {key: (value.detach().cpu().to(dtype) if value.is_floating_point() else value.detach().cpu())
            for key, value in model.state_dict().items()}


def model_metadata(config: HrmConfig, model_card: Optional[str]) -> Dict[str, str]:
    metadata = {'format': 'hrm', 'hrm_config': config.to_json()}
    if model_card:
        metadata['model_card'] = model_card
    return metadata


def save_safetensors_model(model: HrmLossHead, path: str, dtype: torch.dtype = torch.bfloat16,
                           model_card: Optional[str] = None) -> int:
    """Write model.safetensors with the config in the metadata; return its size in bytes."""
    folder = os.path.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    return save_file(model_tensors(model, dtype), path, model_metadata(model.config, model_card))


def save_sharded_model(model: HrmLossHead, folder: str, dtype: torch.dtype = torch.bfloat16,
                       max_shard_bytes: int = 16 * 1024 * 1024, model_card: Optional[str] = None):
    return save_sharded(model_tensors(model, dtype), folder, model_metadata(model.config, model_card),
                        max_shard_bytes)


def model_from_tensors(tensors: Dict[str, torch.Tensor], config: HrmConfig,
                       loss_type: str = 'stablemax_cross_entropy') -> HrmLossHead:
    """Build a model and load tensors strictly (after removing any `_orig_mod.` prefix)."""
    model = HrmLossHead(config, loss_type)
    model.load_state_dict(strip_compile_prefix(tensors), strict=True)
    return model


def load_safetensors_model(path: str) -> HrmLossHead:
    if path.endswith('.index.json'):
        tensors, metadata = load_sharded(path)
    else:
        tensors, metadata = load_file(path)
    if metadata.get('format') != 'hrm' or 'hrm_config' not in metadata:
        raise ValueError(f'{path} is not an HRM model file: its metadata needs format "hrm" and '
                         f'hrm_config (found keys: {", ".join(sorted(metadata)) or "none"})')
    config = HrmConfig.from_json(metadata['hrm_config'])
    return model_from_tensors(tensors, config)


def save_authors_checkpoint(model: HrmLossHead, folder: str, extra_config: Optional[dict] = None) -> None:
    """Write `checkpoint` (torch.save of the state_dict, keys prefixed `_orig_mod.`, float32
    parameters, bfloat16 H_init/L_init) and `all_config.yaml`, as the authors' pretrain.py does."""
    os.makedirs(folder, exist_ok=True)
    state = {}
    for key, value in model.state_dict().items():
        value = value.detach().cpu()
        if key.endswith('.H_init') or key.endswith('.L_init'):
            value = value.to(torch.bfloat16)
        elif value.is_floating_point():
            value = value.to(torch.float32)
        state[COMPILE_PREFIX + key] = value.clone()
    torch.save(state, os.path.join(folder, 'checkpoint'))

    arch = {'name': AUTHORS_ARCH_NAME, 'loss': {'name': AUTHORS_LOSS_NAME, 'loss_type': model.loss_type}}
    arch.update(model.config.to_dict())
    all_config = {'arch': arch}
    all_config.update(extra_config or {})
    with open(os.path.join(folder, 'all_config.yaml'), 'w') as file:
        yaml.safe_dump(all_config, file, sort_keys=True)


def config_from_authors(folder: str, state: Dict[str, torch.Tensor]) -> HrmConfig:
    """Read the arch section of all_config.yaml; fill vocab_size, num_puzzle_identifiers and
    seq_len from the tensors or the dataset named by data_path when the section lacks them."""
    with open(os.path.join(folder, 'all_config.yaml')) as file:
        all_config = yaml.safe_load(file)
    if not isinstance(all_config, dict) or 'arch' not in all_config:
        raise ValueError(f'invalid {folder}/all_config.yaml: no arch section')
    arch = {key: value for key, value in all_config['arch'].items() if key not in ('name', 'loss')}
    tensors = strip_compile_prefix(state)
    if 'vocab_size' not in arch:
        arch['vocab_size'] = tensors['model.inner.embed_tokens.embedding_weight'].shape[0]
    if 'num_puzzle_identifiers' not in arch and 'model.inner.puzzle_emb.weights' in tensors:
        arch['num_puzzle_identifiers'] = tensors['model.inner.puzzle_emb.weights'].shape[0]
    if 'seq_len' not in arch:
        dataset_json = os.path.join(str(all_config.get('data_path', '')), 'train', 'dataset.json')
        if 'model.inner.embed_pos.embedding_weight' in tensors:
            positions = tensors['model.inner.embed_pos.embedding_weight'].shape[0]
            hidden = arch.get('hidden_size', 512)
            arch['seq_len'] = positions - -(-arch.get('puzzle_emb_ndim', 0) // hidden)
        elif os.path.isfile(dataset_json):
            with open(dataset_json) as file:
                arch['seq_len'] = json.load(file)['seq_len']
        else:
            raise ValueError(f'{folder}/all_config.yaml has no seq_len and it cannot be inferred '
                             f'(RoPE model, dataset {dataset_json} not found); add seq_len to its arch section')
    return HrmConfig.from_dict(arch, ignore_unknown=True)


def load_authors_checkpoint(folder: str) -> HrmLossHead:
    path = os.path.join(folder, 'checkpoint')
    state = torch.load(path, map_location='cpu')
    config = config_from_authors(folder, state)
    loss_type = 'stablemax_cross_entropy'
    return model_from_tensors(state, config, loss_type)


def load_model(path: str) -> HrmLossHead:
    """Load an HRM from model.safetensors, a sharded index JSON, an authors' checkpoint folder
    (or its `checkpoint` file), or a training checkpoint (train_state.pt)."""
    if os.path.isdir(path):
        if os.path.isfile(os.path.join(path, 'checkpoint')):
            return load_authors_checkpoint(path)
        for name in ('model.safetensors', 'model.safetensors.index.json'):
            if os.path.isfile(os.path.join(path, name)):
                return load_safetensors_model(os.path.join(path, name))
        raise FileNotFoundError(f'no model in folder {path}: expected checkpoint + all_config.yaml, '
                                'model.safetensors or model.safetensors.index.json')
    if not os.path.isfile(path):
        raise FileNotFoundError(f'model file not found: {path}')
    if path.endswith('.safetensors') or path.endswith('.index.json'):
        return load_safetensors_model(path)
    if os.path.basename(path) == 'checkpoint':
        return load_authors_checkpoint(os.path.dirname(path) or '.')
    state = torch.load(path, map_location='cpu')
    if isinstance(state, dict) and 'model' in state and 'config' in state:
        return model_from_tensors(state['model'], HrmConfig.from_dict(state['config']))
    raise ValueError(f'unrecognised model file {path}: expected .safetensors, an index JSON, an '
                     'authors\' checkpoint or a train_state.pt written by training.train')
