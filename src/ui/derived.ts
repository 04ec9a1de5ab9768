// Hooks for values derived from several stores: the event under the cursor, the exact answer of
// the current Sudoku, and per-update scores. Each is memoised on the store values it reads.

import { useMemo } from 'react';
import type { StepEvent } from '../engine/types';
import { mazeLabelTokens } from '../puzzles/maze/tokens';
import { solveSudoku } from '../puzzles/sudoku/solve';
import { type StepScore, scoreMaze, scoreSudoku } from './analysis';
import { usePuzzle, useRun } from './context';
import { decodeDigit } from './tokens';

export interface SudokuAnswer {
  /** The first solution in the solver's order, or null when there is none. */
  solution: Uint8Array | null;
  /** Solutions found, counted up to 2. */
  solutionCount: number;
  /** Backtracks the exact solver needed: the difficulty rating. */
  rating: number;
  /** Milliseconds the exact solver took. */
  elapsedMs: number;
}

/** Solves the current Sudoku exactly; null for mazes and for grids the solver rejects. */
export function useSudokuAnswer(): SudokuAnswer | null {
  const puzzle = usePuzzle((state) => state.puzzle);
  return useMemo(() => {
    if (puzzle.task !== 'sudoku') return null;
    const started = performance.now();
    const result = solveSudoku(puzzle.digits);
    return { ...result, elapsedMs: performance.now() - started };
  }, [puzzle]);
}

/** Returns the event under the timeline cursor and the one before it. */
export function useCursorEvents(): {
  event: StepEvent | undefined;
  previous: StepEvent | undefined;
} {
  const events = useRun((state) => state.events);
  const cursor = useRun((state) => state.cursor);
  return {
    event: cursor >= 0 ? events[cursor] : undefined,
    previous: cursor >= 1 ? events[cursor - 1] : undefined,
  };
}

/** Returns the maze's label tokens (one shortest path marked), or null when there is none. */
function mazeLabels(grid: Parameters<typeof mazeLabelTokens>[0]): Uint8Array | null {
  try {
    return mazeLabelTokens(grid);
  } catch {
    // An invalid or unreachable maze has no answer; the status line explains why.
    return null;
  }
}

/**
 * Scores every recorded update against the exact answer: the unique Sudoku solution, or the
 * maze's shortest paths. Entries are null where no single answer is known.
 */
export function useScores(): (StepScore | null)[] {
  const events = useRun((state) => state.events);
  const puzzle = usePuzzle((state) => state.puzzle);
  const answer = useSudokuAnswer();

  // Scores one event against the current answer, or returns null where no single answer is known.
  const score = useMemo((): ((event: StepEvent) => StepScore) | null => {
    if (puzzle.task === 'maze') {
      const labels = mazeLabels(puzzle.grid);
      return labels && ((event) => scoreMaze(puzzle.grid, labels, event));
    }
    const solution = answer?.solutionCount === 1 ? answer.solution : null;
    return solution && ((event) => scoreSudoku(puzzle.digits, solution, event, decodeDigit));
  }, [puzzle, answer]);

  // The event list grows by one on every update, so scores are cached per event object.
  const cache = useMemo(() => (score ? new WeakMap<StepEvent, StepScore>() : null), [score]);
  return useMemo(
    () =>
      events.map((event) => {
        if (!score || !cache) return null;
        let cached = cache.get(event);
        if (!cached) {
          cached = score(event);
          cache.set(event, cached);
        }
        return cached;
      }),
    [events, score, cache],
  );
}
