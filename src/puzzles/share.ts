// Share links: a versioned URL hash that stores a puzzle and the run settings, e.g.
// `#v=1&t=sudoku&p=…&m=16&h=fixed&s=37&model=sudoku-h128`.
//
// Parameters (version 1): v version, t task (sudoku | maze), p puzzle (see share/puzzleCodec.ts),
// m compute limit in segments (1 to 256), h halting mode (fixed | q_head), s timeline position
// (update index, 0 or more), model model id ([a-z0-9._-], 1 to 64 characters). Parsing never
// throws: it returns the valid parts and one error per problem, so a bad link keeps the app usable.

import type { MazeGrid } from './maze/grid';
import { decodeMaze, decodeSudoku, encodeMaze, encodeSudoku } from './share/puzzleCodec';

export type ShareTask = 'sudoku' | 'maze';

export type HaltingMode = 'fixed' | 'q_head';

export interface ShareState {
  task: ShareTask;
  /** Sudoku cells, [81] row-major, 0 for a blank, set when task is 'sudoku'. */
  sudoku?: Uint8Array;
  /** The maze without path marks, set when task is 'maze'. */
  maze?: MazeGrid;
  /** Compute limit: the maximum number of segments, 1 to MAX_SEGMENTS. */
  maxSegments: number;
  haltingMode: HaltingMode;
  /** Timeline position: the index of the shown update, 0 or more. */
  timelinePosition: number;
  /** Model id, a short slug of [a-z0-9._-]. */
  modelId: string;
}

export interface ShareLinkError {
  /** The parameter name ('v', 'm', …), or the unknown name that was found. */
  param: string;
  /** The value found, decoded, or '' when the parameter is missing. */
  value: string;
  kind: 'invalid' | 'clamped' | 'missing' | 'duplicate' | 'unknown' | 'unsupported-version';
  /** A sentence naming the parameter, the value and what is allowed. */
  message: string;
}

export interface ShareParseResult {
  /** Every value that parsed, clamped into range where that was possible. */
  state: Partial<ShareState>;
  errors: ShareLinkError[];
}

export const SHARE_VERSION = 1;

export const SUPPORTED_SHARE_VERSIONS: readonly number[] = [1];

export const MIN_SEGMENTS = 1;

export const MAX_SEGMENTS = 256;

export const MAX_MODEL_ID_LENGTH = 64;

const MODEL_ID_PATTERN = /^[a-z0-9._-]+$/;

const TASKS: readonly ShareTask[] = ['sudoku', 'maze'];

const HALTING_MODES: readonly HaltingMode[] = ['fixed', 'q_head'];

const KNOWN_PARAMS = ['v', 't', 'p', 'm', 'h', 's', 'model'];

/** Maximum length of a value quoted in an error message. Longer values are cut and end in '…'. */
const MAX_QUOTED_LENGTH = 40;

/**
 * Encodes the state as a URL hash starting with '#'. Only the fields present are written, so a
 * partial state makes a shorter link. Raises RangeError for a value that parsing would reject.
 */
export function encodeShareHash(state: Partial<ShareState>): string {
  const params: string[] = [`v=${SHARE_VERSION}`];

  if (state.task !== undefined) {
    if (!TASKS.includes(state.task)) {
      throw new RangeError(`invalid task: '${state.task}'; use ${TASKS.join(' or ')}`);
    }
    params.push(`t=${state.task}`);
  }
  const puzzle = encodePuzzle(state);
  if (puzzle !== undefined) {
    params.push(`p=${puzzle}`);
  }

  if (state.maxSegments !== undefined) {
    const { maxSegments } = state;
    if (
      !Number.isInteger(maxSegments) ||
      maxSegments < MIN_SEGMENTS ||
      maxSegments > MAX_SEGMENTS
    ) {
      throw new RangeError(
        `invalid maxSegments: ${maxSegments}; use a whole number from ${MIN_SEGMENTS} to ${MAX_SEGMENTS}`,
      );
    }
    params.push(`m=${maxSegments}`);
  }
  if (state.haltingMode !== undefined) {
    if (!HALTING_MODES.includes(state.haltingMode)) {
      throw new RangeError(
        `invalid haltingMode: '${state.haltingMode}'; use ${HALTING_MODES.join(' or ')}`,
      );
    }
    params.push(`h=${state.haltingMode}`);
  }
  if (state.timelinePosition !== undefined) {
    const position = state.timelinePosition;
    if (!Number.isSafeInteger(position) || position < 0) {
      throw new RangeError(
        `invalid timelinePosition: ${position}; use a whole number of 0 or more`,
      );
    }
    params.push(`s=${position}`);
  }
  if (state.modelId !== undefined) {
    const problem = modelIdProblem(state.modelId);
    if (problem !== null) {
      throw new RangeError(`invalid modelId: '${state.modelId}' ${problem}`);
    }
    params.push(`model=${state.modelId}`);
  }

  return `#${params.join('&')}`;
}

