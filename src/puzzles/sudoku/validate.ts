import { assertGrid, boxOf, CELL_COUNT, cellName, columnOf, rowOf } from './grid.ts';
import { solveSudoku } from './solve.ts';

/** Two clues with the same digit in one row, column or box. */
export interface ClueConflict {
  digit: number;
  /** The two cells, 0-based, lower index first. */
  cells: [number, number];
  unit: 'row' | 'column' | 'box';
  /** E.g. "5 at r4c2 and r4c7 share row 4". */
  message: string;
}

export type SudokuStatus = 'conflict' | 'no-solution' | 'multiple-solutions' | 'unique';

export interface SudokuValidation {
  status: SudokuStatus;
  conflicts: ClueConflict[];
  /** Present when the puzzle has at least one solution: the first in the solver's order. */
  solution: Uint8Array | null;
  /** Solver backtracks before the first solution; see solve.ts for the search order. */
  rating: number;
  /** One sentence for users, e.g. "clue conflict: 5 at r4c2 and r4c7 share row 4". */
  message: string;
}

/** Lists every pair of clues that share a unit and a digit. */
export function findClueConflicts(grid: Uint8Array): ClueConflict[] {
  assertGrid(grid);

  const conflicts: ClueConflict[] = [];
  for (let a = 0; a < CELL_COUNT; a++) {
    const digit = grid[a];
    if (digit === 0) continue;

    for (let b = a + 1; b < CELL_COUNT; b++) {
      if (grid[b] !== digit) continue;

      let unit: ClueConflict['unit'] | null = null;
      let unitNumber = 0;
      if (rowOf(a) === rowOf(b)) {
        unit = 'row';
        unitNumber = rowOf(a) + 1;
      } else if (columnOf(a) === columnOf(b)) {
        unit = 'column';
        unitNumber = columnOf(a) + 1;
      } else if (boxOf(a) === boxOf(b)) {
        unit = 'box';
        unitNumber = boxOf(a) + 1;
      }
      if (unit === null) continue;

      const message = `${digit} at ${cellName(a)} and ${cellName(b)} share ${unit} ${unitNumber}`;
      conflicts.push({ digit, cells: [a, b], unit, message });
    }
  }

  return conflicts;
}

/**
 * Classifies a puzzle as conflicting, unsolvable, ambiguous (two or more solutions) or unique,
 * solving it once. Boxes are numbered 1..9 row-major in messages.
 */
export function validateSudoku(puzzle: Uint8Array): SudokuValidation {
  const conflicts = findClueConflicts(puzzle);
  if (conflicts.length > 0) {
    const more = conflicts.length > 1 ? ` (and ${conflicts.length - 1} more)` : '';
    return {
      status: 'conflict',
      conflicts,
      solution: null,
      rating: 0,
      message: `clue conflict: ${conflicts[0].message}${more}`,
    };
  }

  const result = solveSudoku(puzzle, { maxSolutions: 2 });
  if (result.solutionCount === 0) {
    return {
      status: 'no-solution',
      conflicts,
      solution: null,
      rating: result.rating,
      message: 'no solution: the clues do not conflict directly, but no grid completes them',
    };
  }
  if (result.solutionCount > 1) {
    return {
      status: 'multiple-solutions',
      conflicts,
      solution: result.solution,
      rating: result.rating,
      message: 'several solutions: add clues until only one completion remains',
    };
  }

  return {
    status: 'unique',
    conflicts,
    solution: result.solution,
    rating: result.rating,
    message: 'valid: exactly one solution',
  };
}
