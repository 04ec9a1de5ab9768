// Generated maze data sets in the authors' layout (dataset/build_maze_dataset.py): one group per
// source maze holding its dihedral variants, every example with puzzle identifier 0, which is
// also the blank identifier (blank_identifier_id 0, num_puzzle_identifiers 1).

import type { DatasetExample, DatasetGroup } from '../../dataset/types';
import { createRng } from '../random';
import { DIHEDRAL_TRANSFORM_COUNT, transformSquare } from './dihedral';
import { generateMaze, resolveGeneratorOptions } from './generate';
import { MazeFormatError } from './grid';
import { markPath, solveMaze } from './search';
import { mazeToTokens } from './tokens';

export interface MazeGroupOptions {
  /** Number of source mazes, hence of groups. */
  count: number;
  /** Maze side; seq_len is size * size. */
  size: number;
  /** Seed of the generator; equal seeds and options give equal groups. */
  seed: number;
  /** Whether each group contains all 8 dihedral variants (true) or only the source maze (false). */
  augment: boolean;
  /** Minimum shortest-path length in moves, by default `defaultMinPathLength(size)`. */
  minPathLength?: number;
}

/** The authors write identifier 0 for every maze example, and 0 is their blank identifier. */
export const MAZE_PUZZLE_IDENTIFIER = 0;

/**
 * Generates `count` mazes and returns one group per maze. Inputs are the maze tokens and labels
 * the same grid with one shortest path marked 'o', both [size * size]. The rating is the shortest
 * path length in moves. Raises RangeError for bad options.
 */
export function buildMazeGroups(options: MazeGroupOptions): DatasetGroup[] {
  const { count, size, seed, augment } = options;
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`invalid maze count: ${count}; use a whole number of 0 or more`);
  }
  if (!Number.isInteger(seed)) {
    throw new RangeError(`invalid maze seed: ${seed}; use a whole number`);
  }
  if (typeof augment !== 'boolean') {
    throw new RangeError(`invalid augment: ${String(augment)}; use true or false`);
  }
  // Checked before the loop so that bad options fail even when count is 0.
  const { minPathLength } = resolveGeneratorOptions({ size, minPathLength: options.minPathLength });

  const rng = createRng(seed);
  const transformIds = augment ? [...Array(DIHEDRAL_TRANSFORM_COUNT).keys()] : [0];
  const groups: DatasetGroup[] = [];

  for (let index = 0; index < count; index++) {
    const maze = generateMaze(rng, { size, minPathLength });
    const solution = solveMaze(maze);
    if (solution === null) {
      // The generator places G only on a cell reachable from S, so this is a generator bug.
      throw new MazeFormatError(`generated maze ${index} (seed ${seed}) has no path from S to G`);
    }
    const inputs = mazeToTokens(maze); // [size * size]
    const labels = mazeToTokens(markPath(maze, solution.path)); // [size * size]

    const examples: DatasetExample[] = transformIds.map((transformId) => ({
      inputs: transformSquare(inputs, size, transformId),
      labels: transformSquare(labels, size, transformId),
    }));
    groups.push({
      puzzleIdentifier: MAZE_PUZZLE_IDENTIFIER,
      examples,
      sourceId: `maze-${size}x${size}-seed${seed}-${index}`,
      rating: solution.distance,
    });
  }

  return groups;
}
