// The puzzle on the board: a Sudoku grid of digits or a maze grid of characters, with an undo
// history for edits. Parsing, validation and tokens live in src/puzzles/*; this store only keeps
// the current grid and where it came from.

import { createStore } from 'zustand/vanilla';
import { MazeCell, type MazeGrid } from '../puzzles/maze/grid';

export type Task = 'sudoku' | 'maze';

/** Cell codes a user may paint on a maze; the path code is model output only. */
export type PaintableCell =
  | typeof MazeCell.wall
  | typeof MazeCell.open
  | typeof MazeCell.start
  | typeof MazeCell.goal;

export interface SudokuPuzzle {
  task: 'sudoku';
  /** 81 digits in row-major order, 0 for a blank cell (the layout of src/puzzles/sudoku/grid.ts). */
  digits: Uint8Array;
}

export interface MazePuzzle {
  task: 'maze';
  grid: MazeGrid;
}

export type Puzzle = SudokuPuzzle | MazePuzzle;

/** Origin of the puzzle, shown beside the board. */
export interface PuzzleOrigin {
  /** `default`, `gallery`, `random`, `pasted`, `edited`, `link`. */
  kind: 'default' | 'gallery' | 'random' | 'pasted' | 'edited' | 'link';
  /** Free-form label, e.g. the gallery entry's source and index. */
  label?: string;
}

/** Undo steps kept per puzzle; older edits are dropped. */
const UNDO_LIMIT = 200;

export interface PuzzleState {
  puzzle: Puzzle;
  origin: PuzzleOrigin;
  /** Earlier grids of the same puzzle, most recent last. */
  undoStack: Puzzle[];
  /** Cell index that keyboard edits apply to, or null. */
  selected: number | null;
  setPuzzle(puzzle: Puzzle, origin: PuzzleOrigin): void;
  /** Sets one Sudoku cell to a digit 1..9, or clears it with 0. */
  setDigit(index: number, digit: number): void;
  /** Sets one maze cell; painting the start or goal moves the existing one there. */
  paintMaze(index: number, cell: PaintableCell): void;
  undo(): void;
  select(index: number | null): void;
}

export function emptySudoku(): SudokuPuzzle {
  return { task: 'sudoku', digits: new Uint8Array(81) };
}

function cellCount(puzzle: Puzzle): number {
  return puzzle.task === 'sudoku' ? puzzle.digits.length : puzzle.grid.cells.length;
}

function checkIndex(puzzle: Puzzle, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= cellCount(puzzle)) {
    throw new RangeError(`invalid cell index: ${index}; expected 0..${cellCount(puzzle) - 1}`);
  }
}

export function createPuzzleStore(initial: Puzzle = emptySudoku()) {
  return createStore<PuzzleState>()((set, get) => {
    // Records the current grid for undo, then installs the edited one.
    function commitEdit(next: Puzzle): void {
      const { puzzle, undoStack } = get();
      set({
        puzzle: next,
        origin: { kind: 'edited' },
        undoStack: [...undoStack, puzzle].slice(-UNDO_LIMIT),
      });
    }

    return {
      puzzle: initial,
      origin: { kind: 'default' },
      undoStack: [],
      selected: null,
      setPuzzle: (puzzle, origin) => set({ puzzle, origin, undoStack: [], selected: null }),
      setDigit: (index, digit) => {
        const { puzzle } = get();
        if (puzzle.task !== 'sudoku') {
          throw new Error(
            'setDigit failed: the board contains a maze; use paintMaze for maze cells',
          );
        }
        checkIndex(puzzle, index);
        if (!Number.isInteger(digit) || digit < 0 || digit > 9) {
          throw new RangeError(`invalid Sudoku digit: ${digit}; expected 1..9, or 0 to clear`);
        }
        if (puzzle.digits[index] === digit) return;
        const digits = puzzle.digits.slice();
        digits[index] = digit;
        commitEdit({ task: 'sudoku', digits });
      },
      paintMaze: (index, cell) => {
        const { puzzle } = get();
        if (puzzle.task !== 'maze') {
          throw new Error(
            'paintMaze failed: the board contains a Sudoku; use setDigit for Sudoku cells',
          );
        }
        checkIndex(puzzle, index);
        if (puzzle.grid.cells[index] === cell) return;
        const cells = puzzle.grid.cells.slice();

        // A maze has one start and one goal, so painting either one moves it.
        if (cell === MazeCell.start || cell === MazeCell.goal) {
          const previous = cells.indexOf(cell);
          if (previous >= 0) cells[previous] = MazeCell.open;
        }
        cells[index] = cell;
        commitEdit({ task: 'maze', grid: { size: puzzle.grid.size, cells } });
      },
      undo: () => {
        const { undoStack } = get();
        const previous = undoStack.at(-1);
        if (!previous) return;
        set({ puzzle: previous, undoStack: undoStack.slice(0, -1) });
      },
      select: (index) => {
        if (index !== null) checkIndex(get().puzzle, index);
        set({ selected: index });
      },
    };
  });
}

export type PuzzleStore = ReturnType<typeof createPuzzleStore>;
