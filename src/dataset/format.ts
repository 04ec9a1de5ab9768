// Arrays and metadata of the authors' dataset folders (sapientinc/HRM dataset/common.py,
// dataset/build_sudoku_dataset.py and puzzle_dataset.py):
// - all__inputs.npy, all__labels.npy: uint8 [examples, seq_len], token ids with 0 = pad;
// - all__puzzle_identifiers.npy: int32 [puzzles], the puzzle-embedding row of each puzzle;
// - all__puzzle_indices.npy: int32 [puzzles + 1], offsets into the examples, starting at 0;
// - all__group_indices.npy: int32 [groups + 1], offsets into the puzzles, starting at 0.
// The training loader samples one puzzle per group per epoch, so the augmented variants of a
// source puzzle form one group in which each variant is a puzzle with a single example.

import type { DatasetGroup } from './types.ts';

export interface DatasetMetadata {
  pad_id: number;
  ignore_label_id: number | null;
  blank_identifier_id: number;
  vocab_size: number;
  seq_len: number;
  num_puzzle_identifiers: number;
  total_groups: number;
  mean_puzzle_examples: number;
  sets: string[];
}

export interface SplitArrays {
  inputs: Uint8Array; // [examples, seq_len]
  labels: Uint8Array; // [examples, seq_len]
  puzzleIdentifiers: Int32Array; // [puzzles]
  puzzleIndices: Int32Array; // [puzzles + 1]
  groupIndices: Int32Array; // [groups + 1]
  /** Difficulty rating of each puzzle's source, or null unless every group has one. [puzzles] */
  ratings: Int32Array | null;
  exampleCount: number;
  puzzleCount: number;
}

export interface TaskShape {
  vocabSize: number;
  seqLen: number;
}

/** Flattens groups into the authors' arrays, checking every example against `shape`. */
export function buildSplitArrays(groups: readonly DatasetGroup[], shape: TaskShape): SplitArrays {
  const { seqLen } = shape;
  const exampleCount = groups.reduce((sum, group) => sum + group.examples.length, 0);
  const puzzleCount = exampleCount;
  const hasRatings = groups.length > 0 && groups.every((group) => group.rating !== undefined);

  const inputs = new Uint8Array(exampleCount * seqLen);
  const labels = new Uint8Array(exampleCount * seqLen);
  const puzzleIdentifiers = new Int32Array(puzzleCount);
  const puzzleIndices = new Int32Array(puzzleCount + 1);
  const groupIndices = new Int32Array(groups.length + 1);
  const ratings = hasRatings ? new Int32Array(puzzleCount) : null;

  let example = 0;
  groups.forEach((group, groupIndex) => {
    if (group.examples.length === 0) {
      throw new Error(`invalid dataset group ${groupIndex}: it has no examples`);
    }
    if (!Number.isInteger(group.puzzleIdentifier) || group.puzzleIdentifier < 0) {
      throw new Error(
        `invalid puzzle identifier ${group.puzzleIdentifier} in group ${groupIndex}; ` +
          'use a non-negative integer (0 is the blank identifier)',
      );
    }

    for (const { inputs: exampleInputs, labels: exampleLabels } of group.examples) {
      checkTokens(exampleInputs, 'inputs', groupIndex, shape);
      checkTokens(exampleLabels, 'labels', groupIndex, shape);
      inputs.set(exampleInputs, example * seqLen);
      labels.set(exampleLabels, example * seqLen);

      puzzleIdentifiers[example] = group.puzzleIdentifier;
      if (ratings) ratings[example] = group.rating ?? 0;
      example++;
      puzzleIndices[example] = example;
    }
    groupIndices[groupIndex + 1] = example;
  });

  return {
    inputs,
    labels,
    puzzleIdentifiers,
    puzzleIndices,
    groupIndices,
    ratings,
    exampleCount,
    puzzleCount,
  };
}

function checkTokens(
  tokens: Uint8Array,
  name: string,
  groupIndex: number,
  { vocabSize, seqLen }: TaskShape,
): void {
  if (tokens.length !== seqLen) {
    throw new Error(
      `invalid ${name} in dataset group ${groupIndex}: expected seq_len ${seqLen} tokens, found ${tokens.length}`,
    );
  }

  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] >= vocabSize) {
      throw new Error(
        `invalid ${name} in dataset group ${groupIndex}: token ${tokens[i]} at position ${i} ` +
          `is outside the vocabulary 0..${vocabSize - 1}`,
      );
    }
  }
}

/** Metadata for dataset.json, with the authors' Sudoku and maze conventions for ids. */
export function buildMetadata(
  arrays: SplitArrays,
  shape: TaskShape,
  numPuzzleIdentifiers: number,
): DatasetMetadata {
  return {
    pad_id: 0,
    ignore_label_id: 0,
    blank_identifier_id: 0,
    vocab_size: shape.vocabSize,
    seq_len: shape.seqLen,
    num_puzzle_identifiers: numPuzzleIdentifiers,
    total_groups: arrays.groupIndices.length - 1,
    mean_puzzle_examples: arrays.puzzleCount === 0 ? 0 : arrays.exampleCount / arrays.puzzleCount,
    sets: ['all'],
  };
}
