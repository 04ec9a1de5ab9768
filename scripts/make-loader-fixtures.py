"""Write the small model files that tests/unit/model and tests/browser/model-loading read.

Run with Debian's Python, which has torch: /usr/bin/python3 scripts/make-loader-fixtures.py
The output goes to tests/fixtures/loaders/ and is deterministic for a given torch version.

- authors/checkpoint + all_config.yaml: a tiny RoPE HRM in the authors' release format, which
  is torch.save of a state_dict with `_orig_mod.model.inner.` keys, float32 parameters and
  bfloat16 H_init/L_init. The YAML's arch section omits seq_len, vocab_size and
  num_puzzle_identifiers.
- single/model.safetensors: the same weights in our format, keys without `_orig_mod.`.
- sharded/: a tiny learned-positions HRM in bfloat16, split over three shards plus
  model.safetensors.index.json.
- checkpoints/*.pt: small state_dicts for the checkpoint reader: the PyTorch 2.x archive layout,
  storage offsets, ZIP64 records, pickle protocol 4, a non-contiguous tensor, a float64 tensor, and a pickle
  that calls os.system.
"""

import collections
import io
import json
import math
import os
import pickle
import struct
import zipfile

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "loaders")

ROPE_CONFIG = dict(
    hidden_size=16,
    num_heads=2,
    expansion=2,
    H_layers=1,
    L_layers=1,
    H_cycles=2,
    L_cycles=2,
    halt_max_steps=4,
    halt_exploration_prob=0.1,
    pos_encodings="rope",
    rope_theta=10000.0,
    rms_norm_eps=1e-5,
    puzzle_emb_ndim=16,
    num_puzzle_identifiers=3,
    vocab_size=11,
    seq_len=81,
    forward_dtype="bfloat16",
)

LEARNED_CONFIG = dict(ROPE_CONFIG, pos_encodings="learned", vocab_size=6, seq_len=20, puzzle_emb_ndim=0,
                      num_puzzle_identifiers=1)


def mlp_width(config):
    """MLP inner width as the authors' SwiGLU computes it: a multiple of 256."""
    width = round(config["expansion"] * config["hidden_size"] * 2 / 3)
    return math.ceil(width / 256) * 256


def make_state_dict(config, seed):
    """Random parameters under canonical names, float32 except bfloat16 H_init/L_init."""
    generator = torch.Generator().manual_seed(seed)
    hidden, inter = config["hidden_size"], mlp_width(config)
    puzzle_emb_len = math.ceil(config["puzzle_emb_ndim"] / hidden) if config["puzzle_emb_ndim"] else 0

    def randn(*shape):
        return torch.randn(*shape, generator=generator) * 0.1

    params = collections.OrderedDict()
    params["H_init"] = torch.randn(hidden, generator=generator).to(torch.bfloat16)
    params["L_init"] = torch.randn(hidden, generator=generator).to(torch.bfloat16)
    params["embed_tokens.embedding_weight"] = randn(config["vocab_size"], hidden)
    params["lm_head.weight"] = randn(config["vocab_size"], hidden)
    params["q_head.weight"] = randn(2, hidden)
    params["q_head.bias"] = torch.tensor([-5.0, -4.5])
    if config["puzzle_emb_ndim"] > 0:
        params["puzzle_emb.weights"] = randn(config["num_puzzle_identifiers"], config["puzzle_emb_ndim"])
    if config["pos_encodings"] == "learned":
        params["embed_pos.embedding_weight"] = randn(config["seq_len"] + puzzle_emb_len, hidden)
    for level in ("H", "L"):
        for i in range(config[f"{level}_layers"]):
            prefix = f"{level}_level.layers.{i}"
            params[f"{prefix}.self_attn.qkv_proj.weight"] = randn(3 * hidden, hidden)
            params[f"{prefix}.self_attn.o_proj.weight"] = randn(hidden, hidden)
            params[f"{prefix}.mlp.gate_up_proj.weight"] = randn(2 * inter, hidden)
            params[f"{prefix}.mlp.down_proj.weight"] = randn(hidden, inter)
    return params


