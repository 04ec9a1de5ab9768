// Keeps the URL hash equal to the view: puzzle, compute limit, halting mode, model and timeline
// position. Deliberate changes push a history entry; cursor moves (scrubbing, playback, a run
// recording) replace the current one. Opening a link restores the same view; every problem in
// the link is reported and the parts that parsed are still applied.

import type { ShareLinkError, ShareState } from '../puzzles/share';
import { encodeShareHash, parseShareHash } from '../puzzles/share';
import type { App } from '../store/app';
import type { LinkProblem } from '../store/link';
import type { Puzzle } from '../store/puzzle';
import { MAX_SEGMENTS_LIMIT } from '../store/settings';

/** Minimum time between two replaceState calls, because browsers throttle faster history updates. */
const REPLACE_INTERVAL_MS = 250;

/**
 * Deliberate changes closer together than this (a slider drag, typing digits) replace the entry
 * that the first of them pushed, so one gesture leaves one history entry.
 */
const GESTURE_MS = 600;

/** Returns the share state of the current view. */
export function currentShareState(app: App): Partial<ShareState> {
  const { puzzle } = app.puzzle.getState();
  const { maxSegments, halting } = app.settings.getState();
  const { cursor } = app.run.getState();
  const { current, catalog } = app.model.getState();
  const state: Partial<ShareState> = { task: puzzle.task, maxSegments, haltingMode: halting };
  if (puzzle.task === 'sudoku') state.sudoku = puzzle.digits;
  else state.maze = puzzle.grid;
  // NOTE: the initial state (cursor -1) has no `s` value, so a link copied there opens at the
  // run's last update instead.
  if (cursor >= 0) state.timelinePosition = cursor;

  // Only catalog models can be named in a link; a dropped file exists on one machine only.
  const id = current?.provenance.id;
  if (id !== undefined && catalog.some((entry) => entry.id === id)) state.modelId = id;
  return state;
}

/**
 * Applies the parsed parts of a link to the stores and returns problems the parser did not report.
 * `parseErrors` supplies the value as written in the link when the parser already clamped it.
 */
function applyLink(
  app: App,
  state: Partial<ShareState>,
  parseErrors: readonly ShareLinkError[] = [],
): { problems: LinkProblem[] } {
  const problems: LinkProblem[] = [];
  if (state.maxSegments !== undefined) {
    if (state.maxSegments > MAX_SEGMENTS_LIMIT) {
      const written =
        parseErrors.find((error) => error.param === 'm')?.value ?? String(state.maxSegments);
      problems.push({
        param: 'm',
        value: written,
        message: `invalid m: '${written}' is above this app's limit of ${MAX_SEGMENTS_LIMIT} segments; clamped to ${MAX_SEGMENTS_LIMIT}`,
      });
    }
    app.settings.getState().setMaxSegments(state.maxSegments);
  }
  if (state.haltingMode !== undefined) app.settings.getState().setHalting(state.haltingMode);

  let puzzle: Puzzle | null = null;
  if (state.task === 'sudoku' && state.sudoku) puzzle = { task: 'sudoku', digits: state.sudoku };
  if (state.task === 'maze' && state.maze) puzzle = { task: 'maze', grid: state.maze };
  if (puzzle) app.puzzle.getState().setPuzzle(puzzle, { kind: 'link' });
  return { problems };
}

/**
 * Moves the cursor to `position` once the run has recorded it. A position past the end of the
 * finished run shows the last update and is reported as a link problem.
 */
function seekWhenRecorded(app: App, position: number): void {
  const trySeek = (): boolean => {
    const { events, status, seek } = app.run.getState();
    if (events.length > position) {
      seek(position);
      return true;
    }
    if ((status === 'done' || status === 'error') && events.length > 0) {
      const last = events.length - 1;
      seek(last);
      const link = app.link.getState();
      link.report([
        ...link.problems,
        {
          param: 's',
          value: String(position),
          message: `invalid s: ${position} is past the end of this run, whose updates are numbered 0 to ${last}; showing the last update`,
        },
      ]);
      return true;
    }
    return false;
  };
  if (trySeek()) return;
  const unsubscribe = app.run.subscribe(() => {
    if (trySeek()) unsubscribe();
  });
}

/** Writes the view into the hash: push for deliberate changes, throttled replace for the cursor. */
function startHashWriter(app: App): void {
  let lastHash = window.location.hash;
  let replaceTimer: number | null = null;
  let lastPush = Number.NEGATIVE_INFINITY;

  const write = (mode: 'push' | 'replace') => {
    let hash: string;
    try {
      hash = encodeShareHash(currentShareState(app));
    } catch (error) {
      console.warn(
        '[link] failed to encode the view as a share link; the URL hash is unchanged',
        error,
      );
      return;
    }
    if (hash === lastHash) return;
    lastHash = hash;
    const now = performance.now();
    if (mode === 'push' && now - lastPush > GESTURE_MS) {
      window.history.pushState(null, '', hash);
    } else {
      window.history.replaceState(null, '', hash);
    }
    if (mode === 'push') lastPush = now;
  };

  const replaceSoon = () => {
    if (replaceTimer !== null) return;
    replaceTimer = window.setTimeout(() => {
      replaceTimer = null;
      write('replace');
    }, REPLACE_INTERVAL_MS);
  };

  app.puzzle.subscribe((state, previous) => {
    if (state.puzzle !== previous.puzzle) write('push');
  });
  app.settings.subscribe((state, previous) => {
    if (state.maxSegments !== previous.maxSegments || state.halting !== previous.halting)
      write('push');
  });
  app.model.subscribe((state, previous) => {
    if (state.current !== previous.current) write('push');
  });
  app.run.subscribe((state, previous) => {
    if (state.cursor !== previous.cursor) replaceSoon();
  });
}

/**
 * Restores the view from the page's hash, loads the catalog and the linked (or default) model,
 * then keeps the hash in sync. Resolves once the first model load has finished or failed.
 */
export async function startLinkSync(app: App): Promise<void> {
  const { state, errors } = parseShareHash(window.location.hash);
  const { problems } = applyLink(app, state, errors);
  // A value clamped by both the parser and the app's own limit is reported once, with the app's
  // limit, because that is the value that takes effect.
  const appParams = new Set(problems.map((problem) => problem.param));
  const reported: LinkProblem[] = [
    ...errors
      .filter((error) => !appParams.has(error.param))
      .map(({ param, value, message }) => ({ param, value, message })),
    ...problems,
  ];

  const catalog = await app.loadCatalog();
  let modelId = state.modelId;
  if (modelId !== undefined && !catalog.some((entry) => entry.id === modelId)) {
    const known = catalog.map((entry) => entry.id).join(', ') || 'none';
    reported.push({
      param: 'model',
      value: modelId,
      message: `model not found: '${modelId}' is not one of the shipped models (${known}); the default model was loaded instead`,
    });
    modelId = undefined;
  }
  app.link.getState().report(reported);

  if (catalog.length > 0) await app.loadCatalogModel(modelId);
  if (state.timelinePosition !== undefined) seekWhenRecorded(app, state.timelinePosition);

  startHashWriter(app);
  window.addEventListener('popstate', () => {
    const parsed = parseShareHash(window.location.hash);
    applyLink(app, parsed.state, parsed.errors);
    if (parsed.state.timelinePosition !== undefined)
      seekWhenRecorded(app, parsed.state.timelinePosition);
  });
}
