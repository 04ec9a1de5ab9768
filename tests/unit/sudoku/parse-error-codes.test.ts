import { describe, expect, it } from 'vitest';
import { SUDOKU_PARSE_ERROR_CODES, SudokuParseError } from '../../../src/puzzles/sudoku/parse.ts';
import { caughtBy, SUDOKU_ERROR_CASES } from './parse-error-cases.ts';

describe('SudokuParseError codes', () => {
  for (const errorCase of SUDOKU_ERROR_CASES) {
    it(`${errorCase.code}: ${errorCase.name}`, () => {
      const error = caughtBy(errorCase.parse);

      expect(error).toBeInstanceOf(SudokuParseError);
      const parseError = error as SudokuParseError;
      expect(parseError.code).toBe(errorCase.code);
      expect(parseError.values).toEqual(errorCase.values);
      expect(parseError.message).toBe(errorCase.message);
    });
  }

  it('line set only for line failures', () => {
    for (const errorCase of SUDOKU_ERROR_CASES) {
      const error = caughtBy(errorCase.parse) as SudokuParseError;
      const expectedLine = 'line' in errorCase.values ? errorCase.values.line : undefined;

      expect(error.line, errorCase.name).toBe(expectedLine);
    }
  });

  it('every code has a case', () => {
    const covered = new Set(SUDOKU_ERROR_CASES.map((errorCase) => errorCase.code));

    expect(SUDOKU_PARSE_ERROR_CODES.filter((code) => !covered.has(code))).toEqual([]);
  });
});
