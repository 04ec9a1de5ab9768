// Conversion between grids and HRM token ids (the authors' Sudoku layout): id 0 is padding,
// a blank cell is 1 and digit d is d + 1, so the vocabulary has 11 ids and a puzzle is 81 ids.

import { assertGrid, CELL_COUNT, cellName } from './grid.ts';

export const SUDOKU_VOCAB_SIZE = 11;
export const SUDOKU_SEQ_LEN = 81;
export const SUDOKU_PAD_ID = 0;
export const SUDOKU_BLANK_ID = 1;

/** Converts a grid (0 = blank) to token ids, [seq_len]. Works for puzzles and solutions. */
export function gridToTokens(grid: Uint8Array): Uint8Array {
  assertGrid(grid);

  const tokens = new Uint8Array(SUDOKU_SEQ_LEN);
  for (let cell = 0; cell < CELL_COUNT; cell++) tokens[cell] = grid[cell] + 1;

  return tokens;
}

/** Converts token ids back to a grid; padding (0) or ids above 10 are rejected. */
export function tokensToGrid(tokens: ArrayLike<number>): Uint8Array {
  if (tokens.length !== SUDOKU_SEQ_LEN) {
    throw new Error(`invalid Sudoku token sequence: expected 81 ids, found ${tokens.length}`);
  }

  const grid = new Uint8Array(CELL_COUNT);
  for (let cell = 0; cell < CELL_COUNT; cell++) {
    const id = tokens[cell];
    if (!Number.isInteger(id) || id < SUDOKU_BLANK_ID || id >= SUDOKU_VOCAB_SIZE) {
      throw new Error(
        `invalid Sudoku token ${id} at ${cellName(cell)}: expected 1 (blank) or 2..10 (digits 1..9)`,
      );
    }
    grid[cell] = id - 1;
  }

  return grid;
}
