import { describe, expect, test } from 'vitest';
import type { StepEvent } from '../../../src/engine/types';
import { parseSudoku } from '../../../src/puzzles/sudoku/parse';
import { solveSudoku } from '../../../src/puzzles/sudoku/solve';
import { gridToTokens } from '../../../src/puzzles/sudoku/tokens';
import { scoreSudoku, summariseRun } from '../../../src/ui/analysis';
import { conflictMask, predictedGrid, sudokuCellViews } from '../../../src/ui/board/sudoku-view';
import { decodeDigit } from '../../../src/ui/tokens';

const PUZZLE = parseSudoku(
  '003020600900305001001806400008102900700000008006708200002609500800203009005010300',
);
const SOLUTION = solveSudoku(PUZZLE).solution as Uint8Array;

/** Builds a StepEvent that predicts the tokens of `grid`, with one confidence for every cell. */
function eventFor(grid: Uint8Array, segment: number, confidence = 0.5): StepEvent {
  return {
    position: { segment, hCycle: 0, lStep: null, module: 'H', index: segment },
    prediction: Int32Array.from(gridToTokens(grid)),
    confidence: new Float32Array(81).fill(confidence),
    entropy: new Float32Array(81),
    updateNorm: 1,
    relativeUpdate: 0.1,
    elapsedMs: 1,
  };
}

describe('decodeDigit', () => {
  test('maps digit tokens and rejects the rest', () => {
    expect(decodeDigit(2)).toBe(1);
    expect(decodeDigit(10)).toBe(9);
    expect(decodeDigit(0)).toBe(0);
    expect(decodeDigit(1)).toBe(0);
    expect(decodeDigit(11)).toBe(0);
  });
});

describe('sudoku cell views', () => {
  test('conflictMask marks both cells of a repeated digit', () => {
    const grid = new Uint8Array(81);
    grid[0] = 4;
    grid[10] = 4;
    const mask = conflictMask(grid);
    expect(mask[0]).toBe(true);
    expect(mask[10]).toBe(true);
    expect(mask.filter(Boolean)).toHaveLength(2);
  });

  test('predictedGrid keeps clues and fills blanks', () => {
    const wrong = SOLUTION.slice();
    wrong[0] = 9;
    const grid = predictedGrid(PUZZLE, eventFor(wrong, 0).prediction, decodeDigit);
    expect(grid[2]).toBe(3);
    expect(grid[0]).toBe(9);
  });

  test('views report clue, prediction, change and correctness', () => {
    const wrong = SOLUTION.slice();
    wrong[0] = SOLUTION[0] === 1 ? 2 : 1;
    const previous = eventFor(SOLUTION, 0);
    const current = eventFor(wrong, 1, 0.75);
    const views = sudokuCellViews(PUZZLE, current, previous, SOLUTION, decodeDigit);

    expect(views[2]).toMatchObject({ given: 3, predicted: 0, changed: false, correct: true });
    expect(views[0]).toMatchObject({
      given: 0,
      predicted: wrong[0],
      changed: true,
      correct: false,
      confidence: 0.75,
    });
    expect(views[1]).toMatchObject({
      given: 0,
      predicted: SOLUTION[1],
      changed: false,
      correct: true,
    });
  });

  test('views before the first update show only clues', () => {
    const views = sudokuCellViews(PUZZLE, undefined, undefined, null, decodeDigit);
    expect(views.map((view) => view.given + view.predicted)).toEqual(Array.from(PUZZLE));
    expect(views.every((view) => view.confidence === null && view.correct === null)).toBe(true);
  });
});

describe('scores', () => {
  test('scoreSudoku counts blank cells only', () => {
    const wrong = SOLUTION.slice();
    wrong[0] = SOLUTION[0] === 1 ? 2 : 1;
    const blanks = PUZZLE.filter((digit) => digit === 0).length;
    expect(scoreSudoku(PUZZLE, SOLUTION, eventFor(SOLUTION, 0), decodeDigit)).toEqual({
      cellAccuracy: 1,
      exact: true,
    });
    expect(scoreSudoku(PUZZLE, SOLUTION, eventFor(wrong, 0), decodeDigit)).toEqual({
      cellAccuracy: (blanks - 1) / blanks,
      exact: false,
    });
  });

  test('summariseRun finds the first solved segment', () => {
    const wrong = SOLUTION.slice();
    wrong[0] = SOLUTION[0] === 1 ? 2 : 1;
    const events = [eventFor(wrong, 0), eventFor(SOLUTION, 1), eventFor(SOLUTION, 2)];
    const scores = events.map((event) => scoreSudoku(PUZZLE, SOLUTION, event, decodeDigit));
    expect(summariseRun(events, scores)).toEqual({ solvedAt: 2, segments: 3, finalExact: true });
  });

  test('summariseRun without answers reports segments only', () => {
    const events = [eventFor(SOLUTION, 0), eventFor(SOLUTION, 1)];
    expect(summariseRun(events, [null, null])).toEqual({
      solvedAt: null,
      segments: 2,
      finalExact: null,
    });
  });
});
