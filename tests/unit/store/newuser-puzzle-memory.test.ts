// A new user's Sudoku was replaced by the starter puzzle after loading the maze model and then
// the Sudoku model again. The app now remembers the last puzzle of each task and size.
import { describe, expect, test } from 'vitest';
import { parseSudoku } from '../../../src/puzzles/sudoku/parse';
import { type AppServices, createApp } from '../../../src/store/app';
import type { CatalogEntry } from '../../../src/store/model';
import { createBrowserServices } from '../../../src/ui/services';
import { createRandomWeights, SMALL_CONFIG } from '../engine/random-model';
import { createTinySession, loadTinyWeights } from './tiny-model';

const EASY = parseSudoku(
  '003020600900305001001806400008102900700000008006708200002609500800203009005010300',
);

const tinyEntry: CatalogEntry = {
  id: 'tiny',
  name: 'Tiny random HRM',
  task: 'sudoku',
  path: 'models/tiny/model.safetensors',
  bytes: 533_304,
  default: true,
};

/** Returns random weights of a 9×9 maze model (vocab_size 6, seq_len 81) for the file picker. */
function mazeWeights() {
  return createRandomWeights({ ...SMALL_CONFIG, vocab_size: 6, seq_len: 81 });
}

// The real puzzle services, with the catalog download and the file picker replaced by in-memory
// models and the reference engine in place of the browser's backend choice.
function services(): AppServices {
  return {
    ...createBrowserServices(),
    createSession: async (weights) => ({
      session: await createTinySession(weights),
      backend: { kind: 'reference', reason: 'chosen by the test', description: 'reference engine' },
    }),
    fetchCatalog: async () => [tinyEntry],
    loadFromCatalog: async () => loadTinyWeights(),
    loadFromFiles: async () => mazeWeights(),
  };
}

describe('puzzle memory across models', () => {
  test('Sudoku returns after maze model', async () => {
    const app = createApp(services());
    app.settings.getState().setMaxSegments(1);
    await app.loadCatalog();
    await app.loadCatalogModel();
    app.puzzle.getState().setPuzzle({ task: 'sudoku', digits: EASY }, { kind: 'pasted' });
    await app.controller.idle();

    await app.loadFiles([new File([], 'model.safetensors')]);
    expect(app.model.getState().current?.task).toBe('maze');
    const maze = app.puzzle.getState().puzzle;
    expect(maze.task).toBe('maze');

    await app.loadCatalogModel('tiny');
    const restored = app.puzzle.getState().puzzle;
    if (restored.task !== 'sudoku') throw new Error(`expected a Sudoku, found a ${restored.task}`);
    expect(Array.from(restored.digits)).toEqual(Array.from(EASY));
    expect(app.puzzle.getState().origin.kind).toBe('pasted');
    expect(app.runProblem()).toBeNull();

    // The maze is remembered too.
    await app.loadFiles([new File([], 'model.safetensors')]);
    expect(app.puzzle.getState().puzzle).toBe(maze);
    app.controller.dispose();
  });

  test('first model of a task gets starter', async () => {
    const app = createApp(services());
    app.settings.getState().setMaxSegments(1);
    await app.loadFiles([new File([], 'model.safetensors')]);
    const puzzle = app.puzzle.getState().puzzle;

    expect(puzzle.task).toBe('maze');
    expect(app.puzzle.getState().origin.kind).toBe('default');
    app.controller.dispose();
  });
});
