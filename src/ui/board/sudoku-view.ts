// What each Sudoku cell shows at one point of the timeline: the clue, HRM's decoded prediction,
// its confidence, whether it changed since the previous update, whether it conflicts with
// another digit in its row, column or box, and whether it matches the exact solver's answer.

import type { StepEvent } from '../../engine/types';
import { CELL_COUNT, columnOf, rowOf } from '../../puzzles/sudoku/grid';
import { findClueConflicts } from '../../puzzles/sudoku/validate';

export interface SudokuCellView {
  index: number;
  row: number;
  column: number;
  /** Clue digit 1..9, or 0 for a blank cell. */
  given: number;
  /** HRM's digit for a blank cell, or 0 when there is none (no step yet or a non-digit token). */
  predicted: number;
  /** Probability of the predicted token, or null before the first step. */
  confidence: number | null;
  /** The prediction differs from the one at the previous update. */
  changed: boolean;
  /** The cell's digit repeats in its row, column or box. */
  conflict: boolean;
  /** Whether the shown digit matches the exact solution; null when no solution is known. */
  correct: boolean | null;
}

/** Turns a token id into a digit 1..9, or 0 for a token that is not a digit. */
export type DigitDecoder = (token: number) => number;

/** Marks the cells whose non-zero digit repeats within a row, column or box. */
export function conflictMask(digits: Uint8Array): boolean[] {
  const conflict = new Array<boolean>(CELL_COUNT).fill(false);
  for (const { cells } of findClueConflicts(digits)) {
    conflict[cells[0]] = true;
    conflict[cells[1]] = true;
  }
  return conflict;
}

/** Returns the grid HRM shows: clues kept, blanks filled with decoded predicted tokens. */
export function predictedGrid(
  givens: Uint8Array,
  prediction: ArrayLike<number> | undefined,
  decode: DigitDecoder,
): Uint8Array {
  const grid = givens.slice();
  if (!prediction) return grid;
  for (let cell = 0; cell < CELL_COUNT; cell++) {
    if (grid[cell] === 0) grid[cell] = decode(prediction[cell]);
  }
  return grid;
}

export function sudokuCellViews(
  givens: Uint8Array,
  event: StepEvent | undefined,
  previous: StepEvent | undefined,
  solution: Uint8Array | null,
  decode: DigitDecoder,
): SudokuCellView[] {
  const shown = predictedGrid(givens, event?.prediction, decode);
  const conflicts = conflictMask(shown);
  const views: SudokuCellView[] = [];
  for (let index = 0; index < CELL_COUNT; index++) {
    const given = givens[index];
    const predicted = given === 0 ? shown[index] : 0;
    const changed =
      event !== undefined &&
      previous !== undefined &&
      given === 0 &&
      event.prediction[index] !== previous.prediction[index];
    views.push({
      index,
      row: rowOf(index),
      column: columnOf(index),
      given,
      predicted,
      confidence: event ? event.confidence[index] : null,
      changed,
      conflict: conflicts[index],
      // An empty cell cannot match a solution digit, so it counts as wrong once a solution is known.
      correct: solution ? shown[index] === solution[index] : null,
    });
  }
  return views;
}
