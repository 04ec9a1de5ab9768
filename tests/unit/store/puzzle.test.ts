import { describe, expect, test } from 'vitest';
import { MazeCell } from '../../../src/puzzles/maze/grid';
import { createPuzzleStore, emptySudoku } from '../../../src/store/puzzle';
import {
  clampSegments,
  createSettingsStore,
  MAX_SEGMENTS_LIMIT,
} from '../../../src/store/settings';

describe('puzzle store', () => {
  test('setDigit edits a copy and undo restores it', () => {
    const store = createPuzzleStore();
    const original = store.getState().puzzle;
    store.getState().setDigit(10, 7);
    const edited = store.getState().puzzle;
    expect(edited).not.toBe(original);
    if (edited.task !== 'sudoku' || original.task !== 'sudoku')
      throw new Error('expected Sudoku grids');
    expect(edited.digits[10]).toBe(7);
    expect(original.digits[10]).toBe(0);
    expect(store.getState().origin.kind).toBe('edited');

    store.getState().undo();
    expect(store.getState().puzzle).toBe(original);
  });

  test('setDigit rejects digits and cells out of range', () => {
    const store = createPuzzleStore();
    expect(() => store.getState().setDigit(81, 1)).toThrow(
      'invalid cell index: 81; expected 0..80',
    );
    expect(() => store.getState().setDigit(0, 10)).toThrow('invalid Sudoku digit: 10');
  });

  test('setting the same digit records no undo step', () => {
    const store = createPuzzleStore(emptySudoku());
    store.getState().setDigit(3, 0);
    expect(store.getState().undoStack).toHaveLength(0);
  });

  test('painting the start moves it', () => {
    const cells = new Uint8Array(9).fill(MazeCell.open);
    cells[0] = MazeCell.start;
    cells[8] = MazeCell.goal;
    const store = createPuzzleStore({ task: 'maze', grid: { size: 3, cells } });
    store.getState().paintMaze(4, MazeCell.start);
    const puzzle = store.getState().puzzle;
    if (puzzle.task !== 'maze') throw new Error('expected a maze');
    expect(puzzle.grid.cells[4]).toBe(MazeCell.start);
    expect(puzzle.grid.cells[0]).toBe(MazeCell.open);
    expect(puzzle.grid.cells.filter((cell) => cell === MazeCell.start)).toHaveLength(1);
  });

  test('paintMaze on a Sudoku is rejected', () => {
    const store = createPuzzleStore();
    expect(() => store.getState().paintMaze(0, MazeCell.wall)).toThrow(
      'paintMaze failed: the board contains a Sudoku',
    );
  });
});

describe('settings store', () => {
  test('segment limit is clamped to 1..64', () => {
    expect(clampSegments(0)).toBe(1);
    expect(clampSegments(100)).toBe(MAX_SEGMENTS_LIMIT);
    expect(clampSegments(7.4)).toBe(7);
    expect(() => clampSegments(Number.NaN)).toThrow('invalid segment limit: NaN');
  });

  test('setMaxSegments stores the clamped value', () => {
    const store = createSettingsStore();
    store.getState().setMaxSegments(99);
    expect(store.getState().maxSegments).toBe(64);
  });

  test('speed must be positive', () => {
    const store = createSettingsStore();
    expect(() => store.getState().setSpeed(0)).toThrow('invalid playback speed: 0');
  });
});
