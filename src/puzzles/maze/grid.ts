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

/** A 1-based line and column in maze text, the way a text editor shows them. */
export interface TextPosition {
  line: number;
  column: number;
}

/**
 * The values each maze format failure names, by failure code. The UI fills translated messages
 * with them (keys `puzzle.parse.maze.<code>` in src/i18n).
 */
export interface MazeFormatValues {
  emptyText: Record<string, never>;
  unevenLines: { line: number; cells: number; firstLineCells: number };
  notSquare: { lines: number; cells: number };
  rowNotSquare: { characters: number; minSize: number; minCells: number };
  invalidCharacter: TextPosition & { character: string; codePoint: string };
  tabCharacter: TextPosition;
  tooSmall: { size: number; minSize: number };
  missingStart: Record<string, never>;
  missingGoal: Record<string, never>;
  /** `positions` lists every start cell, but the message names only the first LISTED_POSITIONS. */
  repeatedStart: { count: number; positions: TextPosition[] };
  repeatedGoal: { count: number; positions: TextPosition[] };
  invalidSize: { size: number; minSize: number };
  wrongCellCount: { cells: number; size: number; expected: number };
  invalidCellCode: TextPosition & { cellCode: number; minCode: number; maxCode: number };
  unknownCellCode: { cellCode: number; maxCode: number };
}

export type MazeFormatErrorCode = keyof MazeFormatValues;

/** A failure code with its values, typed so that each code carries its own values. */
export type MazeFormatFailure = {
  [Code in MazeFormatErrorCode]: { code: Code; values: MazeFormatValues[Code] };
}[MazeFormatErrorCode];

/** Every maze failure code; `satisfies` makes a code added to MazeFormatValues a compile error here. */
export const MAZE_FORMAT_ERROR_CODES = Object.keys({
  emptyText: true,
  unevenLines: true,
  notSquare: true,
  rowNotSquare: true,
  invalidCharacter: true,
  tabCharacter: true,
  tooSmall: true,
  missingStart: true,
  missingGoal: true,
  repeatedStart: true,
  repeatedGoal: true,
  invalidSize: true,
  wrongCellCount: true,
  invalidCellCode: true,
  unknownCellCode: true,
} satisfies Record<MazeFormatErrorCode, true>) as MazeFormatErrorCode[];

/**
 * Error for maze text or cell arrays that break the format. The English message names the fix.
 * Errors raised by the maze parsers and validateMaze carry `code` and `values`, so the UI can show
 * the message in the reader's language. Other modules (check, tokens, dataset) raise it with a
 * message only, so there `code` and `values` are undefined.
 */
export class MazeFormatError extends Error {
  override name = 'MazeFormatError';
  readonly code: MazeFormatErrorCode | undefined;
  readonly values: MazeFormatFailure['values'] | undefined;

  constructor(message: string, failure?: MazeFormatFailure) {
    super(message);
    this.code = failure?.code;
    this.values = failure?.values;
  }
}

/** The smallest side that can hold distinct start and goal cells. */
export const MIN_MAZE_SIZE = 2;

export function rowOfCell(size: number, cell: number): number {
  return Math.floor(cell / size);
}

export function columnOfCell(size: number, cell: number): number {
  return cell % size;
}

/** Returns a cell's 1-based line and column, the way a text editor shows the maze text. */
export function positionOfCell(size: number, cell: number): TextPosition {
  return { line: rowOfCell(size, cell) + 1, column: columnOfCell(size, cell) + 1 };
}

/** Names a cell as 1-based line and column, the way a text editor shows the maze text. */
export function describeCell(size: number, cell: number): string {
  const { line, column } = positionOfCell(size, cell);

  return `line ${line}, column ${column}`;
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
  checkSingleCell(grid.size, starts, 'start');
  checkSingleCell(grid.size, goals, 'goal');

  return { start: starts[0], goal: goals[0] };
}

/** Repeated start or goal cells named in a message; the rest are counted as "and N more". */
export const LISTED_POSITIONS = 4;

function checkSingleCell(size: number, found: number[], role: 'start' | 'goal'): void {
  const char = role === 'start' ? 'S' : 'G';

  if (found.length === 0) {
    throw new MazeFormatError(
      `invalid maze: no '${char}' (${role}) cell found; mark exactly one open cell as '${char}'`,
      { code: role === 'start' ? 'missingStart' : 'missingGoal', values: {} },
    );
  }
  if (found.length > 1) {
    const listed = found
      .slice(0, LISTED_POSITIONS)
      .map((cell) => describeCell(size, cell))
      .join('; ');
    const unlisted = found.length - LISTED_POSITIONS;
    const more = unlisted > 0 ? `; and ${unlisted} more` : '';
    const values = {
      count: found.length,
      positions: found.map((cell) => positionOfCell(size, cell)),
    };
    throw new MazeFormatError(
      `invalid maze: ${found.length} '${char}' (${role}) cells found, at ${listed}${more}; ` +
        `keep exactly one '${char}'`,
      { code: role === 'start' ? 'repeatedStart' : 'repeatedGoal', values },
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
      { code: 'invalidSize', values: { size: grid.size, minSize: MIN_MAZE_SIZE } },
    );
  }
  const expected = grid.size * grid.size;
  if (grid.cells.length !== expected) {
    throw new MazeFormatError(
      `invalid maze: ${grid.cells.length} cells for size ${grid.size}; expected ${expected}`,
      { code: 'wrongCellCount', values: { cells: grid.cells.length, size: grid.size, expected } },
    );
  }
  for (let cell = 0; cell < grid.cells.length; cell++) {
    const code = grid.cells[cell];
    if (code < MazeCell.wall || code > MazeCell.path) {
      throw new MazeFormatError(
        `invalid maze: cell code ${code} at ${describeCell(grid.size, cell)}; ` +
          `use ${MazeCell.wall} to ${MazeCell.path} ('#', ' ', 'S', 'G', 'o')`,
        {
          code: 'invalidCellCode',
          values: {
            cellCode: code,
            ...positionOfCell(grid.size, cell),
            minCode: MazeCell.wall,
            maxCode: MazeCell.path,
          },
        },
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
