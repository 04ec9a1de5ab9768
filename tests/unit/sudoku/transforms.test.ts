import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/puzzles/random.ts';
import { solveSudoku } from '../../../src/puzzles/sudoku/solve.ts';
import {
  applyTransform,
  assertValidTransform,
  bandPreservingOrder,
  columnShuffle,
  digitPermutation,
  identityTransform,
  invertTransform,
  randomTransform,
  rowShuffle,
  type SudokuTransform,
  transposition,
} from '../../../src/puzzles/sudoku/transforms.ts';
import { isSolutionOf, loadPuzzles } from './shared-data.ts';

const puzzles = loadPuzzles('norvig-top95.txt');
const puzzleArbitrary = fc.integer({ min: 0, max: puzzles.length - 1 }).map((i) => puzzles[i]);
const transformArbitrary = fc.integer().map((seed) => randomTransform(createRng(seed)));

describe('Sudoku transforms', () => {
  it('keep puzzles valid and unique', () => {
    fc.assert(
      fc.property(puzzleArbitrary, transformArbitrary, (puzzle, transform) => {
        const solution = solveSudoku(puzzle).solution as Uint8Array;
        const moved = applyTransform(puzzle, transform);
        const result = solveSudoku(moved);

        expect(result.solutionCount).toBe(1);
        expect(result.solution).toEqual(applyTransform(solution, transform));
        expect(isSolutionOf(result.solution as Uint8Array, moved)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('are undone by their inverse', () => {
    fc.assert(
      fc.property(puzzleArbitrary, transformArbitrary, (puzzle, transform) => {
        const inverse = invertTransform(transform);

        expect(applyTransform(applyTransform(puzzle, transform), inverse)).toEqual(puzzle);
        expect(applyTransform(applyTransform(puzzle, inverse), transform)).toEqual(puzzle);
      }),
    );
  });

  it('draw valid random transforms', () => {
    fc.assert(
      fc.property(transformArbitrary, (transform) => {
        expect(() => assertValidTransform(transform)).not.toThrow();
        expect(() => assertValidTransform(invertTransform(transform))).not.toThrow();
      }),
    );
  });

  it('keep validity one by one', () => {
    const puzzle = puzzles[0];
    const single: [string, SudokuTransform][] = [
      ['digits', digitPermutation([9, 8, 7, 6, 5, 4, 3, 2, 1])],
      ['transpose', transposition()],
      [
        'rows',
        rowShuffle(
          [1, 2, 0],
          [
            [2, 0, 1],
            [0, 1, 2],
            [1, 0, 2],
          ],
        ),
      ],
      [
        'columns',
        columnShuffle(
          [2, 1, 0],
          [
            [0, 2, 1],
            [1, 2, 0],
            [2, 1, 0],
          ],
        ),
      ],
    ];

    for (const [name, transform] of single) {
      const moved = applyTransform(puzzle, transform);
      expect(moved, name).not.toEqual(puzzle);
      expect(solveSudoku(moved).solutionCount, name).toBe(1);
      expect(applyTransform(moved, invertTransform(transform)), name).toEqual(puzzle);
    }
  });

  it('relabel digits as given', () => {
    const grid = Uint8Array.from({ length: 81 }, (_, cell) => cell % 10);
    const relabelled = applyTransform(grid, digitPermutation([2, 3, 4, 5, 6, 7, 8, 9, 1]));

    expect(relabelled[0]).toBe(0);
    expect(relabelled[1]).toBe(2);
    expect(relabelled[9]).toBe(1);
    expect(() => digitPermutation([1, 1, 2, 3, 4, 5, 6, 7, 8])).toThrow(/must be a permutation/);
  });

  it('reproduce by seed', () => {
    expect(randomTransform(createRng(7))).toEqual(randomTransform(createRng(7)));
    expect(randomTransform(createRng(7))).not.toEqual(randomTransform(createRng(8)));
  });

  it('transpose swaps rows and columns', () => {
    const grid = Uint8Array.from({ length: 81 }, (_, cell) => cell % 10);
    const transposed = applyTransform(grid, { ...identityTransform(), transpose: true });

    expect(transposed[1 * 9 + 4]).toBe(grid[4 * 9 + 1]);
    expect(transposed[8 * 9 + 0]).toBe(grid[0 * 9 + 8]);
  });

  it('band order moves whole bands', () => {
    const order = bandPreservingOrder(
      [2, 0, 1],
      [
        [0, 1, 2],
        [2, 1, 0],
        [1, 0, 2],
      ],
    );

    expect(Array.from(order)).toEqual([6, 7, 8, 2, 1, 0, 4, 3, 5]);
  });

  it('reject orders that split a band', () => {
    const transform: SudokuTransform = {
      ...identityTransform(),
      rowOrder: Uint8Array.from([0, 1, 3, 2, 4, 5, 6, 7, 8]),
    };

    expect(() => assertValidTransform(transform)).toThrow(/invalid rowOrder: .* splits a band/);
  });

  it('reject a digit map that moves blanks', () => {
    const transform = identityTransform();
    transform.digitMap[0] = 1;
    transform.digitMap[1] = 0;

    expect(() => assertValidTransform(transform)).toThrow(/digitMap\[0\] = 0/);
  });
});
