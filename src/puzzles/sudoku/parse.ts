// Forgiving reader for the text forms Sudoku collections are published in.
//
// Accepted, line by line:
// - a whole puzzle on one line: 81 cells, digits 1-9 and `.`, `0` or `_` for blanks;
// - a 9×9 grid over nine lines of 9 cells each, optionally drawn with box separators `|`, `-`,
//   `+` and spaces, with separator-only lines between bands;
// - `#` header lines, blank lines, and trailing `// comment` text on any line;
// - Windows (CRLF) or Unix line endings, with or without a newline after the last line.
// Anything else is rejected with an error naming the line.

import { CELL_COUNT, GRID_SIZE } from './grid.ts';

/** A puzzle read from text, with the 1-based line where it starts. */
export interface ParsedSudoku {
  /** Cells row-major, 0 = blank. */
  puzzle: Uint8Array;
  line: number;
  /** Text of a trailing `//` comment on the puzzle's first line, if any. */
  comment?: string;
}

/**
 * The values each Sudoku parse failure names, by failure code. `line` and `gridStart` are 1-based.
 * The UI fills translated messages with them (keys `puzzle.parse.sudoku.<code>` in src/i18n).
 */
export interface SudokuParseValues {
  invalidCharacter: { line: number; column: number; character: string };
  wrongCellCount: { line: number; cells: number };
  puzzleInsideGrid: { line: number; gridStart: number; rows: number };
  gridTooShort: { line: number; rows: number };
  notOnePuzzle: { puzzles: number };
}

export type SudokuParseErrorCode = keyof SudokuParseValues;

/** A failure code with its values, typed so that each code carries its own values. */
export type SudokuParseFailure = {
  [Code in SudokuParseErrorCode]: { code: Code; values: SudokuParseValues[Code] };
}[SudokuParseErrorCode];

/** Every Sudoku failure code; `satisfies` makes a code added above a compile error here. */
export const SUDOKU_PARSE_ERROR_CODES = Object.keys({
  invalidCharacter: true,
  wrongCellCount: true,
  puzzleInsideGrid: true,
  gridTooShort: true,
  notOnePuzzle: true,
} satisfies Record<SudokuParseErrorCode, true>) as SudokuParseErrorCode[];

/**
 * Error for Sudoku text that cannot be parsed. The English message starts with `line N: ` when the
 * failure has a line. `code` and `values` let the UI show the message in the reader's language.
 */
export class SudokuParseError extends Error {
  readonly code: SudokuParseErrorCode;
  readonly values: SudokuParseFailure['values'];
  /** 1-based line of the failure, or undefined when it concerns the whole text (notOnePuzzle). */
  readonly line: number | undefined;

  constructor(failure: SudokuParseFailure, detail: string) {
    const line = 'line' in failure.values ? failure.values.line : undefined;
    super(line === undefined ? detail : `line ${line}: ${detail}`);
    this.name = 'SudokuParseError';
    this.code = failure.code;
    this.values = failure.values;
    this.line = line;
  }
}

const SEPARATORS = new Set(['|', '-', '+', ' ', '\t']);
const BLANKS = new Set(['.', '0', '_']);

/** Reads the cells of one line, or throws naming the first character that is not a cell. */
function readCells(text: string, lineNumber: number): number[] {
  const cells: number[] = [];

  for (let column = 0; column < text.length; column++) {
    const char = text[column];
    if (char >= '1' && char <= '9') {
      cells.push(char.charCodeAt(0) - 48);
    } else if (BLANKS.has(char)) {
      cells.push(0);
    } else if (!SEPARATORS.has(char)) {
      throw new SudokuParseError(
        {
          code: 'invalidCharacter',
          values: { line: lineNumber, column: column + 1, character: char },
        },
        `invalid character ${JSON.stringify(char)} at column ${column + 1}; ` +
          'cells are digits 1-9 or . 0 _ for blanks, and | - + or spaces may separate boxes',
      );
    }
  }

  return cells;
}

/** Splits off a trailing `//` comment. */
function splitComment(line: string): { content: string; comment?: string } {
  const start = line.indexOf('//');
  if (start === -1) return { content: line };

  return { content: line.slice(0, start), comment: line.slice(start + 2).trim() };
}

/**
 * Parses every puzzle in `text`, in order. Throws SudokuParseError for a line that is neither a
 * puzzle, a grid row, a separator, a comment nor blank, and for a grid cut short.
 */
export function parseSudokuText(text: string): ParsedSudoku[] {
  const puzzles: ParsedSudoku[] = [];
  const lines = text.split(/\r\n|\n|\r/);

  // Rows of a multi-line grid collected so far, with the line where the grid started.
  let gridRows: number[][] = [];
  let gridStart = 0;
  let gridComment: string | undefined;

  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const rawLine = lines[index];
    if (rawLine.trimStart().startsWith('#')) continue;

    const { content, comment } = splitComment(rawLine);
    if (content.trim() === '') continue;

    const cells = readCells(content, lineNumber);

    if (cells.length === CELL_COUNT) {
      if (gridRows.length > 0) {
        throw new SudokuParseError(
          {
            code: 'puzzleInsideGrid',
            values: { line: lineNumber, gridStart, rows: gridRows.length },
          },
          `found a one-line puzzle inside the grid that starts at line ${gridStart}, ` +
            `which has ${gridRows.length} of 9 rows`,
        );
      }
      puzzles.push({ puzzle: Uint8Array.from(cells), line: lineNumber, comment });
    } else if (cells.length === GRID_SIZE) {
      if (gridRows.length === 0) {
        gridStart = lineNumber;
        gridComment = comment;
      }
      gridRows.push(cells);

      if (gridRows.length === GRID_SIZE) {
        puzzles.push({
          puzzle: Uint8Array.from(gridRows.flat()),
          line: gridStart,
          comment: gridComment,
        });
        gridRows = [];
      }
    } else if (cells.length !== 0) {
      throw new SudokuParseError(
        { code: 'wrongCellCount', values: { line: lineNumber, cells: cells.length } },
        `expected 81 cells (a one-line puzzle) or 9 cells (a grid row), found ${cells.length}`,
      );
    }
  }

  if (gridRows.length > 0) {
    throw new SudokuParseError(
      { code: 'gridTooShort', values: { line: gridStart, rows: gridRows.length } },
      `the grid starting here has ${gridRows.length} rows; expected 9`,
    );
  }

  return puzzles;
}

/**
 * Parses text that must contain exactly one puzzle, e.g. a pasted grid. Throws SudokuParseError
 * (code notOnePuzzle) for none or several.
 */
export function parseSudoku(text: string): Uint8Array {
  const puzzles = parseSudokuText(text);

  if (puzzles.length !== 1) {
    throw new SudokuParseError(
      { code: 'notOnePuzzle', values: { puzzles: puzzles.length } },
      `expected exactly one Sudoku puzzle, found ${puzzles.length}; ` +
        'give 81 cells on one line or a 9×9 grid',
    );
  }

  return puzzles[0].puzzle;
}
