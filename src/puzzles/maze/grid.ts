// Square maze grids in HRM's maze charset: '#' wall, ' ' open, 'S' start, 'G' goal, 'o' path.
// Cells are numbered row-major, cell = row * size + column.

/**
 * Cell codes. They equal HRM's maze token ids (the charset index shifted by one so that 0 stays
 * the padding id), so a grid's cells are already its input tokens.
 */
export const MazeCell = {
  wall: 1,
  open: 2,
  start: 3,
  goal: 4,
  path: 5,
} as const;

export type MazeCellCode = (typeof MazeCell)[keyof typeof MazeCell];

/** HRM's maze charset, ordered by cell code: CHARSET[code - 1] is the character of `code`. */
export const MAZE_CHARSET = '# SGo';

/** A square maze. Walls are impassable; start, goal and path cells count as open. */
export interface MazeGrid {
  /** Side length: the grid has size rows of size cells. */
  size: number;
  /** Cell codes from `MazeCell`, [size * size] row-major. */
  cells: Uint8Array;
}

/** Thrown for maze text or cell arrays that break the format; the message names the fix. */
export class MazeFormatError extends Error {
  override name = 'MazeFormatError';
}

/** The smallest side that can hold distinct start and goal cells. */
export const MIN_MAZE_SIZE = 2;

export function rowOfCell(size: number, cell: number): number {
  return Math.floor(cell / size);
}

export function columnOfCell(size: number, cell: number): number {
  return cell % size;
}

/** Names a cell as 1-based line and column, the way a text editor shows the maze text. */
export function describeCell(size: number, cell: number): string {
  return `line ${rowOfCell(size, cell) + 1}, column ${columnOfCell(size, cell) + 1}`;
}

export function isPassable(code: number): boolean {
  return code !== MazeCell.wall;
}

/** Returns the cell indices whose code is `code`, in row-major order. */
export function findCells(grid: MazeGrid, code: MazeCellCode): number[] {
  const found: number[] = [];
  for (let cell = 0; cell < grid.cells.length; cell++) {
    if (grid.cells[cell] === code) {
      found.push(cell);
    }
  }

  return found;
}

/** Finds the start and goal cells, raising MazeFormatError unless there is exactly one of each. */
export function findEndpoints(grid: MazeGrid): { start: number; goal: number } {
  const starts = findCells(grid, MazeCell.start);
  const goals = findCells(grid, MazeCell.goal);
  checkSingleCell(grid.size, starts, 'S', 'start');
  checkSingleCell(grid.size, goals, 'G', 'goal');

  return { start: starts[0], goal: goals[0] };
}

function checkSingleCell(size: number, found: number[], char: string, role: string): void {
  if (found.length === 0) {
    throw new MazeFormatError(
      `invalid maze: no '${char}' (${role}) cell found; mark exactly one open cell as '${char}'`,
    );
  }
  if (found.length > 1) {
    const listed = found
      .slice(0, 4)
      .map((cell) => describeCell(size, cell))
      .join('; ');
    const more = found.length > 4 ? `; and ${found.length - 4} more` : '';
    throw new MazeFormatError(
      `invalid maze: ${found.length} '${char}' (${role}) cells found, at ${listed}${more}; ` +
        `keep exactly one '${char}'`,
    );
  }
}

/**
 * Checks that `grid` is a well-formed maze: an integer side of at least 2, size * size cells with
 * known codes, and exactly one start and one goal. Raises MazeFormatError naming the problem.
 */
export function validateMaze(grid: MazeGrid): void {
  if (!Number.isInteger(grid.size) || grid.size < MIN_MAZE_SIZE) {
    throw new MazeFormatError(
      `invalid maze size: ${grid.size}; use a whole number of at least ${MIN_MAZE_SIZE}`,
    );
  }
  const expected = grid.size * grid.size;
  if (grid.cells.length !== expected) {
    throw new MazeFormatError(
      `invalid maze: ${grid.cells.length} cells for size ${grid.size}; expected ${expected}`,
    );
  }
  for (let cell = 0; cell < grid.cells.length; cell++) {
    const code = grid.cells[cell];
    if (code < MazeCell.wall || code > MazeCell.path) {
      throw new MazeFormatError(
        `invalid maze: cell code ${code} at ${describeCell(grid.size, cell)}; ` +
          `use ${MazeCell.wall} to ${MazeCell.path} ('#', ' ', 'S', 'G', 'o')`,
      );
    }
  }
  findEndpoints(grid);
}

/** Returns a copy with every path ('o') cell turned back into an open cell. */
export function clearPath(grid: MazeGrid): MazeGrid {
  const cells = grid.cells.map((code) => (code === MazeCell.path ? MazeCell.open : code));

  return { size: grid.size, cells };
}