SAFETENSORS_DTYPES = {torch.float32: "F32", torch.bfloat16: "BF16", torch.float16: "F16",
                      torch.int32: "I32", torch.int64: "I64", torch.uint8: "U8"}


def tensor_bytes(tensor):
    """Raw little-endian bytes of a contiguous tensor; bfloat16 goes through an int16 view."""
    tensor = tensor.contiguous()
    if tensor.dtype == torch.bfloat16:
        tensor = tensor.view(torch.int16)
    return tensor.numpy().tobytes()


def write_safetensors(path, tensors, metadata):
    """Write a safetensors file: u64 header length, JSON header padded to 8 bytes, data."""
    header = {"__metadata__": metadata}
    offset = 0
    for key, tensor in tensors.items():
        size = tensor.numel() * tensor.element_size()
        header[key] = {"dtype": SAFETENSORS_DTYPES[tensor.dtype], "shape": list(tensor.shape),
                       "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as file:
        file.write(struct.pack("<Q", len(text)))
        file.write(text)
        for tensor in tensors.values():
            file.write(tensor_bytes(tensor))


def write_authors(params, config):
    folder = os.path.join(ROOT, "authors")
    os.makedirs(folder, exist_ok=True)
    state_dict = collections.OrderedDict((f"_orig_mod.model.inner.{name}", value) for name, value in params.items())
    torch.save(state_dict, os.path.join(folder, "checkpoint"))

    # The arch section as the authors' pretrain.py dumps it: no seq_len, vocab_size or
    # num_puzzle_identifiers, which come from the dataset at training time.
    arch = {key: config[key] for key in ("halt_exploration_prob", "halt_max_steps", "H_cycles", "L_cycles",
                                          "H_layers", "L_layers", "hidden_size", "num_heads", "expansion",
                                          "puzzle_emb_ndim", "pos_encodings")}
    arch = {"name": "hrm.hrm_act_v1@HierarchicalReasoningModel_ACTV1",
            "loss": {"name": "losses@ACTLossHead", "loss_type": "stablemax_cross_entropy"}, **arch}
    import yaml
    with open(os.path.join(folder, "all_config.yaml"), "w") as file:
        yaml.safe_dump({"arch": arch, "data_path": "data/sudoku-tiny", "global_batch_size": 8,
                        "epochs": 1, "lr": 1e-4, "seed": 0}, file, sort_keys=True)


def write_single(params, config):
    folder = os.path.join(ROOT, "single")
    os.makedirs(folder, exist_ok=True)
    tensors = collections.OrderedDict((f"model.inner.{name}", value) for name, value in params.items())
    write_safetensors(os.path.join(folder, "model.safetensors"), tensors,
                      {"format": "hrm", "hrm_config": json.dumps(config),
                       "model_card": "Tiny random HRM for loader tests."})


def write_sharded(params, config):
    folder = os.path.join(ROOT, "sharded")
    os.makedirs(folder, exist_ok=True)
    keys = list(params)
    shards = [keys[0:6], keys[6:9], keys[9:]]
    weight_map = {}
    for index, shard_keys in enumerate(shards):
        name = f"model-{index + 1:05d}-of-{len(shards):05d}.safetensors"
        tensors = collections.OrderedDict((f"model.inner.{key}", params[key].to(torch.bfloat16))
                                          for key in shard_keys)
        write_safetensors(os.path.join(folder, name), tensors, {"format": "pt"})
        weight_map.update({key: name for key in tensors})
    total = sum(params[key].numel() * 2 for key in keys)
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as file:
        json.dump({"metadata": {"total_size": total, "format": "hrm", "hrm_config": json.dumps(config)},
                   "weight_map": weight_map}, file, indent=2)


def torch2_layout(source_path, target_path, top="archive"):
    """Rewrite a torch.save archive in the PyTorch 2.x layout: top folder `top`, byteorder,
    .data/version and .data/serialization_id entries, and data aligned to 64 bytes."""
    with zipfile.ZipFile(source_path) as source:
        old_top = source.namelist()[0].split("/")[0]
        entries = [(name.replace(old_top, top, 1), source.read(name)) for name in source.namelist()]
    entries += [(f"{top}/byteorder", b"little"), (f"{top}/.data/version", b"3\n"),
                (f"{top}/.data/serialization_id", b"1234567890123456789012345678901234567890")]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as target:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            header_end = buffer.tell() + 30 + len(name.encode()) + 4
            info.extra = struct.pack("<HH", 0x4246, -header_end % 64) + b"Z" * (-header_end % 64)
            target.writestr(info, data)
    with open(target_path, "wb") as file:
        file.write(buffer.getvalue())


class SystemCall:
    """Pickles as a call to os.system, like a malicious checkpoint would."""

    def __reduce__(self):
        return (os.system, ("echo this must never run",))


def write_zip64(source_path, target_path):
    """Rewrite a torch.save archive with ZIP64 records, as archives over 4 GiB need. Lowering
    zipfile's ZIP64_LIMIT makes Python write them for this small file too."""
    with zipfile.ZipFile(source_path) as source:
        entries = [(name, source.read(name)) for name in source.namelist()]
    limit = zipfile.ZIP64_LIMIT
    zipfile.ZIP64_LIMIT = 64
    try:
        with zipfile.ZipFile(target_path, "w", zipfile.ZIP_STORED) as target:
            for name, data in entries:
                target.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data)
    finally:
        zipfile.ZIP64_LIMIT = limit


