// Seeded generator of puzzles with exactly one solution, by difficulty band and blank count.
//
// A puzzle starts as a random solved grid. Clues are then removed in random order, each kept
// only if the puzzle would otherwise gain a second solution, until the puzzle is minimal or
// reaches the drawn blank count. Puzzles whose rating misses the requested band are discarded
// and drawn again, so the cost of a band grows with its rarity among random minimal puzzles.
// NOTE: no generated puzzle reached the extreme band (rating 100 or more) in 1000 draws, so
// extreme puzzles come from collections such as magictour-top1465 (the CLI's --from-file).

import type { Rng } from '../random.ts';
import { randomInt, randomPermutation } from '../random.ts';
import type { DifficultyBandName } from './difficulty.ts';
import { bandByName } from './difficulty.ts';
import { CELL_COUNT } from './grid.ts';
import { solveSudoku } from './solve.ts';

/**
 * Maximum blanks of a puzzle with a unique solution: the known lower bound for a uniquely
 * solvable 9×9 Sudoku is 17 clues. Random removal rarely gets past 60 blanks.
 */
export const MAX_BLANKS = CELL_COUNT - 17;

export interface SudokuGeneratorOptions {
  /** Keep only puzzles whose rating falls in this band; any rating when absent. */
  band?: DifficultyBandName;
  /**
   * Minimum blank cells. When either bound is given, each puzzle's blank count is drawn
   * uniformly from minBlanks..maxBlanks, which default to 0 and MAX_BLANKS. When neither is
   * given, clues are removed until the puzzle is minimal (53 to 60 blanks in 1000 draws).
   */
  minBlanks?: number;
  /** Maximum blank cells; see minBlanks. */
  maxBlanks?: number;
  /** Puzzles to draw before giving up on the band and blank range; default 5000. */
  maxAttempts?: number;
}

export interface GeneratedSudoku {
  /** Cells row-major, 0 = blank. */
  puzzle: Uint8Array;
  solution: Uint8Array;
  /** Solver backtracks before the first solution (see solve.ts). */
  rating: number;
  blanks: number;
}

/**
 * Returns a random solved grid, found by a search that tries digits in random order. The
 * grids are not drawn uniformly from all solved grids.
 */
export function randomSolvedGrid(rng: Rng): Uint8Array {
  const { solution } = solveSudoku(new Uint8Array(CELL_COUNT), { maxSolutions: 1, rng });
  if (!solution) throw new Error('the solver found no completion of the empty grid');

  return solution;
}

/** Returns whether blanking `cell`, whose clue is `digit`, keeps the solution unique. */
function isClueRemovable(puzzle: Uint8Array, cell: number, digit: number): boolean {
  puzzle[cell] = 0;
  const other = solveSudoku(puzzle, { maxSolutions: 1, exclude: { cell, digit } });
  puzzle[cell] = digit;

  return other.solutionCount === 0;
}

/**
 * Blanks clues of `puzzle` in random order while the solution stays unique, stopping at
 * `targetBlanks`. Mutates and returns the number of blanks reached.
 */
function removeClues(rng: Rng, puzzle: Uint8Array, targetBlanks: number): number {
  let blanks = 0;
  for (let cell = 0; cell < CELL_COUNT; cell++) if (puzzle[cell] === 0) blanks++;

  for (const cell of randomPermutation(rng, CELL_COUNT)) {
    if (blanks >= targetBlanks) break;

    const digit = puzzle[cell];
    if (digit === 0 || !isClueRemovable(puzzle, cell, digit)) continue;

    puzzle[cell] = 0;
    blanks++;
  }

  return blanks;
}

function rate(puzzle: Uint8Array): number {
  return solveSudoku(puzzle, { maxSolutions: 1 }).rating;
}

function checkBlankRange(minBlanks: number, maxBlanks: number): void {
  for (const [name, value] of [
    ['minBlanks', minBlanks],
    ['maxBlanks', maxBlanks],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > MAX_BLANKS) {
      throw new Error(`invalid ${name}: ${value}; use an integer from 0 to ${MAX_BLANKS}`);
    }
  }

  if (minBlanks > maxBlanks) {
    throw new Error(`invalid blank range: minBlanks ${minBlanks} exceeds maxBlanks ${maxBlanks}`);
  }
}

/**
 * Generates one puzzle with a unique solution, drawing all randomness from `rng`, so the same
 * seed and options give the same puzzle. Throws when `maxAttempts` draws all miss the band or
 * blank range, which happens for combinations that are rare or impossible (e.g. a hard band
 * with at most 30 blanks).
 */
export function generateSudoku(rng: Rng, options: SudokuGeneratorOptions = {}): GeneratedSudoku {
  const minBlanks = options.minBlanks ?? 0;
  const maxBlanks = options.maxBlanks ?? MAX_BLANKS;
  const maxAttempts = options.maxAttempts ?? 5000;
  checkBlankRange(minBlanks, maxBlanks);
  const removeUntilMinimal = options.minBlanks === undefined && options.maxBlanks === undefined;
  const band = options.band === undefined ? undefined : bandByName(options.band);

  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const solution = randomSolvedGrid(rng);
    const puzzle = solution.slice();

    const targetBlanks = removeUntilMinimal
      ? MAX_BLANKS
      : minBlanks + randomInt(rng, maxBlanks - minBlanks + 1);
    const blanks = removeClues(rng, puzzle, targetBlanks);
    if (blanks < minBlanks) continue;

    const rating = rate(puzzle);
    if (band && (rating < band.minRating || rating > band.maxRating)) continue;

    return { puzzle, solution, rating, blanks };
  }

  const bandText = band
    ? `band ${band.name} (ratings ${band.minRating}..${band.maxRating})`
    : 'any band';
  throw new Error(
    `no puzzle found in ${maxAttempts} attempts for ${bandText} with ${minBlanks}..${maxBlanks} ` +
      'blanks; widen the blank range or choose an easier band',
  );
}
