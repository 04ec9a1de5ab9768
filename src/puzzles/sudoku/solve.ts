// Exact Sudoku solver: bitmask constraint propagation plus depth-first search.
//
// Each cell keeps a 9-bit candidate mask (bit d - 1 for digit d). Placing a digit removes it
// from the cell's 20 peers, and cells left with one candidate (naked singles) are placed in
// turn through a queue. After every such cascade, each of the 27 units is scanned for hidden
// singles (a digit with one possible cell). A digit with no possible cell in a unit is a
// contradiction.
//
// Search order, fixed so that the backtrack count is a reproducible difficulty rating:
// - branch on the unfilled cell with the fewest candidates, lowest cell index (row-major) first;
// - try its candidate digits in ascending order;
// - count one backtrack each time a guess is undone, that is each time a tried digit is dropped
//   because its branch held no solution (or, when counting solutions, because the search moves on
//   to look for another one).
// The rating of a puzzle is the number of backtracks counted before the first solution is found.

import type { Rng } from '../random.ts';
import { shuffleInPlace } from '../random.ts';
import { ALL_DIGITS_MASK, assertGrid, CELL_COUNT, PEERS, UNITS } from './grid.ts';

export interface SolveOptions {
  /** Stop after this many solutions; 2 is enough to tell unique puzzles apart. Default 2. */
  maxSolutions?: number;
  /**
   * Shuffles the digit order at every guess, for drawing random solved grids. The backtrack
   * count is then no longer the documented rating.
   */
  rng?: Rng;
  /** Forbids `digit` in `cell` before the search starts (used to test whether a clue is needed). */
  exclude?: { cell: number; digit: number };
}

export interface SolveResult {
  /** The first solution in the search order, or null when the puzzle has none. */
  solution: Uint8Array | null;
  /** Solutions found, counted up to `maxSolutions`. */
  solutionCount: number;
  /** Backtracks before the first solution; when there is none, all backtracks of the search. */
  rating: number;
}

const POPCOUNT = Uint8Array.from({ length: 512 }, (_, mask) => {
  let bits = 0;
  for (let m = mask; m !== 0; m &= m - 1) bits++;
  return bits;
});

/** Digit 1..9 of a single-bit mask. */
const DIGIT_OF_BIT = new Uint8Array(257);
for (let digit = 1; digit <= 9; digit++) DIGIT_OF_BIT[1 << (digit - 1)] = digit;

/** Depth is at most one level per cell, plus the root. */
const LEVELS = CELL_COUNT + 1;

/**
 * Reusable search state. Level k contains the grid after k guesses, so undoing a guess only
 * means returning to level k - 1, and nothing is copied back.
 */
class Search {
  private readonly candidates = new Uint16Array(LEVELS * CELL_COUNT);
  private readonly values = new Uint8Array(LEVELS * CELL_COUNT);
  private readonly queue = new Uint8Array(CELL_COUNT * 2);

  private limit = 2;
  private rng: Rng | undefined;
  private backtracks = 0;
  solutionCount = 0;
  firstSolution: Uint8Array | null = null;
  ratingAtFirstSolution = 0;

  run(puzzle: Uint8Array, options: SolveOptions): SolveResult {
    this.limit = options.maxSolutions ?? 2;
    this.rng = options.rng;
    this.backtracks = 0;
    this.solutionCount = 0;
    this.firstSolution = null;
    this.ratingAtFirstSolution = 0;

    if (this.loadPuzzle(puzzle, options.exclude)) this.searchLevel(0);

    return {
      solution: this.firstSolution,
      solutionCount: this.solutionCount,
      rating: this.firstSolution ? this.ratingAtFirstSolution : this.backtracks,
    };
  }

  /** Fills level 0 from the clues; returns false when they already contradict each other. */
  private loadPuzzle(puzzle: Uint8Array, exclude: SolveOptions['exclude']): boolean {
    this.candidates.fill(ALL_DIGITS_MASK, 0, CELL_COUNT);
    this.values.fill(0, 0, CELL_COUNT);

    if (exclude) this.candidates[exclude.cell] &= ~(1 << (exclude.digit - 1));

    for (let cell = 0; cell < CELL_COUNT; cell++) {
      const digit = puzzle[cell];
      if (digit !== 0 && !this.place(0, cell, 1 << (digit - 1))) return false;
    }

    return this.propagate(0);
  }

  /**
   * Places the digit of `bit` in `cell` at `level` and cascades naked singles.
   * Returns false on a contradiction.
   */
  private place(level: number, cell: number, bit: number): boolean {
    const base = level * CELL_COUNT;
    const candidates = this.candidates;
    const values = this.values;
    const queue = this.queue;
    let head = 0;
    let tail = 0;

    queue[tail++] = cell;
    candidates[base + cell] &= bit;
    if (candidates[base + cell] === 0) return false;

    while (head < tail) {
      const current = queue[head++];
      if (values[base + current] !== 0) continue;

      const currentBit = candidates[base + current];
      values[base + current] = DIGIT_OF_BIT[currentBit];

      const peers = PEERS[current];
      for (let i = 0; i < peers.length; i++) {
        const index = base + peers[i];
        const mask = candidates[index];
        if ((mask & currentBit) === 0) continue;

        const reduced = mask & ~currentBit;
        if (reduced === 0) return false;
        candidates[index] = reduced;
        if (POPCOUNT[reduced] === 1) queue[tail++] = peers[i];
      }
    }

    return true;
  }

