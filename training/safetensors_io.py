"""The safetensors file format, written and read without the safetensors package.

Layout: an unsigned 64-bit little-endian header length N, N bytes of JSON header (padded with
spaces to a multiple of 8), then the raw little-endian tensor data. The header maps each tensor
name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to the data start),
plus an optional "__metadata__" object of string values.
"""

from __future__ import annotations

import json
import os
import struct
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch

DTYPE_CODES = {
    torch.float64: 'F64', torch.float32: 'F32', torch.float16: 'F16', torch.bfloat16: 'BF16',
    torch.int64: 'I64', torch.int32: 'I32', torch.int16: 'I16', torch.int8: 'I8',
    torch.uint8: 'U8', torch.bool: 'BOOL',
}
CODE_DTYPES = {code: dtype for dtype, code in DTYPE_CODES.items()}
MAX_HEADER_BYTES = 100 * 1024 * 1024


def tensor_bytes(tensor: torch.Tensor) -> bytes:
    """Return the raw little-endian bytes of a tensor (bfloat16 as its 16-bit patterns)."""
    tensor = tensor.detach().cpu().contiguous()
    if tensor.dtype == torch.bfloat16:
        tensor = tensor.view(torch.int16)
    array = tensor.numpy()
    return array.astype(array.dtype.newbyteorder('<'), copy=False).tobytes()


def bytes_tensor(data: bytes, dtype: torch.dtype, shape: List[int]) -> torch.Tensor:
    if dtype == torch.bfloat16:
        array = np.frombuffer(data, dtype='<i2').copy()
        return torch.from_numpy(array).view(torch.bfloat16).reshape(shape)
    numpy_dtype = torch.empty(0, dtype=dtype).numpy().dtype.newbyteorder('<')
    array = np.frombuffer(data, dtype=numpy_dtype).astype(numpy_dtype.newbyteorder('='))
    return torch.from_numpy(array.copy()).reshape(shape)


