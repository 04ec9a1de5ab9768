// Loads the published puzzle collections used by several Sudoku tests.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSudokuText } from '../../../src/puzzles/sudoku/parse.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The project's shared data folder, which sits beside the repository checkout. */
export const SHARED_SUDOKU_DIR = resolve(REPO_ROOT, '../shared/data/sudoku');

/** The app's gallery copies of the same collections, committed unchanged. */
export const PUBLIC_SUDOKU_DIR = join(REPO_ROOT, 'public/puzzles');

/**
 * Where the tests read the published collections: the shared folder when the checkout has one
 * beside it, else the app's copies, which a test checks are byte-identical whenever both exist.
 */
export const SUDOKU_DATA_DIR = existsSync(SHARED_SUDOKU_DIR)
  ? SHARED_SUDOKU_DIR
  : PUBLIC_SUDOKU_DIR;

/** Puzzle counts of the collections, as listed in the data folder's README. */
export const EXPECTED_PUZZLE_COUNTS: Record<string, number> = {
  'easy50-grids.txt': 50,
  'magictour-top1465.txt': 1465,
  'norvig-hardest.txt': 11,
  'norvig-top95.txt': 95,
};

export function listSudokuFiles(): string[] {
  return readdirSync(SUDOKU_DATA_DIR)
    .filter((name) => name.endsWith('.txt'))
    .sort();
}

export function readSudokuFile(name: string): string {
  return readFileSync(join(SUDOKU_DATA_DIR, name), 'utf8');
}

export function loadPuzzles(name: string): Uint8Array[] {
  return parseSudokuText(readSudokuFile(name)).map((entry) => entry.puzzle);
}

/** Returns whether `grid` is a complete valid solution that keeps every clue of `puzzle`. */
export function isSolutionOf(grid: Uint8Array, puzzle: Uint8Array): boolean {
  for (let cell = 0; cell < 81; cell++) {
    if (grid[cell] < 1 || grid[cell] > 9) return false;
    if (puzzle[cell] !== 0 && puzzle[cell] !== grid[cell]) return false;
  }

  for (let i = 0; i < 9; i++) {
    const row = new Set<number>();
    const column = new Set<number>();
    const box = new Set<number>();
    for (let j = 0; j < 9; j++) {
      row.add(grid[i * 9 + j]);
      column.add(grid[j * 9 + i]);
      const boxRow = Math.floor(i / 3) * 3 + Math.floor(j / 3);
      const boxColumn = (i % 3) * 3 + (j % 3);
      box.add(grid[boxRow * 9 + boxColumn]);
    }
    if (row.size !== 9 || column.size !== 9 || box.size !== 9) return false;
  }

  return true;
}
