// Puzzle values of the share-link `p` parameter.
//
// Sudoku: the 81-cell line, row-major, digits 1 to 9 and '.' for a blank ('0' is also read as a
// blank). It stays readable and editable by hand, and needs no escaping in a URL.
//
// Maze: base64url of bytes [side, start (2 bytes, big-endian), goal (2 bytes), wall bits]. Wall
// bit i is 1 when cell i is a wall, most significant bit first within each byte, and the last
// byte is padded with zero bits. A 30×30 maze takes 118 bytes, 158 characters. Path marks
// are not stored, because a link shares the puzzle and not a solution.

import { clearPath, findEndpoints, MazeCell, type MazeGrid, validateMaze } from '../maze/grid';
import { decodeBase64url, encodeBase64url } from './base64url';

export const SUDOKU_CELL_COUNT = 81;

/** The side is stored in one byte. */
export const MAX_SHARED_MAZE_SIZE = 255;

export const MIN_SHARED_MAZE_SIZE = 2;

const MAZE_HEADER_BYTES = 5;

/** Writes Sudoku cells ([81], 0 for a blank) as the 81-character line. */
export function encodeSudoku(grid: Uint8Array): string {
  if (grid.length !== SUDOKU_CELL_COUNT) {
    throw new RangeError(
      `invalid Sudoku grid: ${grid.length} cells; expected ${SUDOKU_CELL_COUNT}`,
    );
  }

  let line = '';
  for (let cell = 0; cell < grid.length; cell++) {
    const digit = grid[cell];
    if (digit > 9) {
      throw new RangeError(`invalid Sudoku grid: ${digit} in cell ${cell}; use 0 (blank) to 9`);
    }
    line += digit === 0 ? '.' : String(digit);
  }

  return line;
}

/** Reads the 81-character line. Returns the cells, or a string saying what is wrong. */
export function decodeSudoku(line: string): Uint8Array | string {
  if (line.length !== SUDOKU_CELL_COUNT) {
    return `has ${line.length} characters; a Sudoku line has ${SUDOKU_CELL_COUNT}`;
  }

  const grid = new Uint8Array(SUDOKU_CELL_COUNT);
  for (let cell = 0; cell < SUDOKU_CELL_COUNT; cell++) {
    const char = line[cell];
    if (char === '.' || char === '0') continue;
    if (char < '1' || char > '9') {
      return `character ${cell + 1} ('${char}') is not a digit 1 to 9 or '.' for a blank`;
    }
    grid[cell] = Number(char);
  }

  return grid;
}

/** Packs a maze as described in the file header. Raises RangeError for an unsupported side. */
export function encodeMaze(maze: MazeGrid): string {
  const { size } = maze;
  if (!Number.isInteger(size) || size < MIN_SHARED_MAZE_SIZE || size > MAX_SHARED_MAZE_SIZE) {
    throw new RangeError(
      `invalid maze size for a share link: ${size}; use ${MIN_SHARED_MAZE_SIZE} to ` +
        `${MAX_SHARED_MAZE_SIZE}`,
    );
  }
  const puzzle = clearPath(maze);
  validateMaze(puzzle);
  const { start, goal } = findEndpoints(puzzle);

  const cellCount = size * size;
  const bytes = new Uint8Array(MAZE_HEADER_BYTES + Math.ceil(cellCount / 8));
  bytes[0] = size;
  bytes[1] = start >> 8;
  bytes[2] = start & 255;
  bytes[3] = goal >> 8;
  bytes[4] = goal & 255;
  for (let cell = 0; cell < cellCount; cell++) {
    if (maze.cells[cell] === MazeCell.wall) {
      bytes[MAZE_HEADER_BYTES + (cell >> 3)] |= 0x80 >> (cell & 7);
    }
  }

  return encodeBase64url(bytes);
}

/** Unpacks a maze. Returns the maze, or a string saying what is wrong. */
export function decodeMaze(text: string): MazeGrid | string {
  const bytes = decodeBase64url(text);
  if (typeof bytes === 'string') {
    return `is not base64url: ${bytes}`;
  }
  if (bytes.length < MAZE_HEADER_BYTES) {
    return `is ${bytes.length} bytes, shorter than the ${MAZE_HEADER_BYTES}-byte maze header`;
  }

  const size = bytes[0];
  if (size < MIN_SHARED_MAZE_SIZE) {
    return `gives maze size ${size}; the size must be ${MIN_SHARED_MAZE_SIZE} to ${MAX_SHARED_MAZE_SIZE}`;
  }
  const cellCount = size * size;
  const expectedBytes = MAZE_HEADER_BYTES + Math.ceil(cellCount / 8);
  if (bytes.length !== expectedBytes) {
    return `is ${bytes.length} bytes, but a ${size}×${size} maze packs into ${expectedBytes}`;
  }

  const cells = new Uint8Array(cellCount);
  for (let cell = 0; cell < cellCount; cell++) {
    const isWall = (bytes[MAZE_HEADER_BYTES + (cell >> 3)] & (0x80 >> (cell & 7))) !== 0;
    cells[cell] = isWall ? MazeCell.wall : MazeCell.open;
  }

  const start = (bytes[1] << 8) | bytes[2];
  const goal = (bytes[3] << 8) | bytes[4];
  for (const [name, cell] of [
    ['start', start],
    ['goal', goal],
  ] as const) {
    if (cell >= cellCount) {
      return `puts the ${name} at cell ${cell}, outside the ${cellCount} cells of a ${size}×${size} maze`;
    }
    if (cells[cell] === MazeCell.wall) {
      return `puts the ${name} on a wall at cell ${cell}`;
    }
  }
  if (start === goal) {
    return `puts start and goal on the same cell ${start}`;
  }
  cells[start] = MazeCell.start;
  cells[goal] = MazeCell.goal;

  return { size, cells };
}