def encode(tensors: Dict[str, torch.Tensor], metadata: Optional[Dict[str, str]] = None) -> bytes:
    """Serialise tensors (in name order) and string metadata to safetensors bytes."""
    header: Dict[str, object] = {}
    if metadata:
        bad = [key for key, value in metadata.items() if not isinstance(value, str)]
        if bad:
            raise TypeError(f'safetensors metadata values must be strings; not strings: {bad}')
        header['__metadata__'] = dict(metadata)
    chunks, offset = [], 0
    for name in sorted(tensors):
        tensor = tensors[name]
        if tensor.dtype not in DTYPE_CODES:
            raise TypeError(f'tensor {name}: dtype {tensor.dtype} has no safetensors code')
        data = tensor_bytes(tensor)
        header[name] = {'dtype': DTYPE_CODES[tensor.dtype], 'shape': list(tensor.shape),
                        'data_offsets': [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    header_bytes = json.dumps(header, separators=(',', ':')).encode('utf-8')
    header_bytes += b' ' * (-len(header_bytes) % 8)
    return struct.pack('<Q', len(header_bytes)) + header_bytes + b''.join(chunks)


def save_file(tensors: Dict[str, torch.Tensor], path: str,
              metadata: Optional[Dict[str, str]] = None) -> int:
    """Write a safetensors file; return its size in bytes."""
    data = encode(tensors, metadata)
    with open(path, 'wb') as file:
        file.write(data)
    return len(data)


def decode(data: bytes, source: str = '<bytes>') -> Tuple[Dict[str, torch.Tensor], Dict[str, str]]:
    """Parse safetensors bytes; return (tensors, metadata). Raises ValueError on a malformed file."""
    if len(data) < 8:
        raise ValueError(f'invalid safetensors file {source}: {len(data)} bytes, shorter than the header length')
    (header_length,) = struct.unpack('<Q', data[:8])
    if header_length > MAX_HEADER_BYTES or 8 + header_length > len(data):
        raise ValueError(f'invalid safetensors file {source}: header length {header_length} '
                         f'does not fit in {len(data)} bytes')
    try:
        header = json.loads(data[8:8 + header_length].decode('utf-8'))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f'invalid safetensors file {source}: header is not JSON ({error})') from None
    metadata = header.pop('__metadata__', {}) or {}
    body = data[8 + header_length:]
    tensors = {}
    for name, entry in header.items():
        code = entry.get('dtype')
        if code not in CODE_DTYPES:
            raise ValueError(f'invalid safetensors file {source}: tensor {name} has unknown dtype '
                             f'{code!r}; known: {", ".join(CODE_DTYPES)}')
        begin, end = entry['data_offsets']
        dtype = CODE_DTYPES[code]
        expected = int(np.prod(entry['shape'], dtype=np.int64)) * torch.empty(0, dtype=dtype).element_size()
        if not 0 <= begin <= end <= len(body) or end - begin != expected:
            raise ValueError(f'invalid safetensors file {source}: tensor {name} offsets '
                             f'[{begin}, {end}] do not match shape {entry["shape"]} {code}')
        tensors[name] = bytes_tensor(body[begin:end], dtype, entry['shape'])
    return tensors, metadata


def load_file(path: str) -> Tuple[Dict[str, torch.Tensor], Dict[str, str]]:
    with open(path, 'rb') as file:
        return decode(file.read(), path)


def save_sharded(tensors: Dict[str, torch.Tensor], folder: str, metadata: Dict[str, str],
                 max_shard_bytes: int = 16 * 1024 * 1024, prefix: str = 'model') -> List[str]:
    """Write tensors as `<prefix>-0000i-of-0000N.safetensors` shards plus
    `<prefix>.safetensors.index.json`; return the shard paths.

    Shards are filled in name order up to max_shard_bytes of tensor data, header excluded. A
    single tensor larger than that gets a shard of its own.
    """
    groups: List[List[str]] = [[]]
    size = 0
    for name in sorted(tensors):
        nbytes = tensors[name].numel() * tensors[name].element_size()
        if groups[-1] and size + nbytes > max_shard_bytes:
            groups.append([])
            size = 0
        groups[-1].append(name)
        size += nbytes

    os.makedirs(folder, exist_ok=True)
    weight_map, paths, total = {}, [], 0
    for index, names in enumerate(groups):
        file_name = f'{prefix}-{index + 1:05d}-of-{len(groups):05d}.safetensors'
        path = os.path.join(folder, file_name)
        save_file({name: tensors[name] for name in names}, path, metadata)
        paths.append(path)
        for name in names:
            weight_map[name] = file_name
            total += tensors[name].numel() * tensors[name].element_size()
    index_metadata = dict(metadata)
    index_metadata['total_size'] = total
    with open(os.path.join(folder, f'{prefix}.safetensors.index.json'), 'w') as file:
        json.dump({'metadata': index_metadata, 'weight_map': weight_map}, file, indent=2, sort_keys=True)
    return paths


def load_sharded(index_path: str) -> Tuple[Dict[str, torch.Tensor], Dict[str, str]]:
    """Read a sharded model from its index JSON; return (tensors, index metadata)."""
    with open(index_path) as file:
        index = json.load(file)
    if 'weight_map' not in index:
        raise ValueError(f'invalid safetensors index {index_path}: no weight_map')
    folder = os.path.dirname(index_path)
    tensors: Dict[str, torch.Tensor] = {}
    for file_name in sorted(set(index['weight_map'].values())):
        shard, _ = load_file(os.path.join(folder, file_name))
        tensors.update(shard)
    missing = sorted(set(index['weight_map']) - set(tensors))
    if missing:
        raise ValueError(f'invalid sharded model {index_path}: tensors missing from the shards: '
                         f'{", ".join(missing[:5])}')
    metadata = {key: value for key, value in index.get('metadata', {}).items()}
    return tensors, metadata
