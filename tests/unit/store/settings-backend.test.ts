import { describe, expect, test } from 'vitest';
import type { BackendKind } from '../../../src/engine/types';
import { parseSudoku } from '../../../src/puzzles/sudoku/parse';
import { type AppServices, createApp } from '../../../src/store/app';
import type { CatalogEntry } from '../../../src/store/model';
import {
  type BackendRequest,
  createSettingsStore,
  parseBackendRequest,
} from '../../../src/store/settings';
import { createBrowserServices } from '../../../src/ui/services';
import { createTinySession, loadTinyWeights } from './tiny-model';

const tinyEntry: CatalogEntry = {
  id: 'tiny',
  name: 'Tiny random HRM',
  task: 'sudoku',
  path: 'models/tiny/model.safetensors',
  bytes: 533_304,
  default: true,
};

/** A Sudoku other than the starter, so the test can tell that the user's puzzle was kept. */
const USER_SUDOKU = parseSudoku(
  '4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......',
);

/**
 * The real puzzle services over the committed tiny model. Sessions run on the reference engine,
 * because Node has neither WebGPU nor onnxruntime-web's WASM files. The reported kind echoes the
 * request, as the browser services do when the backend works. A request of 'webgpu' reports the
 * reference engine with a reason, as a browser without WebGPU does, and 'auto' reports ort-wasm.
 */
function recordingServices(requests: (BackendRequest | undefined)[]): AppServices {
  return {
    ...createBrowserServices(),
    createSession: async (weights, requested) => {
      requests.push(requested);
      const session = await createTinySession(weights);
      if (requested === 'webgpu') {
        return {
          session,
          backend: {
            kind: 'reference',
            reason: 'webgpu failed (WebGPU is unavailable); running the plain TypeScript engine.',
            description: 'reference engine',
          },
        };
      }
      const kind: BackendKind =
        requested === undefined || requested === 'auto' ? 'ort-wasm' : requested;
      return { session, backend: { kind, reason: `requested ${requested}`, description: kind } };
    },
    fetchCatalog: async () => [tinyEntry],
    loadFromCatalog: async () => loadTinyWeights(),
  };
}

async function loadedApp(requests: (BackendRequest | undefined)[]) {
  const app = createApp(recordingServices(requests));
  app.settings.getState().setMaxSegments(1);
  await app.loadCatalog();
  await app.loadCatalogModel();
  await app.controller.idle();
  return app;
}

describe('backend setting', () => {
  test('defaults to auto', () => {
    expect(createSettingsStore().getState().backend).toBe('auto');
  });

  test('accepts every backend kind', () => {
    const settings = createSettingsStore();
    for (const kind of ['webgpu', 'ort-webgpu', 'ort-wasm', 'reference', 'auto'] as const) {
      settings.getState().setBackend(kind);
      expect(settings.getState().backend).toBe(kind);
    }
  });

  test('rejects an unknown backend', () => {
    const settings = createSettingsStore({ backend: 'ort-wasm' });
    expect(() => settings.getState().setBackend('cuda' as BackendRequest)).toThrow(
      /invalid backend: cuda; expected one of webgpu, ort-webgpu, ort-wasm, reference or auto/,
    );
    expect(settings.getState().backend).toBe('ort-wasm');
  });

  test('parseBackendRequest reads select values', () => {
    expect(parseBackendRequest('auto')).toBe('auto');
    expect(parseBackendRequest('ort-webgpu')).toBe('ort-webgpu');
    expect(() => parseBackendRequest('')).toThrow(/invalid backend: ;/);
  });
});

