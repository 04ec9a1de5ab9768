// Lenient decoding of predicted tokens for display. An untrained or confused model may predict
// padding or the blank id in a Sudoku cell; the board shows those cells as empty instead of
// rejecting the whole grid the way `tokensToGrid` does for inputs.

import { SUDOKU_BLANK_ID, SUDOKU_VOCAB_SIZE } from '../puzzles/sudoku/tokens';

/** Returns the digit 1..9 of a predicted Sudoku token, or 0 for padding, blank or unknown ids. */
export function decodeDigit(token: number): number {
  return token > SUDOKU_BLANK_ID && token < SUDOKU_VOCAB_SIZE ? token - SUDOKU_BLANK_ID : 0;
}
