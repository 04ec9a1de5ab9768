// The puzzles the app opens with are ones the shipped models solve: each shipped model runs on its
// starter puzzle on the reference engine for the app's default segment limit with fixed compute,
// and the final prediction must be exact.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ReferenceBackend } from '../../../src/engine/reference/backend';
import type { StepEvent } from '../../../src/engine/types';
import { loadModel } from '../../../src/model/load-model';
import type { HrmWeights } from '../../../src/model/weights';
import { checkPath } from '../../../src/puzzles/maze/check';
import { solveSudoku } from '../../../src/puzzles/sudoku/solve';
import { tokensToGrid } from '../../../src/puzzles/sudoku/tokens';
import { createSettingsStore } from '../../../src/store/settings';
import { encodePuzzle, starterPuzzle } from '../../../src/ui/services';

const ROOT = join(import.meta.dirname, '../../..');
const MODELS = join(ROOT, 'public/models');

interface CatalogEntry {
  id: string;
  task: string;
  path: string;
  default: boolean;
}

const catalog = JSON.parse(readFileSync(join(MODELS, 'index.json'), 'utf8')) as {
  models: CatalogEntry[];
};

/** The app's default segment limit, which the first run on a starter puzzle uses. */
const DEFAULT_SEGMENTS = createSettingsStore().getState().maxSegments;

async function loadShipped(entry: CatalogEntry): Promise<HrmWeights> {
  const bytes = readFileSync(join(MODELS, entry.path.replace(/^models\//, '')));
  return loadModel([new File([bytes], 'model.safetensors')], { cache: false });
}

/** Runs the model for the default segment limit, fixed compute, and returns the last event. */
async function runToLimit(weights: HrmWeights, inputs: Int32Array): Promise<StepEvent> {
  const session = await new ReferenceBackend().createSession(weights, {
    numeric: weights.config.forward_dtype,
  });
  try {
    await session.reset(inputs);
    const result = await session.run({ maxSegments: DEFAULT_SEGMENTS, halting: 'fixed' });
    expect(result.stop).toBe('limit');
    return result.events[result.events.length - 1];
  } finally {
    session.dispose();
  }
}

function shippedModel(predicate: (entry: CatalogEntry) => boolean, what: string): CatalogEntry {
  const entry = catalog.models.find(predicate);
  if (entry === undefined)
    throw new Error(`missing ${what} in public/models/index.json; add one to the catalog`);
  return entry;
}

describe('starter puzzles', () => {
  test('default Sudoku model solves starter Sudoku', async () => {
    const entry = shippedModel((model) => model.default, 'default model');
    expect(entry.task).toBe('sudoku');
    const weights = await loadShipped(entry);
    const puzzle = starterPuzzle('sudoku', weights.config.seq_len);
    if (puzzle.task !== 'sudoku') throw new Error('starterPuzzle returned a maze for Sudoku');

    const solution = solveSudoku(puzzle.digits).solution;
    expect(solution).not.toBeNull();
    const last = await runToLimit(weights, encodePuzzle(puzzle));

    expect(Array.from(tokensToGrid(last.prediction))).toEqual(Array.from(solution ?? []));
  });

  test('maze model finds shortest path on starter maze', async () => {
    const entry = shippedModel((model) => model.task === 'maze', 'maze model');
    const weights = await loadShipped(entry);
    const puzzle = starterPuzzle('maze', weights.config.seq_len);
    if (puzzle.task !== 'maze') throw new Error('starterPuzzle returned a Sudoku for a maze');

    const last = await runToLimit(weights, encodePuzzle(puzzle));
    const check = checkPath(puzzle.grid, last.prediction);

    expect(check.problems).toEqual([]);
    expect(check.optimal).toBe(true);
  });
});
