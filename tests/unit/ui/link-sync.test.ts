// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { encodeShareHash, parseShareHash } from '../../../src/puzzles/share';
import { parseSudoku } from '../../../src/puzzles/sudoku/parse';
import { type AppServices, createApp } from '../../../src/store/app';
import { startLinkSync } from '../../../src/ui/link-sync';
import { createBrowserServices } from '../../../src/ui/services';
import { createTinySession, loadTinyWeights } from '../store/tiny-model';

const EASY = parseSudoku(
  '003020600900305001001806400008102900700000008006708200002609500800203009005010300',
);

// The real puzzle services, with the fixture standing in for the catalog download and the
// reference engine for the browser's backend choice (Node has neither WebGPU nor an app server).
function tinyServices(): AppServices {
  return {
    ...createBrowserServices(),
    fetchCatalog: async () => [
      {
        id: 'tiny',
        name: 'Tiny random HRM',
        task: 'sudoku',
        path: 'models/tiny/model.safetensors',
        bytes: 1,
        default: true,
      },
    ],
    loadFromCatalog: async () => loadTinyWeights(),
    createSession: async (weights) => ({
      session: await createTinySession(weights),
      backend: { kind: 'reference', reason: 'chosen by the test', description: 'reference engine' },
    }),
  };
}

async function openWithHash(hash: string) {
  window.history.replaceState(null, '', `/${hash}`);
  const app = createApp(tinyServices());
  await startLinkSync(app);
  await app.controller.idle();
  return app;
}

afterEach(() => {
  vi.restoreAllMocks();
  window.history.replaceState(null, '', '/');
});

describe('link sync', () => {
  test('link restores puzzle, limit, halting and position', async () => {
    const app = await openWithHash(
      encodeShareHash({
        task: 'sudoku',
        sudoku: EASY,
        maxSegments: 2,
        haltingMode: 'fixed',
        modelId: 'tiny',
        timelinePosition: 4,
      }),
    );
    const puzzle = app.puzzle.getState().puzzle;
    if (puzzle.task !== 'sudoku')
      throw new Error(`expected a Sudoku from the link, found a ${puzzle.task}`);
    expect(Array.from(puzzle.digits)).toEqual(Array.from(EASY));
    expect(app.settings.getState().maxSegments).toBe(2);
    expect(app.settings.getState().halting).toBe('fixed');
    expect(app.model.getState().current?.provenance.id).toBe('tiny');
    expect(app.run.getState().cursor).toBe(4);
    expect(app.link.getState().problems).toEqual([]);
    app.controller.dispose();
  });

  test('invalid parameters are reported and skipped', async () => {
    const app = await openWithHash('#v=1&m=abc&h=never&model=nope&s=3');
    const params = app.link.getState().problems.map((problem) => problem.param);
    expect(params).toContain('m');
    expect(params).toContain('h');
    expect(params).toContain('model');
    // The default model still loads and the valid position is applied.
    expect(app.model.getState().current?.provenance.id).toBe('tiny');
    expect(app.run.getState().cursor).toBe(3);
    app.controller.dispose();
  });

  test('limit above 64 is clamped and reported', async () => {
    const app = await openWithHash('#v=1&m=200');
    expect(app.settings.getState().maxSegments).toBe(64);
    expect(app.link.getState().problems.map((problem) => problem.param)).toEqual(['m']);
    app.controller.dispose();
  });

  test('deliberate change pushes, cursor replaces', async () => {
    const app = await openWithHash(
      encodeShareHash({ task: 'sudoku', sudoku: EASY, maxSegments: 1, modelId: 'tiny' }),
    );
    const push = vi.spyOn(window.history, 'pushState');
    const replace = vi.spyOn(window.history, 'replaceState');

    app.settings.getState().setHalting('q_head');
    expect(push).toHaveBeenCalledTimes(1);
    expect(parseShareHash(window.location.hash).state.haltingMode).toBe('q_head');
    await app.controller.idle();

    app.run.getState().seek(2);
    await vi.waitFor(() => expect(replace).toHaveBeenCalled());
    expect(parseShareHash(window.location.hash).state.timelinePosition).toBe(2);
    expect(push).toHaveBeenCalledTimes(1);
    app.controller.dispose();
  });
});
