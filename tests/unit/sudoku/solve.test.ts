import { describe, expect, it } from 'vitest';
import { parseSudoku } from '../../../src/puzzles/sudoku/parse.ts';
import { countSolutions, solveSudoku } from '../../../src/puzzles/sudoku/solve.ts';
import { isSolutionOf, listSudokuFiles, loadPuzzles } from './shared-data.ts';

// Arto Inkala's "world's hardest sudoku" (2012) and its published solution.
const INKALA = '8..........36......7..9.2...5...7.......457.....1...3...1....68..85...1..9....4..';
const INKALA_SOLUTION =
  '812753649943682175675491283154237896369845721287169534521974368438526917796318452';

describe('solveSudoku', () => {
  it('solves every shared puzzle uniquely', () => {
    for (const name of listSudokuFiles()) {
      loadPuzzles(name).forEach((puzzle, index) => {
        const result = solveSudoku(puzzle);
        expect(result.solutionCount, `${name} #${index + 1}`).toBe(1);
        expect(result.solution, `${name} #${index + 1}`).not.toBeNull();
        expect(isSolutionOf(result.solution as Uint8Array, puzzle), `${name} #${index + 1}`).toBe(
          true,
        );
      });
    }
  });

  it('finds the published solution', () => {
    const result = solveSudoku(parseSudoku(INKALA));

    expect(Array.from(result.solution ?? []).join('')).toBe(INKALA_SOLUTION);
    expect(result.solutionCount).toBe(1);
  });

  it('rates a puzzle the same every time', () => {
    const puzzle = parseSudoku(INKALA);
    const first = solveSudoku(puzzle).rating;

    expect(first).toBeGreaterThan(0);
    expect(solveSudoku(puzzle).rating).toBe(first);
    expect(solveSudoku(puzzle, { maxSolutions: 1 }).rating).toBe(first);
  });

  it('rates a solved grid 0', () => {
    const solved = parseSudoku(INKALA_SOLUTION);
    const result = solveSudoku(solved);

    expect(result.rating).toBe(0);
    expect(result.solution).toEqual(solved);
  });

  it('counts the empty grid as ambiguous', () => {
    expect(countSolutions(new Uint8Array(81))).toBe(2);
    expect(countSolutions(new Uint8Array(81), 5)).toBe(5);
  });

  it('reports no solution for clashing clues', () => {
    const puzzle = new Uint8Array(81);
    puzzle[0] = 5;
    puzzle[8] = 5;

    const result = solveSudoku(puzzle);
    expect(result.solutionCount).toBe(0);
    expect(result.solution).toBeNull();
  });

  it('honours an excluded candidate', () => {
    const puzzle = parseSudoku(INKALA);
    const cell = 1;
    const digit = Number(INKALA_SOLUTION[cell]);

    expect(solveSudoku(puzzle, { exclude: { cell, digit } }).solutionCount).toBe(0);
  });

  it('rejects bad input', () => {
    expect(() => solveSudoku(new Uint8Array(80))).toThrow(/expected a Uint8Array of 81 cells/);
    const tooLarge = new Uint8Array(81);
    tooLarge[33] = 12;
    expect(() => solveSudoku(tooLarge)).toThrow('invalid puzzle: r4c7 is 12; cells must be 0..9');
    expect(() => solveSudoku(new Uint8Array(81), { maxSolutions: 0 })).toThrow(/maxSolutions/);
    expect(() => solveSudoku(new Uint8Array(81), { exclude: { cell: 81, digit: 1 } })).toThrow(
      'invalid exclude: cell 81, digit 1',
    );
  });
});
