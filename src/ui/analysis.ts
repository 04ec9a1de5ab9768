// Scores HRM's predictions against the exact answer, per recorded update: share of cells right
// and whether the whole answer is right. Sudoku uses the exact solver's unique solution; a maze
// counts as right when the predicted path is one of its shortest paths.

import type { StepEvent } from '../engine/types';
import { checkPath, type PathCheck } from '../puzzles/maze/check';
import { MazeFormatError, type MazeGrid } from '../puzzles/maze/grid';
import { CELL_COUNT } from '../puzzles/sudoku/grid';
import type { DigitDecoder } from './board/sudoku-view';

export interface StepScore {
  /** Share of blank cells predicted right, 0..1. */
  cellAccuracy: number;
  /** Every blank cell is right. */
  exact: boolean;
}

/** Scores one update of a Sudoku run against `solution` (Uint8Array(81) of digits). */
export function scoreSudoku(
  givens: Uint8Array,
  solution: Uint8Array,
  event: StepEvent,
  decode: DigitDecoder,
): StepScore {
  let blanks = 0;
  let right = 0;
  for (let cell = 0; cell < CELL_COUNT; cell++) {
    if (givens[cell] !== 0) continue;
    blanks++;
    if (decode(event.prediction[cell]) === solution[cell]) right++;
  }
  return { cellAccuracy: blanks === 0 ? 1 : right / blanks, exact: right === blanks };
}

/**
 * Scores one update of a maze run: token accuracy against `labels` (the maze with one shortest
 * path marked, [seq_len]), and exact when the predicted path is any shortest path.
 */
export function scoreMaze(grid: MazeGrid, labels: Uint8Array, event: StepEvent): StepScore {
  let right = 0;
  for (let cell = 0; cell < labels.length; cell++) {
    if (event.prediction[cell] === labels[cell]) right++;
  }
  return {
    cellAccuracy: right / labels.length,
    exact: safeCheckPath(grid, event.prediction)?.optimal ?? false,
  };
}

/** Checks a predicted path, or returns null for a maze that is itself invalid. */
export function safeCheckPath(grid: MazeGrid, prediction: ArrayLike<number>): PathCheck | null {
  try {
    return checkPath(grid, prediction);
  } catch (error) {
    if (error instanceof MazeFormatError) return null;
    throw error;
  }
}

/** Summary of a recorded run for the status line. */
export interface RunOutcome {
  /** First segment (1-based) whose final prediction is exactly right, or null. */
  solvedAt: number | null;
  /** Segments recorded (1-based count of segments with at least one update). */
  segments: number;
  /** The last recorded prediction is exactly right. */
  finalExact: boolean | null;
}

/** Finds where a run first got the answer right, from per-update scores. */
export function summariseRun(events: StepEvent[], scores: (StepScore | null)[]): RunOutcome {
  let solvedAt: number | null = null;
  for (let i = 0; i < events.length; i++) {
    const score = scores[i];
    const endsSegment =
      events[i + 1] === undefined || events[i + 1].position.segment !== events[i].position.segment;
    if (solvedAt === null && endsSegment && score?.exact) solvedAt = events[i].position.segment + 1;
  }
  const last = scores.at(-1);
  return {
    solvedAt,
    segments: events.length === 0 ? 0 : events[events.length - 1].position.segment + 1,
    finalExact: last ? last.exact : null,
  };
}
