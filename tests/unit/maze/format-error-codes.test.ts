import { describe, expect, it } from 'vitest';
import { checkPath } from '../../../src/puzzles/maze/check';
import { MAZE_FORMAT_ERROR_CODES, MazeFormatError } from '../../../src/puzzles/maze/grid';
import { parseMaze } from '../../../src/puzzles/maze/text';
import { caughtBy } from '../sudoku/parse-error-cases';
import { MAZE_ERROR_CASES } from './format-error-cases';

describe('MazeFormatError codes', () => {
  for (const errorCase of MAZE_ERROR_CASES) {
    it(`${errorCase.code}: ${errorCase.name}`, () => {
      const error = caughtBy(errorCase.parse);

      expect(error).toBeInstanceOf(MazeFormatError);
      const formatError = error as MazeFormatError;
      expect(formatError.code).toBe(errorCase.code);
      expect(formatError.values).toEqual(errorCase.values);
      expect(formatError.message).toBe(errorCase.message);
    });
  }

  it('every code has a case', () => {
    const covered = new Set(MAZE_ERROR_CASES.map((errorCase) => errorCase.code));

    expect(MAZE_FORMAT_ERROR_CODES.filter((code) => !covered.has(code))).toEqual([]);
  });

  it('errors from other modules have no code', () => {
    // checkPath raises for a prediction of the wrong length with a message only.
    const maze = parseMaze(['S  ', ' # ', '  G'].join('\n'));
    const error = caughtBy(() => checkPath(maze, new Uint8Array(4)));

    expect(error).toBeInstanceOf(MazeFormatError);
    expect((error as MazeFormatError).code).toBeUndefined();
    expect((error as MazeFormatError).values).toBeUndefined();
  });
});
