// Bad Sudoku texts, one or more per SudokuParseError code, with the code, values and exact English
// message each must raise. The parser tests and the translation tests share this table.
import {
  parseSudoku,
  parseSudokuText,
  type SudokuParseFailure,
} from '../../../src/puzzles/sudoku/parse.ts';

export const NORVIG_FIRST =
  '4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......';
const NORVIG_ROWS = NORVIG_FIRST.match(/.{9}/g) ?? [];

const CELL_HINT =
  'cells are digits 1-9 or . 0 _ for blanks, and | - + or spaces may separate boxes';

export type SudokuErrorCase = SudokuParseFailure & {
  name: string;
  parse: () => unknown;
  message: string;
};

export const SUDOKU_ERROR_CASES: SudokuErrorCase[] = [
  {
    name: 'letter in a one-line puzzle',
    parse: () => parseSudokuText(`${NORVIG_FIRST.slice(0, 10)}x${NORVIG_FIRST.slice(11)}`),
    code: 'invalidCharacter',
    values: { line: 1, column: 11, character: 'x' },
    message: `line 1: invalid character "x" at column 11; ${CELL_HINT}`,
  },
  {
    name: 'quote around a pasted puzzle',
    parse: () => parseSudokuText(`# quoted\n"${NORVIG_FIRST}"`),
    code: 'invalidCharacter',
    values: { line: 2, column: 1, character: '"' },
    message: `line 2: invalid character "\\"" at column 1; ${CELL_HINT}`,
  },
  {
    name: 'three cells',
    parse: () => parseSudokuText('123'),
    code: 'wrongCellCount',
    values: { line: 1, cells: 3 },
    message: 'line 1: expected 81 cells (a one-line puzzle) or 9 cells (a grid row), found 3',
  },
  {
    name: 'one-line puzzle inside a grid',
    parse: () => parseSudokuText(`${NORVIG_ROWS.slice(0, 4).join('\n')}\n${NORVIG_FIRST}`),
    code: 'puzzleInsideGrid',
    values: { line: 5, gridStart: 1, rows: 4 },
    message:
      'line 5: found a one-line puzzle inside the grid that starts at line 1, which has 4 of 9 rows',
  },
  {
    name: 'grid cut short',
    parse: () => parseSudokuText(`# two rows missing\n${NORVIG_ROWS.slice(0, 7).join('\n')}\n`),
    code: 'gridTooShort',
    values: { line: 2, rows: 7 },
    message: 'line 2: the grid starting here has 7 rows; expected 9',
  },
  {
    name: 'no puzzle for parseSudoku',
    parse: () => parseSudoku('# nothing here\n'),
    code: 'notOnePuzzle',
    values: { puzzles: 0 },
    message: 'expected exactly one Sudoku puzzle, found 0; give 81 cells on one line or a 9×9 grid',
  },
  {
    name: 'two puzzles for parseSudoku',
    parse: () => parseSudoku(`${NORVIG_FIRST}\n${NORVIG_FIRST}`),
    code: 'notOnePuzzle',
    values: { puzzles: 2 },
    message: 'expected exactly one Sudoku puzzle, found 2; give 81 cells on one line or a 9×9 grid',
  },
];

/** Runs a case's parse and returns what it throws, or fails the test when it returns. */
export function caughtBy(parse: () => unknown): unknown {
  try {
    parse();
  } catch (error) {
    return error;
  }
  throw new Error('expected the parse to throw, but it returned');
}
