import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/puzzles/random.ts';
import {
  bandByName,
  bandOfRating,
  DIFFICULTY_BANDS,
  EASY_BAND,
  EXTREME_BAND,
  HARD_BAND,
  MEDIUM_BAND,
} from '../../../src/puzzles/sudoku/difficulty.ts';
import { generateSudoku, MAX_BLANKS } from '../../../src/puzzles/sudoku/generate.ts';
import { countClues } from '../../../src/puzzles/sudoku/grid.ts';
import { solveSudoku } from '../../../src/puzzles/sudoku/solve.ts';
import { isSolutionOf } from './shared-data.ts';

describe('generateSudoku', () => {
  it('makes unique puzzles with their solution', () => {
    const rng = createRng(11);
    for (let i = 0; i < 20; i++) {
      const generated = generateSudoku(rng);
      const check = solveSudoku(generated.puzzle);

      expect(check.solutionCount).toBe(1);
      expect(check.solution).toEqual(generated.solution);
      expect(isSolutionOf(generated.solution, generated.puzzle)).toBe(true);
      expect(generated.rating).toBe(check.rating);
      expect(generated.blanks).toBe(81 - countClues(generated.puzzle));
    }
  });

  it('removes clues until minimal by default', () => {
    const generated = generateSudoku(createRng(5));

    for (let cell = 0; cell < 81; cell++) {
      if (generated.puzzle[cell] === 0) continue;
      const reduced = generated.puzzle.slice();
      reduced[cell] = 0;
      expect(solveSudoku(reduced).solutionCount, `clue at cell ${cell}`).toBe(2);
    }
  });

  it('reproduces puzzles by seed', () => {
    const first = generateSudoku(createRng(99), { band: 'medium' });
    const again = generateSudoku(createRng(99), { band: 'medium' });
    const other = generateSudoku(createRng(100), { band: 'medium' });

    expect(again.puzzle).toEqual(first.puzzle);
    expect(other.puzzle).not.toEqual(first.puzzle);
  });

  it('respects difficulty bands', () => {
    const rng = createRng(21);
    for (const band of [EASY_BAND, MEDIUM_BAND, HARD_BAND]) {
      for (let i = 0; i < 3; i++) {
        const { puzzle, rating } = generateSudoku(rng, { band: band.name });
        expect(rating, band.name).toBeGreaterThanOrEqual(band.minRating);
        expect(rating, band.name).toBeLessThanOrEqual(band.maxRating);
        expect(solveSudoku(puzzle).rating, band.name).toBe(rating);
      }
    }
  });

  it('respects the blank range', () => {
    const rng = createRng(4);
    const counts = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const { blanks, puzzle } = generateSudoku(rng, { minBlanks: 10, maxBlanks: 14 });
      expect(blanks).toBeGreaterThanOrEqual(10);
      expect(blanks).toBeLessThanOrEqual(14);
      expect(solveSudoku(puzzle).solutionCount).toBe(1);
      counts.add(blanks);
    }

    expect(counts.size).toBe(5);
  });

  it('rejects invalid blank ranges', () => {
    const rng = createRng(1);
    expect(() => generateSudoku(rng, { minBlanks: 30, maxBlanks: 10 })).toThrow(
      'minBlanks 30 exceeds maxBlanks 10',
    );
    expect(() => generateSudoku(rng, { maxBlanks: MAX_BLANKS + 1 })).toThrow(
      `invalid maxBlanks: ${MAX_BLANKS + 1}`,
    );
  });

  it('gives up on impossible combinations', () => {
    expect(() =>
      generateSudoku(createRng(1), { band: 'hard', maxBlanks: 20, maxAttempts: 50 }),
    ).toThrow(/no puzzle found in 50 attempts for band hard/);
  });
});

describe('difficulty bands', () => {
  it('cover every rating once', () => {
    for (let rating = 0; rating < 500; rating++) {
      const matching = DIFFICULTY_BANDS.filter(
        (band) => rating >= band.minRating && rating <= band.maxRating,
      );
      expect(matching, `rating ${rating}`).toHaveLength(1);
    }
    expect(bandOfRating(0)).toBe(EASY_BAND);
    expect(bandOfRating(10)).toBe(HARD_BAND);
    expect(bandOfRating(100_000)).toBe(EXTREME_BAND);
  });

  it('reject unknown names', () => {
    expect(() => bandByName('brutal')).toThrow(
      'unknown difficulty band: "brutal"; use one of easy, medium, hard, extreme',
    );
  });
});