function encodePuzzle(state: Partial<ShareState>): string | undefined {
  if (state.sudoku !== undefined && state.maze !== undefined) {
    throw new RangeError('invalid share state: both sudoku and maze are set; keep only one puzzle');
  }
  if (state.sudoku !== undefined) {
    if (state.task !== 'sudoku') {
      throw new RangeError(
        `invalid share state: a Sudoku puzzle needs task 'sudoku', not '${state.task}'`,
      );
    }
    return encodeSudoku(state.sudoku);
  }
  if (state.maze !== undefined) {
    if (state.task !== 'maze') {
      throw new RangeError(`invalid share state: a maze needs task 'maze', not '${state.task}'`);
    }
    return encodeMaze(state.maze);
  }

  return undefined;
}

/**
 * Parses a URL hash (with or without the leading '#'). Never throws: returns the parameters that
 * parsed and an error for each problem. An unsupported version yields an empty state, because
 * its parameters may mean something else. A missing version is reported and read as version 1.
 */
export function parseShareHash(hash: string): ShareParseResult {
  const errors: ShareLinkError[] = [];
  const state: Partial<ShareState> = {};
  const values = splitParams(hash.startsWith('#') ? hash.slice(1) : hash, errors);
  if (values.size === 0) {
    return { state, errors };
  }

  const version = values.get('v');
  if (version === undefined) {
    errors.push({
      param: 'v',
      value: '',
      kind: 'missing',
      message: `missing v: the link has no version; it was read as v=${SHARE_VERSION}`,
    });
  } else if (!SUPPORTED_SHARE_VERSIONS.map(String).includes(version)) {
    errors.push({
      param: 'v',
      value: version,
      kind: 'unsupported-version',
      message:
        `unsupported v: ${quote(version)} is not a share-link version this app reads; ` +
        `supported versions: ${SUPPORTED_SHARE_VERSIONS.join(', ')}`,
    });
    return { state, errors };
  }

  parseTaskAndPuzzle(values, state, errors);
  parseMaxSegments(values.get('m'), state, errors);
  parseHaltingMode(values.get('h'), state, errors);
  parseTimelinePosition(values.get('s'), state, errors);
  parseModelId(values.get('model'), state, errors);

  return { state, errors };
}

/**
 * Splits `name=value&…` into a map of decoded values. Reports unknown names, repeated names (the
 * first value wins) and values that are not valid percent-encoding.
 */
function splitParams(query: string, errors: ShareLinkError[]): Map<string, string> {
  const values = new Map<string, string>();

  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawName = equals < 0 ? pair : pair.slice(0, equals);
    const rawValue = equals < 0 ? '' : pair.slice(equals + 1);
    const name = decodeComponent(rawName);
    const value = decodeComponent(rawValue);

    if (name === null || value === null) {
      errors.push({
        param: name ?? rawName,
        value: rawValue,
        kind: 'invalid',
        message: `invalid ${name ?? quote(rawName)}: ${quote(rawValue)} has a broken %-escape; fix or remove it`,
      });
      continue;
    }
    if (!KNOWN_PARAMS.includes(name)) {
      errors.push({
        param: name,
        value,
        kind: 'unknown',
        message: `unknown parameter ${quote(name)} ignored; share links use ${KNOWN_PARAMS.join(', ')}`,
      });
      continue;
    }
    const first = values.get(name);
    if (first !== undefined) {
      errors.push({
        param: name,
        value,
        kind: 'duplicate',
        message: `duplicate ${name}: ${quote(value)} ignored; the first value ${quote(first)} is used`,
      });
      continue;
    }
    values.set(name, value);
  }

  return values;
}