describe('backend change in the app', () => {
  test('first load requests the setting', async () => {
    const requests: (BackendRequest | undefined)[] = [];
    const app = await loadedApp(requests);
    expect(requests).toEqual(['auto']);
    app.controller.dispose();
  });

  test('reloads the session and keeps the puzzle', async () => {
    const requests: (BackendRequest | undefined)[] = [];
    const app = await loadedApp(requests);
    app.puzzle.getState().setPuzzle({ task: 'sudoku', digits: USER_SUDOKU }, { kind: 'pasted' });
    await app.controller.idle();
    const runBefore = app.run.getState().runId;

    app.settings.getState().setBackend('ort-webgpu');
    await app.backendReloaded();
    await app.controller.idle();

    expect(requests).toEqual(['auto', 'ort-webgpu']);
    expect(app.model.getState().backend?.kind).toBe('ort-webgpu');
    expect(app.model.getState().current?.provenance.id).toBe('tiny');
    expect(app.model.getState().error).toBeNull();
    expect(app.puzzle.getState().puzzle).toEqual({ task: 'sudoku', digits: USER_SUDOKU });
    expect(app.puzzle.getState().origin).toEqual({ kind: 'pasted' });
    expect(app.settings.getState().maxSegments).toBe(1);
    expect(app.run.getState().runId).not.toBe(runBefore);
    expect(app.run.getState().status).toBe('done');
    app.controller.dispose();
  });

  test('fallback keeps the requested backend', async () => {
    const requests: (BackendRequest | undefined)[] = [];
    const app = await loadedApp(requests);

    app.settings.getState().setBackend('webgpu');
    await app.backendReloaded();

    expect(app.settings.getState().backend).toBe('webgpu');
    expect(app.model.getState().backend?.kind).toBe('reference');
    expect(app.model.getState().backend?.reason).toMatch(/^webgpu failed/);
    app.controller.dispose();
  });

  test('quick changes compile only the last', async () => {
    const requests: (BackendRequest | undefined)[] = [];
    const app = await loadedApp(requests);

    app.settings.getState().setBackend('ort-wasm');
    app.settings.getState().setBackend('ort-webgpu');
    app.settings.getState().setBackend('reference');
    await app.backendReloaded();
    await app.controller.idle();

    expect(requests).toEqual(['auto', 'reference']);
    expect(app.model.getState().backend?.kind).toBe('reference');
    expect(app.run.getState().status).toBe('done');
    app.controller.dispose();
  });

  test('change before any model loads is kept', async () => {
    const requests: (BackendRequest | undefined)[] = [];
    const app = createApp(recordingServices(requests));
    app.settings.getState().setMaxSegments(1);
    app.settings.getState().setBackend('ort-wasm');
    await app.backendReloaded();
    expect(requests).toEqual([]);

    await app.loadCatalog();
    await app.loadCatalogModel();
    await app.controller.idle();
    expect(requests).toEqual(['ort-wasm']);
    app.controller.dispose();
  });

  test('change during first compile reloads', async () => {
    const requests: (BackendRequest | undefined)[] = [];
    const services = recordingServices(requests);
    let releaseCompile = () => {};
    const compileGate = new Promise<void>((resolve) => {
      releaseCompile = resolve;
    });
    const app = createApp({
      ...services,
      createSession: async (weights, requested) => {
        const created = await services.createSession(weights, requested);
        await compileGate;
        return created;
      },
    });
    app.settings.getState().setMaxSegments(1);
    await app.loadCatalog();
    const loading = app.loadCatalogModel();
    await expect.poll(() => requests.length).toBe(1);

    app.settings.getState().setBackend('ort-webgpu');
    releaseCompile();
    await loading;
    await app.backendReloaded();
    await app.controller.idle();

    expect(requests).toEqual(['auto', 'ort-webgpu']);
    expect(app.model.getState().backend?.kind).toBe('ort-webgpu');
    expect(app.run.getState().status).toBe('done');
    app.controller.dispose();
  });

  test('failed reload reports the error', async () => {
    const requests: (BackendRequest | undefined)[] = [];
    const services = recordingServices(requests);
    const app = createApp({
      ...services,
      createSession: async (weights, requested) => {
        if (requested === 'reference') throw new Error('reference engine out of memory');
        return services.createSession(weights, requested);
      },
    });
    app.settings.getState().setMaxSegments(1);
    await app.loadCatalog();
    await app.loadCatalogModel();
    await app.controller.idle();

    app.settings.getState().setBackend('reference');
    await app.backendReloaded();

    expect(app.model.getState().error).toMatch(/reference engine out of memory/);
    expect(app.settings.getState().backend).toBe('reference');
    // The previous session stays installed.
    expect(app.model.getState().backend?.kind).toBe('ort-wasm');
    expect(app.controller.hasSession).toBe(true);
    app.controller.dispose();
  });
});
