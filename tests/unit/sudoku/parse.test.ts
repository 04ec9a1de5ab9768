import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSudokuGrid, formatSudokuLine } from '../../../src/puzzles/sudoku/format.ts';
import {
  parseSudoku,
  parseSudokuText,
  SudokuParseError,
} from '../../../src/puzzles/sudoku/parse.ts';
import { EXPECTED_PUZZLE_COUNTS, listSudokuFiles, readSudokuFile } from './shared-data.ts';

const gridArbitrary = fc
  .uint8Array({ minLength: 81, maxLength: 81, min: 0, max: 9 })
  .map((cells) => Uint8Array.from(cells));

const NORVIG_FIRST =
  '4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......';

function parseError(text: string): SudokuParseError {
  try {
    parseSudokuText(text);
  } catch (error) {
    expect(error).toBeInstanceOf(SudokuParseError);
    return error as SudokuParseError;
  }
  throw new Error('expected a SudokuParseError');
}

describe('parseSudokuText', () => {
  it('round trips one-line format', () => {
    fc.assert(
      fc.property(gridArbitrary, (grid) => {
        expect(parseSudoku(formatSudokuLine(grid))).toEqual(grid);
        expect(parseSudoku(formatSudokuLine(grid, '0'))).toEqual(grid);
        expect(parseSudoku(formatSudokuLine(grid, '_'))).toEqual(grid);
      }),
    );
  });

  it('round trips pretty grid format', () => {
    fc.assert(
      fc.property(gridArbitrary, (grid) => {
        expect(parseSudoku(formatSudokuGrid(grid))).toEqual(grid);
      }),
    );
  });

  it('reads every shared collection', () => {
    const files = listSudokuFiles();
    expect(files).toEqual(Object.keys(EXPECTED_PUZZLE_COUNTS).sort());

    for (const name of files) {
      const puzzles = parseSudokuText(readSudokuFile(name));
      expect(puzzles.length, name).toBe(EXPECTED_PUZZLE_COUNTS[name]);
    }
  });

  it('keeps line numbers and comments', () => {
    const text = `# header\n\n${NORVIG_FIRST} // from top95\r\n${NORVIG_FIRST}`;
    const puzzles = parseSudokuText(text);

    expect(puzzles.map((p) => p.line)).toEqual([3, 4]);
    expect(puzzles[0].comment).toBe('from top95');
    expect(puzzles[1].comment).toBeUndefined();
  });

  it('reads grids without separators and several grids per file', () => {
    const rows = NORVIG_FIRST.match(/.{9}/g) ?? [];
    const plain = rows.join('\n');
    const spaced = rows.map((row) => row.split('').join(' ')).join('\n');
    const puzzles = parseSudokuText(`${plain}\n\n${spaced}\n`);

    expect(puzzles).toHaveLength(2);
    expect(formatSudokuLine(puzzles[0].puzzle)).toBe(NORVIG_FIRST);
    expect(formatSudokuLine(puzzles[1].puzzle)).toBe(NORVIG_FIRST);
    expect(puzzles[1].line).toBe(11);
  });

  it('reads box-drawn grids with + and | separators', () => {
    const rows = (NORVIG_FIRST.match(/.{9}/g) ?? []).map(
      (row) => `| ${row.slice(0, 3)} | ${row.slice(3, 6)} | ${row.slice(6)} |`,
    );
    const border = '+-----+-----+-----+';
    const text = [
      border,
      ...rows.slice(0, 3),
      border,
      ...rows.slice(3, 6),
      border,
      ...rows.slice(6),
      border,
    ].join('\n');

    expect(formatSudokuLine(parseSudoku(text))).toBe(NORVIG_FIRST);
  });

  it('rejects a short line with its number', () => {
    const short = NORVIG_FIRST.slice(0, 79);
    const error = parseError(`${NORVIG_FIRST}\n${NORVIG_FIRST}\n${short}\n`);

    expect(error.line).toBe(3);
    expect(error.message).toBe(
      'line 3: expected 81 cells (a one-line puzzle) or 9 cells (a grid row), found 79',
    );
  });

  it('rejects an invalid character with its column', () => {
    const error = parseError(`${NORVIG_FIRST.slice(0, 10)}x${NORVIG_FIRST.slice(11)}`);

    expect(error.line).toBe(1);
    expect(error.message).toContain('invalid character "x" at column 11');
  });

  it('rejects a grid cut short', () => {
    const rows = NORVIG_FIRST.match(/.{9}/g) ?? [];
    const error = parseError(`# two rows missing\n${rows.slice(0, 7).join('\n')}\n`);

    expect(error.line).toBe(2);
    expect(error.message).toBe('line 2: the grid starting here has 7 rows; expected 9');
  });

  it('rejects a one-line puzzle inside a grid', () => {
    const rows = NORVIG_FIRST.match(/.{9}/g) ?? [];
    const error = parseError(`${rows.slice(0, 4).join('\n')}\n${NORVIG_FIRST}`);

    expect(error.line).toBe(5);
    expect(error.message).toContain('inside the grid that starts at line 1');
  });

  it('parseSudoku requires exactly one puzzle', () => {
    expect(() => parseSudoku('# nothing here\n')).toThrow(/found 0/);
    expect(() => parseSudoku(`${NORVIG_FIRST}\n${NORVIG_FIRST}`)).toThrow(/found 2/);
  });
});

describe('formatSudokuGrid', () => {
  it('draws boxes', () => {
    const lines = formatSudokuGrid(parseSudoku(NORVIG_FIRST)).split('\n');

    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('4 . . | . . . | 8 . 5');
    expect(lines[3]).toBe('------+-------+------');
  });

  it('rejects a wrong-sized grid', () => {
    expect(() => formatSudokuLine(new Uint8Array(80))).toThrow(/expected a Uint8Array of 81 cells/);
  });
});