function decodeComponent(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function quote(value: string): string {
  const shortened =
    value.length > MAX_QUOTED_LENGTH ? `${value.slice(0, MAX_QUOTED_LENGTH)}…` : value;

  return `'${shortened}'`;
}

function invalid(param: string, value: string, message: string): ShareLinkError {
  return { param, value, kind: 'invalid', message: `invalid ${param}: ${quote(value)} ${message}` };
}

function parseTaskAndPuzzle(
  values: Map<string, string>,
  state: Partial<ShareState>,
  errors: ShareLinkError[],
): void {
  const task = values.get('t');
  const puzzle = values.get('p');

  if (task !== undefined) {
    if (TASKS.includes(task as ShareTask)) {
      state.task = task as ShareTask;
    } else {
      errors.push(invalid('t', task, `is not a task; use ${TASKS.join(' or ')}`));
    }
  }
  if (puzzle === undefined) {
    return;
  }

  if (state.task === undefined) {
    const reason = task === undefined ? 't is missing' : 't is invalid';
    errors.push(
      invalid('p', puzzle, `was not read because ${reason}; add t=sudoku or t=maze before p`),
    );
  } else if (state.task === 'sudoku') {
    const sudoku = decodeSudoku(puzzle);
    if (typeof sudoku === 'string') {
      errors.push(
        invalid(
          'p',
          puzzle,
          `${sudoku}; write 81 cells row by row, digits 1 to 9 and '.' for blanks`,
        ),
      );
    } else {
      state.sudoku = sudoku;
    }
  } else {
    const maze = decodeMaze(puzzle);
    if (typeof maze === 'string') {
      errors.push(invalid('p', puzzle, `${maze}; copy the link again from the app`));
    } else {
      state.maze = maze;
    }
  }
}

/** Whole numbers only: digits with an optional leading minus sign. */
const WHOLE_NUMBER = /^-?\d+$/;

function parseMaxSegments(
  value: string | undefined,
  state: Partial<ShareState>,
  errors: ShareLinkError[],
): void {
  if (value === undefined) return;
  const range = `use ${MIN_SEGMENTS} to ${MAX_SEGMENTS}`;
  if (!WHOLE_NUMBER.test(value)) {
    errors.push(invalid('m', value, `is not a whole number of segments; ${range}`));
    return;
  }

  const parsed = Number(value);
  const clamped = Math.min(MAX_SEGMENTS, Math.max(MIN_SEGMENTS, parsed));
  state.maxSegments = clamped;
  if (clamped !== parsed) {
    const bound = parsed < MIN_SEGMENTS ? 'below the minimum' : 'above the maximum';
    errors.push({
      param: 'm',
      value,
      kind: 'clamped',
      message: `invalid m: ${quote(value)} is ${bound} of ${clamped}; clamped to ${clamped} (${range})`,
    });
  }
}

function parseHaltingMode(
  value: string | undefined,
  state: Partial<ShareState>,
  errors: ShareLinkError[],
): void {
  if (value === undefined) return;
  if (HALTING_MODES.includes(value as HaltingMode)) {
    state.haltingMode = value as HaltingMode;
  } else {
    errors.push(
      invalid('h', value, `is not a halting mode; use fixed (always run m segments) or q_head`),
    );
  }
}

function parseTimelinePosition(
  value: string | undefined,
  state: Partial<ShareState>,
  errors: ShareLinkError[],
): void {
  if (value === undefined) return;
  if (!WHOLE_NUMBER.test(value) || !Number.isSafeInteger(Number(value))) {
    errors.push(invalid('s', value, 'is not a whole-number update index; use 0 or more'));
    return;
  }

  // NOTE: the upper bound depends on the run (segments × updates per segment), which this
  // module does not know, so the app clamps s to the recorded timeline.
  const parsed = Number(value);
  state.timelinePosition = Math.max(0, parsed);
  if (parsed < 0) {
    errors.push({
      param: 's',
      value,
      kind: 'clamped',
      message: `invalid s: ${quote(value)} is below the first update index 0; clamped to 0`,
    });
  }
}

/** Returns why a model id is invalid, or null when it is valid. */
function modelIdProblem(modelId: string): string | null {
  if (modelId.length === 0) {
    return 'is empty; use 1 to 64 characters from a-z 0-9 . _ -';
  }
  if (modelId.length > MAX_MODEL_ID_LENGTH) {
    return `has ${modelId.length} characters; use at most ${MAX_MODEL_ID_LENGTH}`;
  }
  if (!MODEL_ID_PATTERN.test(modelId)) {
    return 'has characters other than a-z 0-9 . _ -; use a lower-case slug such as sudoku-h128';
  }

  return null;
}

function parseModelId(
  value: string | undefined,
  state: Partial<ShareState>,
  errors: ShareLinkError[],
): void {
  if (value === undefined) return;
  const problem = modelIdProblem(value);
  if (problem === null) {
    state.modelId = value;
  } else {
    errors.push(invalid('model', value, problem));
  }
}
