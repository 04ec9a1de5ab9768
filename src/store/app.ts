// The app's state graph without React: the four stores, the run controller, and the rules that
// connect them (a new puzzle, limit or halting mode starts or extends a run; a new model replaces
// the session). Everything that touches the model loader, the engine or the puzzle tokens goes
// through `AppServices`, so tests can build an app over the real modules in Node.

import type { HrmSession } from '../engine/types';
import type { HrmWeights } from '../model/weights';
import { RunController } from './controller';
import { messageOf } from './errors';
import { createLinkStore } from './link';
import {
  type BackendInfo,
  type CatalogEntry,
  createModelStore,
  defaultEntry,
  type LoadProgress,
} from './model';
import { createPuzzleStore, type Puzzle, type PuzzleOrigin, type Task } from './puzzle';
import { createRunStore } from './run';
import { type BackendRequest, createSettingsStore } from './settings';

/**
 * Reason that something cannot happen, as an i18n key with its values, so the UI can show it in
 * the user's language. `key` names an entry under `problem.` in src/i18n/en.ts.
 */
export interface Problem {
  key: string;
  values?: Record<string, string | number>;
  /** The error behind the problem, for a message in the interface language (parse errors). */
  cause?: unknown;
}

/** Progress callback of a model load: stage and byte counts. */
export type ProgressListener = (progress: Omit<LoadProgress, 'label'>) => void;

export interface AppServices {
  fetchCatalog(): Promise<CatalogEntry[]>;
  loadFromCatalog(entry: CatalogEntry, onProgress: ProgressListener): Promise<HrmWeights>;
  loadFromFiles(files: File[], onProgress: ProgressListener): Promise<HrmWeights>;
  /**
   * Picks a backend (with the reason) and compiles the model on it. `requested` is the user's
   * backend setting, and the services may run another engine when that one cannot run the model.
   */
  createSession(
    weights: HrmWeights,
    requested?: BackendRequest,
  ): Promise<{ session: HrmSession; backend: BackendInfo }>;
  /** Input token ids of a puzzle, [seq_len]; throws when the puzzle cannot be encoded. */
  encode(puzzle: Puzzle): Int32Array;
  /** Returns why the puzzle cannot run (an invalid grid), or null when it can. */
  blockingProblem(puzzle: Puzzle): Problem | null;
  /** The puzzle shown when a model of `task` with `seqLen` cells is loaded and none fits. */
  starterPuzzle(task: Task, seqLen: number): Puzzle;
}

/** Returns the task a model solves, found from its vocabulary: Sudoku uses 11 tokens, mazes 6. */
export function taskOfWeights(weights: HrmWeights): Task {
  const { vocab_size } = weights.config;
  if (vocab_size === 6) return 'maze';
  if (vocab_size === 11) return 'sudoku';
  throw new Error(
    `unsupported model: vocab_size ${vocab_size}; the playground runs Sudoku models (vocab_size 11) and maze models (vocab_size 6)`,
  );
}

function puzzleFits(puzzle: Puzzle, task: Task, seqLen: number): boolean {
  if (puzzle.task !== task) return false;
  return puzzle.task === 'sudoku' ? seqLen === 81 : puzzle.grid.size * puzzle.grid.size === seqLen;
}

/** Key of a puzzle kind in the remembered-puzzle map: the task and the number of cells. */
function puzzleKindKey(task: Task, cells: number): string {
  return `${task}:${cells}`;
}

function cellCount(puzzle: Puzzle): number {
  return puzzle.task === 'sudoku' ? 81 : puzzle.grid.size * puzzle.grid.size;
}

