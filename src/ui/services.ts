// The browser implementation of AppServices: the model catalog and loader from src/model, the
// backend choice from src/engine, and puzzle tokens and validation from src/puzzles.

import type { DeviceListener } from '../engine/gpu';
import { chooseBackend, createBackend } from '../engine/select';
import type { BackendKind, HrmBackend } from '../engine/types';
import { loadModel } from '../model/load-model';
import type { HrmWeights } from '../model/weights';
import { generateMaze } from '../puzzles/maze/generate';
import { MazeFormatError, validateMaze } from '../puzzles/maze/grid';
import { mazeInputTokens } from '../puzzles/maze/tokens';
import { createRng } from '../puzzles/random';
import { cellName } from '../puzzles/sudoku/grid';
import { parseSudoku } from '../puzzles/sudoku/parse';
import { gridToTokens } from '../puzzles/sudoku/tokens';
import { findClueConflicts } from '../puzzles/sudoku/validate';
import type { AppServices, Problem, ProgressListener } from '../store/app';
import { messageOf } from '../store/errors';
import { type BackendInfo, type CatalogEntry, parseCatalog } from '../store/model';
import type { Puzzle, Task } from '../store/puzzle';
import type { BackendRequest } from '../store/settings';

/**
 * The Sudoku the app opens with (40 blanks, unique solution). The shipped sudoku-h64 solves it
 * exactly from segment 2 on, on the reference engine. It was chosen by scripts/pick-starters.ts.
 */
export const STARTER_SUDOKU =
  '24...7.86...8931...3....5..8.64..9.1.21.79.58.943.176..5.96..1..83..26456.2.....9';

/**
 * Seed of the maze the app opens with, so that every visitor gets the same maze. The shipped
 * maze9-h64 finds a shortest path on it from segment 2 on, on the reference engine. It was chosen
 * by scripts/pick-starters.ts.
 */
const STARTER_MAZE_SEED = 1;

function assetUrl(path: string): string {
  return new URL(`${import.meta.env.BASE_URL}${path}`, window.location.href).href;
}

/** Adapts the loader's byte progress to the app's load stages. */
function progressAdapter(onProgress: ProgressListener) {
  return (progress: { bytes: number; total: number | null }) => {
    const done = progress.total !== null && progress.bytes >= progress.total;
    onProgress({
      stage: done ? 'parse' : 'download',
      loaded: progress.bytes,
      total: progress.total,
    });
  };
}

export function encodePuzzle(puzzle: Puzzle): Int32Array {
  return puzzle.task === 'sudoku'
    ? Int32Array.from(gridToTokens(puzzle.digits))
    : Int32Array.from(mazeInputTokens(puzzle.grid));
}

export function puzzleProblem(puzzle: Puzzle): Problem | null {
  if (puzzle.task === 'sudoku') {
    const conflicts = findClueConflicts(puzzle.digits);
    if (conflicts.length === 0) return null;
    const [first] = conflicts;
    return {
      key: 'conflict',
      values: {
        digit: first.digit,
        first: cellName(first.cells[0]),
        second: cellName(first.cells[1]),
        unit: first.unit,
        more: conflicts.length - 1,
      },
    };
  }
  try {
    validateMaze(puzzle.grid);
    return null;
  } catch (error) {
    if (error instanceof MazeFormatError)
      return { key: 'invalidMaze', values: { message: error.message }, cause: error };
    throw error;
  }
}

export function starterPuzzle(task: Task, seqLen: number): Puzzle {
  if (task === 'sudoku') return { task: 'sudoku', digits: parseSudoku(STARTER_SUDOKU) };
  const size = Math.round(Math.sqrt(seqLen));
  return { task: 'maze', grid: generateMaze(createRng(STARTER_MAZE_SEED), { size }) };
}

/** A backend that reports GPU device events, as WebGpuBackend does. */
type DeviceEventSource = HrmBackend & { subscribe(listener: DeviceListener): () => void };

function reportsDeviceEvents(backend: HrmBackend): backend is DeviceEventSource {
  return typeof (backend as Partial<DeviceEventSource>).subscribe === 'function';
}

/**
 * Creates sessions on the requested backend, or on the one src/engine/select.ts chooses for
 * 'auto'. Backends are created once per kind and reused, so loading another model keeps the same
 * GPU device. When the backend cannot be created or fails to compile a model, the reference
 * engine runs it and the reason names the failure.
 */
function createSessionFactory(onDeviceEvent: DeviceListener) {
  const backends = new Map<BackendKind, Promise<HrmBackend>>();

  function backendOf(kind: BackendKind): Promise<HrmBackend> {
    let backend = backends.get(kind);
    if (!backend) {
      backend = createBackend(kind).then((created) => {
        if (reportsDeviceEvents(created)) created.subscribe(onDeviceEvent);
        return created;
      });
      // A failed creation is not cached, so the next load tries again.
      backend.catch(() => backends.delete(kind));
      backends.set(kind, backend);
    }
    return backend;
  }

  return async (weights: HrmWeights, requested: BackendRequest = 'auto') => {
    const choice = await chooseBackend(requested);
    // onnxruntime-web computes in float32 only; the other engines follow the model's forward_dtype.
    const numeric =
      weights.config.forward_dtype === 'bfloat16' && !choice.kind.startsWith('ort')
        ? 'bfloat16'
        : 'float32';
    try {
      const backend = await backendOf(choice.kind);
      const session = await backend.createSession(weights, { numeric });
      const info: BackendInfo = {
        kind: backend.kind,
        reason: choice.reason,
        description: backend.description,
      };
      return { session, backend: info };
    } catch (error) {
      if (choice.kind === 'reference') throw error;
      console.warn(
        `[engine] ${choice.kind} failed to run the model; using the reference engine`,
        error,
      );
      const backend = await backendOf('reference');
      const session = await backend.createSession(weights, { numeric });
      const info: BackendInfo = {
        kind: backend.kind,
        reason: `${choice.kind} failed (${messageOf(error)}); running the plain TypeScript engine.`,
        description: backend.description,
      };
      return { session, backend: info };
    }
  };
}

/** Creates the services; `onDeviceEvent` receives WebGPU device loss and recovery events. */
export function createBrowserServices(
  onDeviceEvent: DeviceListener = () => undefined,
): AppServices {
  return {
    async fetchCatalog(): Promise<CatalogEntry[]> {
      const url = assetUrl('models/index.json');
      const response = await fetch(url);
      if (!response.ok)
        throw new Error(`models/index.json: HTTP ${response.status} ${response.statusText}`);
      return parseCatalog(await response.json());
    },
    async loadFromCatalog(entry, onProgress) {
      const weights = await loadModel(assetUrl(entry.path), {
        onProgress: progressAdapter(onProgress),
      });
      return { ...weights, provenance: { ...weights.provenance, id: entry.id, name: entry.name } };
    },
    loadFromFiles: (files, onProgress) =>
      loadModel(files, { onProgress: progressAdapter(onProgress) }),
    createSession: createSessionFactory(onDeviceEvent),
    encode: encodePuzzle,
    blockingProblem: puzzleProblem,
    starterPuzzle,
  };
}
