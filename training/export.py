"""Export a trained HRM: safetensors (bfloat16 or float32, single file or shards of at most
--max-shard-mib) and/or the authors' format, and register it in public/models/index.json.

    /usr/bin/python3 -m training.export --model runs/sudoku/train_state.pt \
        --out public/models/sudoku-h64 --dtype bfloat16 --card public/models/sudoku-h64/MODEL_CARD.md \
        --index public/models/index.json --id sudoku-h64 --name "Sudoku (hidden 64)" --task sudoku --default
"""

from __future__ import annotations

import argparse
import json
import os
from typing import List, Optional

import torch

from .checkpoints import load_model, save_authors_checkpoint, save_safetensors_model, save_sharded_model

TASKS = ('sudoku', 'maze')


def update_index(index_path: str, entry: dict) -> None:
    """Insert or replace `entry` (by id) in the models index; a default entry clears the others' flag."""
    models: List[dict] = []
    if os.path.isfile(index_path):
        with open(index_path) as file:
            models = json.load(file).get('models', [])
    models = [model for model in models if model['id'] != entry['id']]
    if entry['default']:
        for model in models:
            model['default'] = False
    models.append(entry)
    models.sort(key=lambda model: (not model['default'], model['id']))
    with open(index_path, 'w') as file:
        json.dump({'models': models}, file, indent=2)
        file.write('\n')


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description='Export a trained HRM.')
    parser.add_argument('--model', required=True, help='train_state.pt, model.safetensors, an index '
                        'JSON or an authors\' checkpoint folder')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--dtype', choices=('bfloat16', 'float32'), default='bfloat16',
                        help='dtype of every floating tensor in the safetensors output')
    parser.add_argument('--sharded', action='store_true', help='write model-0000i-of-0000N shards '
                        'plus model.safetensors.index.json instead of one file')
    parser.add_argument('--max-shard-mib', type=float, default=16.0, help='shard size limit in MiB')
    parser.add_argument('--authors', default=None, help='also write checkpoint + all_config.yaml '
                        'in the authors\' format to this folder')
    parser.add_argument('--card', default=None, help='Markdown model card stored in the metadata')
    parser.add_argument('--index', default=None, help='models index JSON to update')
    parser.add_argument('--id', default=None, help='model id in the index (default: the --out folder name)')
    parser.add_argument('--name', default=None, help='human-readable name in the index')
    parser.add_argument('--task', choices=TASKS, default=None, help='task in the index')
    parser.add_argument('--default', action='store_true', help='mark this model as the default one')
    args = parser.parse_args(argv)

    model = load_model(args.model)
    dtype = getattr(torch, args.dtype)
    card = None
    if args.card:
        with open(args.card) as file:
            card = file.read()

    if args.sharded:
        paths = save_sharded_model(model, args.out, dtype, int(args.max_shard_mib * 1024 * 1024), card)
        print(f'wrote {len(paths)} shards and model.safetensors.index.json to {args.out}')
        weights = os.path.join(args.out, 'model.safetensors.index.json')
    else:
        weights = os.path.join(args.out, 'model.safetensors')
        size = save_safetensors_model(model, weights, dtype, card)
        print(f'wrote {weights} ({size} bytes, {args.dtype})')
    if args.authors:
        save_authors_checkpoint(model, args.authors)
        print(f'wrote {args.authors}/checkpoint and all_config.yaml')

    if args.index:
        if args.task is None or args.name is None:
            parser.error('--index needs --task and --name')
        if args.sharded:
            parser.error('--index lists single-file models; export without --sharded')
        # Paths are relative to the served root, the folder above the index's folder
        # (public/ for public/models/index.json), e.g. models/<id>/model.safetensors.
        served_root = os.path.dirname(os.path.dirname(os.path.abspath(args.index)))
        model_id = args.id or os.path.basename(os.path.normpath(args.out))
        entry = {
            'id': model_id, 'name': args.name, 'task': args.task,
            'path': os.path.relpath(os.path.abspath(weights), served_root).replace(os.sep, '/'),
            'bytes': os.path.getsize(weights),
            'card': os.path.relpath(os.path.abspath(args.card), served_root).replace(os.sep, '/')
            if args.card else None,
            'default': args.default,
        }
        update_index(args.index, entry)
        print(f'updated {args.index} with {model_id}')


if __name__ == '__main__':
    main()