export function createApp(services: AppServices) {
  const settings = createSettingsStore();
  const puzzle = createPuzzleStore(services.starterPuzzle('sudoku', 81));
  const model = createModelStore();
  const run = createRunStore();
  const link = createLinkStore();
  const controller = new RunController(run);

  // The same Int32Array is reused while the puzzle object is unchanged, which is how the
  // controller recognises that a limit change may extend the recorded run.
  let encoded: { puzzle: Puzzle; inputs: Int32Array } | null = null;
  function inputsOf(current: Puzzle): Int32Array {
    if (encoded?.puzzle !== current)
      encoded = { puzzle: current, inputs: services.encode(current) };
    return encoded.inputs;
  }

  /** Returns why the current puzzle cannot run on the current model, or null. */
  function runProblem(): Problem | null {
    const loaded = model.getState().current;
    const current = puzzle.getState().puzzle;
    if (!loaded || !controller.hasSession) return { key: 'noModel' };
    if (!puzzleFits(current, loaded.task, loaded.config.seq_len)) {
      return { key: 'wrongTask', values: { task: loaded.task, cells: loaded.config.seq_len } };
    }
    return services.blockingProblem(current);
  }

  /** Starts a fresh run of the current puzzle, unless it cannot run. */
  function restart(): Promise<void> {
    if (runProblem() !== null) {
      // The recorded run belongs to another puzzle, so it must not be drawn over this one.
      controller.stop();
      run.getState().clear();
      return controller.idle();
    }
    const { maxSegments, halting } = settings.getState();
    return controller.start({ inputs: inputsOf(puzzle.getState().puzzle), maxSegments, halting });
  }

  // The last puzzle of each task and size, so that loading a model of another task and then
  // switching back puts the user's puzzle on the board again instead of the starter puzzle.
  const rememberedPuzzles = new Map<string, { puzzle: Puzzle; origin: PuzzleOrigin }>();
  const remember = ({ puzzle: current, origin }: { puzzle: Puzzle; origin: PuzzleOrigin }) =>
    rememberedPuzzles.set(puzzleKindKey(current.task, cellCount(current)), {
      puzzle: current,
      origin,
    });
  remember(puzzle.getState());

  puzzle.subscribe((state, previous) => {
    if (state.puzzle === previous.puzzle) return;
    remember(state);
    void restart();
  });

  settings.subscribe((state, previous) => {
    if (state.maxSegments === previous.maxSegments && state.halting === previous.halting) return;
    if (runProblem() !== null) return;
    void controller.update({
      inputs: inputsOf(puzzle.getState().puzzle),
      maxSegments: state.maxSegments,
      halting: state.halting,
    });
  });

  // The installed weights and the backend setting they were compiled for, kept so that a backend
  // change can compile them again.
  let installed: { weights: HrmWeights; label: string; requested: BackendRequest } | null = null;

  /**
   * Installs loaded weights: compiles them on the chosen backend, swaps the session, puts a
   * fitting puzzle on the board and runs it. A failure keeps the previous model.
   */
  async function install(weights: HrmWeights, label: string): Promise<void> {
    model.getState().setLoading({ label, stage: 'compile', loaded: 0, total: null });
    const task = taskOfWeights(weights);
    const requested = settings.getState().backend;
    const { session, backend } = await services.createSession(weights, requested);
    installed = { weights, label, requested };
    model
      .getState()
      .setLoaded({ provenance: weights.provenance, task, config: weights.config }, backend);
    await controller.setSession(session, weights.provenance.id);

    const current = puzzle.getState().puzzle;
    if (puzzleFits(current, task, weights.config.seq_len)) {
      await restart();
    } else {
      // Setting the puzzle triggers the restart through the puzzle subscription.
      const remembered = rememberedPuzzles.get(puzzleKindKey(task, weights.config.seq_len));
      puzzle
        .getState()
        .setPuzzle(
          remembered?.puzzle ?? services.starterPuzzle(task, weights.config.seq_len),
          remembered?.origin ?? { kind: 'default' },
        );
      await controller.idle();
    }

    // The setting may have changed while the model compiled.
    queueBackendReload();
  }

  // Reloads run one at a time, each for the setting current when it starts, so quick changes
  // compile only the last backend and the session always ends up on it.
  // NOTE: model loads are not in this queue. A reload that finishes after a newer model load
  // installs the older model again.
  let backendReload: Promise<void> = Promise.resolve();

  function queueBackendReload(): void {
    backendReload = backendReload.then(async () => {
      if (!installed || installed.requested === settings.getState().backend) return;
      const { weights, label } = installed;
      model.getState().setError(null);
      try {
        // The puzzle still fits the same model, so install() reruns it on the new session.
        await install(weights, label);
      } catch (error) {
        model.getState().setError(messageOf(error));
      }
    });
  }

  settings.subscribe((state, previous) => {
    if (state.backend !== previous.backend) queueBackendReload();
  });

  async function guardedLoad(
    label: string,
    load: (onProgress: ProgressListener) => Promise<HrmWeights>,
  ) {
    const onProgress: ProgressListener = (progress) =>
      model.getState().setLoading({ label, ...progress });
    model.getState().setError(null);
    onProgress({ stage: 'download', loaded: 0, total: null });
    try {
      await install(await load(onProgress), label);
    } catch (error) {
      model.getState().setError(messageOf(error));
    }
  }

  return {
    settings,
    puzzle,
    model,
    run,
    link,
    controller,
    services,
    runProblem,
    restart,

    /** Resolves when the queued backend reloads have installed their sessions or failed. */
    backendReloaded: (): Promise<void> => backendReload,

    /** Fetches the catalog; a failure is recorded in the model store. */
    async loadCatalog(): Promise<CatalogEntry[]> {
      try {
        const catalog = await services.fetchCatalog();
        model.getState().setCatalog(catalog);
        return catalog;
      } catch (error) {
        model.getState().setCatalogError(messageOf(error));
        return [];
      }
    },

    /** Loads a catalog model by id, or the catalog's default when `id` is undefined. */
    async loadCatalogModel(id?: string): Promise<void> {
      const { catalog } = model.getState();
      const entry =
        id === undefined ? defaultEntry(catalog) : catalog.find((item) => item.id === id);
      if (!entry) {
        const known = catalog.map((item) => item.id).join(', ') || 'none';
        model
          .getState()
          .setError(`model not found: ${id ?? '(default)'}; available models: ${known}`);
        return;
      }
      await guardedLoad(entry.name, (onProgress) => services.loadFromCatalog(entry, onProgress));
    },

    /**
     * Runs each puzzle with the current limit and halting mode outside the timeline and reports
     * the last prediction of each, then runs the puzzle on the board again.
     */
    async evaluatePuzzles(
      puzzles: Puzzle[],
      onResult: (index: number, prediction: Int32Array) => void,
    ): Promise<void> {
      if (!controller.hasSession) return;
      const { maxSegments, halting } = settings.getState();
      const items = puzzles.map((item) => services.encode(item));
      await controller.evaluate(items, { maxSegments, halting }, onResult);
      await restart();
    },

    /** Loads dropped or picked files (safetensors, or a checkpoint with all_config.yaml). */
    async loadFiles(files: File[]): Promise<void> {
      const label = files.map((file) => file.name).join(', ');
      await guardedLoad(label, (onProgress) => services.loadFromFiles(files, onProgress));
    },
  };
}

export type App = ReturnType<typeof createApp>;
