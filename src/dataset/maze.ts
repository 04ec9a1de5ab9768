// Maze data sets: groups come from the maze package; test mazes are never augmented, as in the
// authors' build_maze_dataset.py.

import { buildMazeGroups } from '../puzzles/maze/dataset.ts';
import { MAZE_VOCAB_SIZE, mazeSeqLen } from '../puzzles/maze/tokens.ts';
import { deriveSeed } from '../puzzles/random.ts';
import type { TaskShape } from './format.ts';
import type { DatasetSplits } from './write.ts';

export interface MazeSetOptions {
  trainCount: number;
  testCount: number;
  size: number;
  seed: number;
  /** Adds the 8 dihedral variants of each training maze. */
  augment: boolean;
  minPathLength?: number;
}

export function mazeTaskShape(size: number): TaskShape {
  return { vocabSize: MAZE_VOCAB_SIZE, seqLen: mazeSeqLen(size) };
}

/**
 * Generates both splits from independent streams of one seed.
 * NOTE: unlike Sudoku splits, test mazes are not checked against training mazes for repeats.
 */
export function generateMazeSplits(options: MazeSetOptions): DatasetSplits {
  const common = { size: options.size, minPathLength: options.minPathLength };

  const train = buildMazeGroups({
    ...common,
    count: options.trainCount,
    seed: deriveSeed(options.seed, 0),
    augment: options.augment,
  });
  const test = buildMazeGroups({
    ...common,
    count: options.testCount,
    seed: deriveSeed(options.seed, 1),
    augment: false,
  });

  return { train, test };
}