def write_forbidden_global(path):
    payload = pickle.dumps(collections.OrderedDict(weight=SystemCall()), protocol=2)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("forbidden/data.pkl", payload)
        archive.writestr("forbidden/version", b"3\n")


def write_checkpoints():
    folder = os.path.join(ROOT, "checkpoints")
    os.makedirs(folder, exist_ok=True)
    base = torch.arange(24, dtype=torch.float32)
    offsets = collections.OrderedDict()
    offsets["row"] = base[6:12].view(2, 3)  # storage offset 6, shared storage
    offsets["whole"] = base.view(4, 6)
    offsets["scalar"] = torch.tensor(2.5)
    offsets["steps"] = torch.tensor([1, -2, 3], dtype=torch.int64)
    offsets["half"] = torch.tensor([1.0, -0.5, 65504.0], dtype=torch.float16)
    offsets["bf16"] = torch.tensor([1.0, -3.0, 0.15625], dtype=torch.bfloat16)
    offsets["ids"] = torch.tensor([7, 8], dtype=torch.int32)
    offsets["mask"] = torch.tensor([0, 1, 255], dtype=torch.uint8)
    plain = os.path.join(folder, "offsets.pt")
    torch.save(offsets, plain)
    torch2_layout(plain, os.path.join(folder, "torch2-layout.pt"))
    write_zip64(plain, os.path.join(folder, "zip64.pt"))
    torch.save(offsets, os.path.join(folder, "protocol4.pt"), pickle_protocol=4)
    torch.save(collections.OrderedDict(transposed=base.view(4, 6).t()), os.path.join(folder, "non-contiguous.pt"))
    torch.save(collections.OrderedDict(weight=torch.zeros(2, dtype=torch.float64)), os.path.join(folder, "float64.pt"))
    write_forbidden_global(os.path.join(folder, "forbidden-global.pt"))


def main():
    rope = make_state_dict(ROPE_CONFIG, seed=1)
    write_authors(rope, ROPE_CONFIG)
    write_single(rope, ROPE_CONFIG)
    write_sharded(make_state_dict(LEARNED_CONFIG, seed=2), LEARNED_CONFIG)
    write_checkpoints()


if __name__ == "__main__":
    main()
