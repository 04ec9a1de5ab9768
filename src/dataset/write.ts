// Writes a data set folder in the authors' layout (Node.js only):
//   <out>/identifiers.json
//   <out>/{train,test}/dataset.json and all__{inputs,labels,puzzle_identifiers,
//   puzzle_indices,group_indices}.npy
// plus all__ratings.npy (int32 [puzzles]: the source puzzle's difficulty rating, repeated for
// its augmented variants) when every group has a rating. The authors' loader opens only the
// files named in its field list, so it ignores the ratings file.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SplitArrays, TaskShape } from './format.ts';
import { buildMetadata, buildSplitArrays } from './format.ts';
import { encodeNpy } from './npy.ts';
import type { DatasetGroup } from './types.ts';

export interface DatasetSplits {
  train: readonly DatasetGroup[];
  test: readonly DatasetGroup[];
}

export interface WrittenSplit {
  examples: number;
  puzzles: number;
  groups: number;
}

/**
 * Names each puzzle identifier for identifiers.json: index 0 is the blank identifier
 * "<blank>", and identifier i > 0 takes the sourceId of the first group that uses it.
 */
function buildIdentifierNames(splits: DatasetSplits, count: number): string[] {
  const names = Array.from({ length: count }, (_, i) => (i === 0 ? '<blank>' : `puzzle-${i}`));
  const named = new Set<number>([0]);

  for (const group of [...splits.train, ...splits.test]) {
    const id = group.puzzleIdentifier;
    if (named.has(id) || group.sourceId === undefined) continue;
    names[id] = group.sourceId;
    named.add(id);
  }

  return names;
}

function writeSplit(directory: string, arrays: SplitArrays, shape: TaskShape, identifiers: number) {
  mkdirSync(directory, { recursive: true });

  const metadata = buildMetadata(arrays, shape, identifiers);
  writeFileSync(join(directory, 'dataset.json'), `${JSON.stringify(metadata)}\n`);

  const files: [string, Uint8Array][] = [
    ['all__inputs.npy', encodeNpy(arrays.inputs, [arrays.exampleCount, shape.seqLen])],
    ['all__labels.npy', encodeNpy(arrays.labels, [arrays.exampleCount, shape.seqLen])],
    ['all__puzzle_identifiers.npy', encodeNpy(arrays.puzzleIdentifiers, [arrays.puzzleCount])],
    ['all__puzzle_indices.npy', encodeNpy(arrays.puzzleIndices, [arrays.puzzleCount + 1])],
    ['all__group_indices.npy', encodeNpy(arrays.groupIndices, [arrays.groupIndices.length])],
  ];
  if (arrays.ratings) {
    files.push(['all__ratings.npy', encodeNpy(arrays.ratings, [arrays.puzzleCount])]);
  }

  for (const [name, bytes] of files) writeFileSync(join(directory, name), bytes);
}

/**
 * Writes both splits and identifiers.json under `outDir`, creating folders as needed and
 * replacing files of an earlier run. `num_puzzle_identifiers` covers the identifiers of both
 * splits, so train and test metadata agree.
 */
export function writeDatasetFolder(
  outDir: string,
  splits: DatasetSplits,
  shape: TaskShape,
): { train: WrittenSplit; test: WrittenSplit } {
  const train = buildSplitArrays(splits.train, shape);
  const test = buildSplitArrays(splits.test, shape);

  let maxIdentifier = 0;
  for (const group of [...splits.train, ...splits.test]) {
    maxIdentifier = Math.max(maxIdentifier, group.puzzleIdentifier);
  }
  const identifierCount = maxIdentifier + 1;

  writeSplit(join(outDir, 'train'), train, shape, identifierCount);
  writeSplit(join(outDir, 'test'), test, shape, identifierCount);
  writeFileSync(
    join(outDir, 'identifiers.json'),
    `${JSON.stringify(buildIdentifierNames(splits, identifierCount))}\n`,
  );

  const summarize = (arrays: SplitArrays): WrittenSplit => ({
    examples: arrays.exampleCount,
    puzzles: arrays.puzzleCount,
    groups: arrays.groupIndices.length - 1,
  });

  return { train: summarize(train), test: summarize(test) };
}
