"""Training toolchain for HRM Playground: the HRM model in PyTorch, the authors' dataset format,
the training loop, and export to the safetensors files the browser app loads.

Modules other tools build on:
- `training.config`: `HrmConfig`, the architecture fields with HRM's own names.
- `training.model`: `HrmLossHead` (`model.inner.*` keys, as the authors' ACT loss head),
  `HrmAct` (the ACT wrapper) and `HrmInner` (one segment of the recurrence).
- `training.data`: `PuzzleDataset`, a reader for the authors' dataset folders.
- `training.checkpoints`: load and save our safetensors files, the authors' checkpoint format and
  training checkpoints; `load_model(path)` accepts any of them.
- `training.safetensors_io`: the safetensors file format, single and sharded.
- `training.golden`: the golden fixture writer for the browser engine's parity tests.
"""
