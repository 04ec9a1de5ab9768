// Conversion between mazes and HRM's maze token ids: 0 pad, then the charset '# SGo' as 1..5
// ('#' 1, ' ' 2, 'S' 3, 'G' 4, 'o' 5). A maze of side N is a sequence of seq_len = N * N tokens,
// row-major. The input is the maze without path marks, and the label is the same grid with one
// shortest path marked 'o'.

import {
  clearPath,
  describeCell,
  MazeCell,
  MazeFormatError,
  type MazeGrid,
  validateMaze,
} from './grid';
import { markPath, solveMaze } from './search';

/** Vocabulary size: the pad id plus the five charset characters. */
export const MAZE_VOCAB_SIZE = 6;

export const MAZE_PAD_ID = 0;

export function mazeSeqLen(size: number): number {
  return size * size;
}

/** Returns the maze's cells as token ids, [seq_len], path marks included. */
export function mazeToTokens(grid: MazeGrid): Uint8Array {
  validateMaze(grid);

  // Cell codes are defined equal to the token ids, so this is a copy.
  return grid.cells.slice();
}

/** Returns the model input for a maze, [seq_len]: its tokens with any path marks cleared. */
export function mazeInputTokens(grid: MazeGrid): Uint8Array {
  return mazeToTokens(clearPath(grid));
}

/**
 * Returns the training label for a maze, [seq_len]: the grid with the shortest path chosen by
 * `solveMaze` marked 'o'. Raises MazeFormatError when the goal cannot be reached.
 */
export function mazeLabelTokens(grid: MazeGrid): Uint8Array {
  const cleared = clearPath(grid);
  const solution = solveMaze(cleared);
  if (solution === null) {
    throw new MazeFormatError(
      'invalid maze: the goal cannot be reached from the start, so there is no path to label; ' +
        'open a route between S and G',
    );
  }

  return mazeToTokens(markPath(cleared, solution.path));
}

/**
 * Reads a token sequence back into a maze. The side is the square root of the length. Raises
 * MazeFormatError for a non-square length, a pad or unknown id (naming its position), or a
 * missing or repeated start or goal.
 */
export function tokensToMaze(tokens: ArrayLike<number>): MazeGrid {
  const size = Math.round(Math.sqrt(tokens.length));
  if (size * size !== tokens.length) {
    throw new MazeFormatError(
      `invalid maze tokens: length ${tokens.length} is not seq_len = N * N for a whole side N`,
    );
  }

  const cells = new Uint8Array(tokens.length);
  for (let position = 0; position < tokens.length; position++) {
    const id = tokens[position];
    if (!Number.isInteger(id) || id < MazeCell.wall || id > MazeCell.path) {
      throw new MazeFormatError(
        `invalid maze token ${id} at position ${position} (${describeCell(size, position)}); ` +
          `maze cells use ids ${MazeCell.wall} to ${MazeCell.path}, and ${MAZE_PAD_ID} is padding`,
      );
    }
    cells[position] = id;
  }

  const grid = { size, cells };
  validateMaze(grid);

  return grid;
}
