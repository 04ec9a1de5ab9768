import { describe, expect, test } from 'vitest';
import { solveSudoku } from '../../../src/puzzles/sudoku/solve';
import { type AppServices, createApp } from '../../../src/store/app';
import type { CatalogEntry } from '../../../src/store/model';
import { createBrowserServices } from '../../../src/ui/services';
import { createTinySession, loadTinyWeights } from './tiny-model';

const UPDATES_PER_SEGMENT = 6;

const tinyEntry: CatalogEntry = {
  id: 'tiny',
  name: 'Tiny random HRM',
  task: 'sudoku',
  path: 'models/tiny/model.safetensors',
  bytes: 533_304,
  default: true,
};

// The real services (puzzle tokens and validation), with the catalog and the download replaced
// by the committed fixture, since Node has no app server to fetch from, and the reference engine
// in place of the browser's backend choice, which needs WebGPU or onnxruntime-web's WASM files.
function tinyServices(overrides: Partial<AppServices> = {}): AppServices {
  return {
    ...createBrowserServices(),
    createSession: async (weights) => ({
      session: await createTinySession(weights),
      backend: { kind: 'reference', reason: 'chosen by the test', description: 'reference engine' },
    }),
    fetchCatalog: async () => [tinyEntry],
    loadFromCatalog: async (_entry, onProgress) => {
      onProgress({ stage: 'download', loaded: 10, total: 10 });
      return loadTinyWeights();
    },
    ...overrides,
  };
}

async function loadedApp(overrides: Partial<AppServices> = {}) {
  const app = createApp(tinyServices(overrides));
  app.settings.getState().setMaxSegments(2);
  await app.loadCatalog();
  await app.loadCatalogModel();
  await app.controller.idle();
  return app;
}

describe('createApp', () => {
  test('loading the default model runs the starter Sudoku', async () => {
    const app = await loadedApp();
    expect(app.model.getState().current?.provenance.id).toBe('tiny');
    expect(app.model.getState().backend?.kind).toBe('reference');
    expect(app.model.getState().loading).toBeNull();
    expect(app.run.getState().status).toBe('done');
    expect(app.run.getState().events).toHaveLength(2 * UPDATES_PER_SEGMENT);
    expect(app.runProblem()).toBeNull();
    app.controller.dispose();
  });

  test('raising the limit extends the run', async () => {
    const app = await loadedApp();
    const runId = app.run.getState().runId;
    app.settings.getState().setMaxSegments(3);
    await app.controller.idle();
    expect(app.run.getState().runId).toBe(runId);
    expect(app.run.getState().events).toHaveLength(3 * UPDATES_PER_SEGMENT);
    app.controller.dispose();
  });

  test('changing the halting mode re-runs from the start', async () => {
    const app = await loadedApp();
    const runId = app.run.getState().runId;
    app.settings.getState().setHalting('q_head');
    await app.controller.idle();
    expect(app.run.getState().runId).toBe(runId + 1);
    expect(app.run.getState().setup?.halting).toBe('q_head');
    app.controller.dispose();
  });

  test('an edited cell starts a new run', async () => {
    const app = await loadedApp();
    const runId = app.run.getState().runId;
    const blank = app.puzzle.getState().puzzle;
    if (blank.task !== 'sudoku') throw new Error('expected the starter Sudoku');
    const index = blank.digits.indexOf(0);
    // The cell's digit in the solution, so the edit cannot make a clue conflict.
    const digit = solveSudoku(blank.digits).solution?.[index] ?? 0;
    app.puzzle.getState().setDigit(index, digit);
    await app.controller.idle();
    expect(app.run.getState().runId).toBe(runId + 1);
    // Token = digit + 1 (0 is padding, 1 a blank).
    expect(app.run.getState().setup?.inputs[index]).toBe(digit + 1);
    app.controller.dispose();
  });

  test('a clue conflict blocks the run with a problem', async () => {
    const app = await loadedApp();
    const runId = app.run.getState().runId;
    const digits = new Uint8Array(81);
    digits[0] = 5;
    digits[8] = 5;
    app.puzzle.getState().setPuzzle({ task: 'sudoku', digits }, { kind: 'pasted' });
    await app.controller.idle();
    expect(app.runProblem()).toEqual({
      key: 'conflict',
      values: { digit: 5, first: 'r1c1', second: 'r1c9', unit: 'row', more: 0 },
    });
    // The recorded run belonged to the previous puzzle, so it is dropped.
    expect(app.run.getState().runId).toBe(runId + 1);
    expect(app.run.getState().events).toHaveLength(0);
    expect(app.run.getState().status).toBe('idle');
    app.controller.dispose();
  });

  test('a failed load keeps the current model', async () => {
    let fail = false;
    const app = await loadedApp({
      loadFromCatalog: async () => {
        if (fail) throw new Error('model.safetensors: truncated file');
        return loadTinyWeights();
      },
    });
    fail = true;
    await app.loadCatalogModel('tiny');
    expect(app.model.getState().error).toBe('model.safetensors: truncated file');
    expect(app.model.getState().current?.provenance.id).toBe('tiny');
    expect(app.model.getState().loading).toBeNull();
    app.controller.dispose();
  });

  test('an unknown model id is reported with the known ids', async () => {
    const app = await loadedApp();
    await app.loadCatalogModel('sudoku-missing');
    expect(app.model.getState().error).toBe(
      'model not found: sudoku-missing; available models: tiny',
    );
    app.controller.dispose();
  });

  test('a catalog failure is recorded', async () => {
    const app = createApp(
      tinyServices({
        fetchCatalog: async () => {
          throw new Error('models/index.json: HTTP 404 Not Found');
        },
      }),
    );
    expect(await app.loadCatalog()).toEqual([]);
    expect(app.model.getState().catalogError).toBe('models/index.json: HTTP 404 Not Found');
  });
});
