"""Read a data set folder with numpy and json, as the HRM authors' loader does, and print a
JSON summary for the TypeScript tests.

Usage: /usr/bin/python3 read_dataset.py <folder>

Exits with status 1 and a message on stderr when the folder breaks the layout that
sapientinc/HRM puzzle_dataset.py relies on.
"""

import json
import os
import sys

import numpy as np

METADATA_FIELDS = {
    "pad_id", "ignore_label_id", "blank_identifier_id", "vocab_size", "seq_len",
    "num_puzzle_identifiers", "total_groups", "mean_puzzle_examples", "sets",
}
ARRAY_NAMES = ["inputs", "labels", "puzzle_identifiers", "puzzle_indices", "group_indices"]


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def read_split(folder, split):
    directory = os.path.join(folder, split)
    with open(os.path.join(directory, "dataset.json")) as file:
        metadata = json.load(file)
    check(set(metadata) == METADATA_FIELDS, f"{split}: dataset.json fields {sorted(metadata)}")

    arrays = {}
    for set_name in metadata["sets"]:
        for name in ARRAY_NAMES:
            arrays[name] = np.load(os.path.join(directory, f"{set_name}__{name}.npy"))
    ratings_path = os.path.join(directory, "all__ratings.npy")
    if os.path.exists(ratings_path):
        arrays["ratings"] = np.load(ratings_path)

    inputs, labels = arrays["inputs"], arrays["labels"]
    puzzle_indices, group_indices = arrays["puzzle_indices"], arrays["group_indices"]
    examples = inputs.shape[0]
    puzzles = arrays["puzzle_identifiers"].shape[0]

    # The invariants puzzle_dataset.py relies on when it samples and collates batches.
    check(inputs.shape == labels.shape == (examples, metadata["seq_len"]), f"{split}: input shape")
    check(puzzle_indices[0] == 0 and puzzle_indices[-1] == examples, f"{split}: puzzle_indices ends")
    check(np.all(np.diff(puzzle_indices) > 0), f"{split}: puzzle_indices must increase")
    check(group_indices[0] == 0 and group_indices[-1] == puzzles, f"{split}: group_indices ends")
    check(np.all(np.diff(group_indices) > 0), f"{split}: group_indices must increase")
    check(len(group_indices) - 1 == metadata["total_groups"], f"{split}: total_groups")
    check(int(inputs.max(initial=0)) < metadata["vocab_size"], f"{split}: input id out of vocab")
    check(int(labels.max(initial=0)) < metadata["vocab_size"], f"{split}: label id out of vocab")
    check(int(arrays["puzzle_identifiers"].max(initial=0)) < metadata["num_puzzle_identifiers"],
          f"{split}: puzzle identifier out of range")

    return {
        "metadata": metadata,
        "dtypes": {name: str(array.dtype) for name, array in arrays.items()},
        "shapes": {name: list(array.shape) for name, array in arrays.items()},
        "values": {name: array.tolist() for name, array in arrays.items()},
    }


def main():
    if len(sys.argv) != 2:
        fail("usage: read_dataset.py <folder>")
    folder = sys.argv[1]
    with open(os.path.join(folder, "identifiers.json")) as file:
        identifiers = json.load(file)

    summary = {"identifiers": identifiers}
    for split in ["train", "test"]:
        summary[split] = read_split(folder, split)
    json.dump(summary, sys.stdout)


if __name__ == "__main__":
    main()