  /** Applies hidden singles until none is left. Returns false on a contradiction. */
  private propagate(level: number): boolean {
    const base = level * CELL_COUNT;
    const candidates = this.candidates;
    let changed = true;

    while (changed) {
      changed = false;

      for (let u = 0; u < UNITS.length; u++) {
        const unit = UNITS[u];

        // `once` collects digits possible somewhere in the unit, `twice` those possible in two
        // or more cells, so once & ~twice are the hidden singles.
        let once = 0;
        let twice = 0;
        for (let i = 0; i < 9; i++) {
          const mask = candidates[base + unit[i]];
          twice |= once & mask;
          once |= mask;
        }
        if (once !== ALL_DIGITS_MASK) return false;

        let hidden = once & ~twice;
        while (hidden !== 0) {
          const bit = hidden & -hidden;
          hidden &= hidden - 1;

          for (let i = 0; i < 9; i++) {
            const cell = unit[i];
            const mask = candidates[base + cell];
            if ((mask & bit) === 0) continue;
            if (mask !== bit || this.values[base + cell] === 0) {
              if (!this.place(level, cell, bit)) return false;
              changed = true;
            }
            break;
          }
        }
      }
    }

    return true;
  }

  /** Searches below `level`; returns true once `limit` solutions are found. */
  private searchLevel(level: number): boolean {
    const base = level * CELL_COUNT;

    // Fewest candidates first, lowest index on ties (strict comparison keeps the first).
    let bestCell = -1;
    let bestCount = 10;
    for (let cell = 0; cell < CELL_COUNT; cell++) {
      if (this.values[base + cell] !== 0) continue;
      const count = POPCOUNT[this.candidates[base + cell]];
      if (count < bestCount) {
        bestCount = count;
        bestCell = cell;
        // After propagation an open cell has at least 2 candidates, so none can beat this one.
        if (count === 2) break;
      }
    }

    if (bestCell === -1) return this.recordSolution(level);

    const digits = this.guessOrder(this.candidates[base + bestCell]);
    const next = base + CELL_COUNT;

    for (const digit of digits) {
      this.candidates.copyWithin(next, base, base + CELL_COUNT);
      this.values.copyWithin(next, base, base + CELL_COUNT);

      const consistent = this.place(level + 1, bestCell, 1 << (digit - 1));
      if (consistent && this.propagate(level + 1) && this.searchLevel(level + 1)) return true;

      this.backtracks++;
    }

    return false;
  }

  private guessOrder(mask: number): number[] {
    const digits: number[] = [];
    for (let digit = 1; digit <= 9; digit++) {
      if (mask & (1 << (digit - 1))) digits.push(digit);
    }

    return this.rng ? shuffleInPlace(this.rng, digits) : digits;
  }

  private recordSolution(level: number): boolean {
    this.solutionCount++;
    if (this.firstSolution === null) {
      const base = level * CELL_COUNT;
      this.firstSolution = this.values.slice(base, base + CELL_COUNT);
      this.ratingAtFirstSolution = this.backtracks;
    }

    return this.solutionCount >= this.limit;
  }
}

const sharedSearch = new Search();

/**
 * Solves a puzzle (Uint8Array(81), 0 = blank) and counts its solutions up to
 * `options.maxSolutions` (default 2). The clues are not checked for conflicts beyond finding
 * that no solution exists; `validateSudoku` names the conflicting cells.
 */
export function solveSudoku(puzzle: Uint8Array, options: SolveOptions = {}): SolveResult {
  assertGrid(puzzle, 'puzzle');

  const maxSolutions = options.maxSolutions ?? 2;
  if (!Number.isInteger(maxSolutions) || maxSolutions < 1) {
    throw new Error(`invalid maxSolutions: ${maxSolutions}; use an integer of at least 1`);
  }

  const { exclude } = options;
  if (exclude) {
    const validCell =
      Number.isInteger(exclude.cell) && exclude.cell >= 0 && exclude.cell < CELL_COUNT;
    const validDigit = Number.isInteger(exclude.digit) && exclude.digit >= 1 && exclude.digit <= 9;
    if (!validCell || !validDigit) {
      throw new Error(
        `invalid exclude: cell ${exclude.cell}, digit ${exclude.digit}; use a cell 0..80 and a digit 1..9`,
      );
    }
  }

  return sharedSearch.run(puzzle, { ...options, maxSolutions });
}

/** Counts the solutions of a puzzle, stopping at `limit` (default 2). */
export function countSolutions(puzzle: Uint8Array, limit = 2): number {
  return solveSudoku(puzzle, { maxSolutions: limit }).solutionCount;
}
