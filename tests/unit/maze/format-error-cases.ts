// Bad maze texts and grids, one or more per MazeFormatError code, with the code, values and exact
// English message each must raise. The maze tests and the translation tests share this table.
import { type MazeFormatFailure, validateMaze } from '../../../src/puzzles/maze/grid';
import { formatMaze, parseMaze, parseMazeRow } from '../../../src/puzzles/maze/text';

const CHARSET_HINT = "use only '#' wall, ' ' open, 'S' start, 'G' goal and 'o' path";

export type MazeErrorCase = MazeFormatFailure & {
  name: string;
  parse: () => unknown;
  message: string;
};

export const MAZE_ERROR_CASES: MazeErrorCase[] = [
  {
    name: 'empty text',
    parse: () => parseMaze(''),
    code: 'emptyText',
    values: {},
    message: `invalid maze: the text is empty; write one line per row and ${CHARSET_HINT}`,
  },
  {
    name: 'short second line',
    parse: () => parseMaze('S  \n#\nG  '),
    code: 'unevenLines',
    values: { line: 2, cells: 1, firstLineCells: 3 },
    message:
      'invalid maze: line 2 has 1 cells but line 1 has 3; every line needs the same number of ' +
      'cells (an editor may have stripped open cells, written as spaces, from the end of a line)',
  },
  {
    name: 'two lines of three',
    parse: () => parseMaze('S  \n  G'),
    code: 'notSquare',
    values: { lines: 2, cells: 3 },
    message:
      'invalid maze: found 2 lines of 3 cells; a maze must be square, with as many lines as ' +
      'cells per line',
  },
  {
    name: 'row of three characters',
    parse: () => parseMazeRow('S G'),
    code: 'rowNotSquare',
    values: { characters: 3, minSize: 2, minCells: 4 },
    message:
      'invalid maze row: 3 characters is not the square of a whole number of at least 2; ' +
      'a 2×2 maze has 4, a 30×30 maze 900',
  },
  {
    name: 'dot for an open cell',
    parse: () => parseMaze('S#\n.G'),
    code: 'invalidCharacter',
    values: { line: 2, column: 1, character: '.', codePoint: 'U+002E' },
    message: `invalid maze: line 2, column 1 has '.' (U+002E); ${CHARSET_HINT}`,
  },
  {
    name: 'non-breaking space',
    parse: () => parseMaze('S\u00a0\n G'),
    code: 'invalidCharacter',
    values: { line: 1, column: 2, character: '\u00a0', codePoint: 'U+00A0' },
    message: `invalid maze: line 1, column 2 has '\u00a0' (U+00A0); ${CHARSET_HINT}`,
  },
  {
    name: 'tab',
    parse: () => parseMaze('S\t\n G'),
    code: 'tabCharacter',
    values: { line: 1, column: 2 },
    message: `invalid maze: line 1, column 2 has a tab; ${CHARSET_HINT}`,
  },
  {
    name: 'one cell',
    parse: () => parseMaze('S'),
    code: 'tooSmall',
    values: { size: 1, minSize: 2 },
    message: "invalid maze: a 1×1 grid cannot hold both 'S' and 'G'; use at least 2×2",
  },
  {
    name: 'no start',
    parse: () => parseMaze('  \n G'),
    code: 'missingStart',
    values: {},
    message: "invalid maze: no 'S' (start) cell found; mark exactly one open cell as 'S'",
  },
  {
    name: 'no goal',
    parse: () => parseMaze('S \n  '),
    code: 'missingGoal',
    values: {},
    message: "invalid maze: no 'G' (goal) cell found; mark exactly one open cell as 'G'",
  },
  {
    name: 'five starts, one unlisted',
    parse: () => parseMaze('SSS\nSS \n  G'),
    code: 'repeatedStart',
    values: {
      count: 5,
      positions: [
        { line: 1, column: 1 },
        { line: 1, column: 2 },
        { line: 1, column: 3 },
        { line: 2, column: 1 },
        { line: 2, column: 2 },
      ],
    },
    message:
      "invalid maze: 5 'S' (start) cells found, at line 1, column 1; line 1, column 2; " +
      "line 1, column 3; line 2, column 1; and 1 more; keep exactly one 'S'",
  },
  {
    name: 'three goals',
    parse: () => parseMaze('SG\nGG'),
    code: 'repeatedGoal',
    values: {
      count: 3,
      positions: [
        { line: 1, column: 2 },
        { line: 2, column: 1 },
        { line: 2, column: 2 },
      ],
    },
    message:
      "invalid maze: 3 'G' (goal) cells found, at line 1, column 2; line 2, column 1; " +
      "line 2, column 2; keep exactly one 'G'",
  },
  {
    name: 'fractional size',
    parse: () => validateMaze({ size: 1.5, cells: new Uint8Array(2) }),
    code: 'invalidSize',
    values: { size: 1.5, minSize: 2 },
    message: 'invalid maze size: 1.5; use a whole number of at least 2',
  },
  {
    name: 'two cells for size 3',
    parse: () => validateMaze({ size: 3, cells: Uint8Array.from([3, 4]) }),
    code: 'wrongCellCount',
    values: { cells: 2, size: 3, expected: 9 },
    message: 'invalid maze: 2 cells for size 3; expected 9',
  },
  {
    name: 'cell code 9',
    parse: () => validateMaze({ size: 2, cells: Uint8Array.from([3, 4, 2, 9]) }),
    code: 'invalidCellCode',
    values: { cellCode: 9, line: 2, column: 2, minCode: 1, maxCode: 5 },
    message: "invalid maze: cell code 9 at line 2, column 2; use 1 to 5 ('#', ' ', 'S', 'G', 'o')",
  },
  {
    name: 'formatting cell code 0',
    parse: () => formatMaze({ size: 2, cells: Uint8Array.from([3, 4, 2, 0]) }),
    code: 'unknownCellCode',
    values: { cellCode: 0, maxCode: 5 },
    message: 'invalid maze: cell code 0 has no character; use codes 1 to 5',
  },
];
