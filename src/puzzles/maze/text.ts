// Reading and writing mazes as text: one line per row (the form people paste and edit), or one
// row-major line of size * size characters (the form of the authors' maze CSV files).

import { findEndpoints, MAZE_CHARSET, MazeFormatError, type MazeGrid, MIN_MAZE_SIZE } from './grid';

const CHARSET_HINT = `use only '#' wall, ' ' open, 'S' start, 'G' goal and 'o' path`;

/** Returns the code of a charset character, or 0 for any other character. */
function codeOfChar(char: string): number {
  const index = MAZE_CHARSET.indexOf(char);

  return index < 0 || char.length !== 1 ? 0 : index + 1;
}

/** Writes a character's code point the way Unicode charts do, e.g. 'U+00A0'. */
function codePointOf(char: string): string {
  const codePoint = char.codePointAt(0) ?? 0;

  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Parses a maze written one line per row. Accepts LF or CRLF line ends and one trailing line
 * break. Raises MazeFormatError naming the line and column of the first problem: an unknown
 * character, a line whose length differs from the first line's, a non-square grid, or a start or
 * goal that is missing or repeated.
 */
export function parseMaze(text: string): MazeGrid {
  const body = text.replace(/\r?\n$/, '');
  if (body.length === 0) {
    throw new MazeFormatError(
      `invalid maze: the text is empty; write one line per row and ${CHARSET_HINT}`,
      { code: 'emptyText', values: {} },
    );
  }
  const lines = body.split(/\r?\n/);
  const width = lines[0].length;

  for (let row = 0; row < lines.length; row++) {
    const line = lines[row];
    if (line.length !== width) {
      throw new MazeFormatError(
        `invalid maze: line ${row + 1} has ${line.length} cells but line 1 has ${width}; ` +
          'every line needs the same number of cells (an editor may have stripped open cells, ' +
          'written as spaces, from the end of a line)',
        {
          code: 'unevenLines',
          values: { line: row + 1, cells: line.length, firstLineCells: width },
        },
      );
    }
  }
  if (lines.length !== width) {
    throw new MazeFormatError(
      `invalid maze: found ${lines.length} lines of ${width} cells; a maze must be square, ` +
        'with as many lines as cells per line',
      { code: 'notSquare', values: { lines: lines.length, cells: width } },
    );
  }

  const size = width;
  const cells = new Uint8Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      cells[row * size + column] = codeOrThrow(lines[row][column], row, column);
    }
  }

  return checkedMaze({ size, cells });
}

/**
 * Parses a maze written as one row-major line of size * size characters, as in the authors'
 * maze CSV files. Raises MazeFormatError when the length is not a square number or a character
 * is not in the charset.
 */
export function parseMazeRow(row: string): MazeGrid {
  const size = Math.round(Math.sqrt(row.length));
  const minCells = MIN_MAZE_SIZE * MIN_MAZE_SIZE;
  if (size * size !== row.length || size < MIN_MAZE_SIZE) {
    throw new MazeFormatError(
      `invalid maze row: ${row.length} characters is not the square of a whole number of at ` +
        `least ${MIN_MAZE_SIZE}; a ${MIN_MAZE_SIZE}×${MIN_MAZE_SIZE} maze has ${minCells}, ` +
        'a 30×30 maze 900',
      {
        code: 'rowNotSquare',
        values: { characters: row.length, minSize: MIN_MAZE_SIZE, minCells },
      },
    );
  }

  const cells = new Uint8Array(size * size);
  for (let cell = 0; cell < cells.length; cell++) {
    cells[cell] = codeOrThrow(row[cell], Math.floor(cell / size), cell % size);
  }

  return checkedMaze({ size, cells });
}

function codeOrThrow(char: string, row: number, column: number): number {
  const code = codeOfChar(char);
  if (code !== 0) return code;

  const position = { line: row + 1, column: column + 1 };
  const at = `invalid maze: line ${position.line}, column ${position.column} has`;
  // A tab gets its own code because an editor shows it as blank space, and its fix is a space.
  if (char === '\t') {
    throw new MazeFormatError(`${at} a tab; ${CHARSET_HINT}`, {
      code: 'tabCharacter',
      values: position,
    });
  }
  const codePoint = codePointOf(char);
  throw new MazeFormatError(`${at} '${char}' (${codePoint}); ${CHARSET_HINT}`, {
    code: 'invalidCharacter',
    values: { ...position, character: char, codePoint },
  });
}

function checkedMaze(grid: MazeGrid): MazeGrid {
  if (grid.size < MIN_MAZE_SIZE) {
    throw new MazeFormatError(
      `invalid maze: a ${grid.size}×${grid.size} grid cannot hold both 'S' and 'G'; ` +
        `use at least ${MIN_MAZE_SIZE}×${MIN_MAZE_SIZE}`,
      { code: 'tooSmall', values: { size: grid.size, minSize: MIN_MAZE_SIZE } },
    );
  }
  findEndpoints(grid);

  return grid;
}

/** Writes a maze one line per row, joined by '\n', with no trailing line break. */
export function formatMaze(grid: MazeGrid): string {
  const lines: string[] = [];
  for (let row = 0; row < grid.size; row++) {
    lines.push(formatCells(grid.cells.subarray(row * grid.size, (row + 1) * grid.size)));
  }

  return lines.join('\n');
}

/** Writes a maze as one row-major line of size * size characters. */
export function formatMazeRow(grid: MazeGrid): string {
  return formatCells(grid.cells);
}

function formatCells(cells: Uint8Array): string {
  let text = '';
  for (const code of cells) {
    const char = MAZE_CHARSET[code - 1];
    if (char === undefined) {
      throw new MazeFormatError(
        `invalid maze: cell code ${code} has no character; use codes 1 to ${MAZE_CHARSET.length}`,
        { code: 'unknownCellCode', values: { cellCode: code, maxCode: MAZE_CHARSET.length } },
      );
    }
    text += char;
  }

  return text;
}
