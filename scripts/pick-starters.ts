// Picks the puzzles the app opens with: a seeded Sudoku and maze that the shipped models solve
// exactly with fixed compute on the TypeScript reference engine.
//
//   npx tsx scripts/pick-starters.ts [--sudoku-seeds N] [--maze-seeds N] [--segments N]
//
// A candidate qualifies when the prediction stays exact (Sudoku: equals the unique solution;
// maze: checkPath reports an optimal path) from some segment from 2 to the app's default limit of
// APP_SEGMENTS through the last segment, so a viewer sees the prediction change and the app's
// default run ends on an exact prediction. Among the qualifying Sudoku candidates the
// one with the most blanks wins, ties going to the lower seed; for mazes the lowest seed wins.
// Prints every candidate tried and the choice, with the segment from which it stays exact.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReferenceBackend } from '../src/engine/reference/backend';
import type { StepEvent } from '../src/engine/types';
import { loadModel } from '../src/model/load-model';
import type { HrmWeights } from '../src/model/weights';
import { checkPath, generateMaze, type MazeGrid, mazeInputTokens } from '../src/puzzles/maze';
import { createRng } from '../src/puzzles/random';
import {
  formatSudokuLine,
  generateSudoku,
  gridToTokens,
  tokensToGrid,
} from '../src/puzzles/sudoku';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const SUDOKU_MODEL = 'public/models/sudoku-h64/model.safetensors';
const MAZE_MODEL = 'public/models/maze9-h64/model.safetensors';

/**
 * Blank range of the Sudoku candidates: enough blanks that the board changes over several
 * segments. The model card reports 84.8% exact from 21 to 30 blanks and 61.5% from 31 to 40.
 */
const MIN_BLANKS = 28;
const MAX_BLANKS = 40;
const MAZE_SIZE = 9;

/**
 * The app's default segment limit, maxSegments in src/store/settings.ts. It is copied because that
 * module imports WGSL through Vite's ?raw, which tsx cannot load. The unit test
 * tests/unit/ui/starter-solved.test.ts reads the real default.
 */
const APP_SEGMENTS = 8;

interface Options {
  sudokuSeeds: number;
  mazeSeeds: number;
  segments: number;
}

/** Outcome of one candidate run for `segments` fixed segments. */
interface CandidateRun {
  /** First segment (1-based) from which every later prediction is exact, or null. */
  solvedFrom: number | null;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { sudokuSeeds: 40, mazeSeeds: 40, segments: 16 };
  const flags: Record<string, keyof Options> = {
    '--sudoku-seeds': 'sudokuSeeds',
    '--maze-seeds': 'mazeSeeds',
    '--segments': 'segments',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = flags[argv[i]];
    const value = Number(argv[i + 1]);
    if (key === undefined) {
      throw new Error(
        `unknown option ${argv[i]}; use --sudoku-seeds N, --maze-seeds N or --segments N`,
      );
    }
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`invalid ${argv[i]}: ${argv[i + 1]}; it must be an integer of 1 or more`);
    }
    options[key] = value;
  }
  return options;
}

async function loadShippedModel(path: string): Promise<HrmWeights> {
  const bytes = readFileSync(join(ROOT, path));
  return loadModel([new File([bytes], 'model.safetensors')], { cache: false });
}

/** Runs `segments` fixed segments and returns the prediction after each segment. */
async function predictionsBySegment(
  weights: HrmWeights,
  inputs: Int32Array,
  segments: number,
): Promise<Int32Array[]> {
  const backend = new ReferenceBackend();
  const session = await backend.createSession(weights, { numeric: weights.config.forward_dtype });
  try {
    await session.reset(inputs);
    const result = await session.run({ maxSegments: segments, halting: 'fixed' });

    // The Q head runs on the last update of each segment, so its events close the segments.
    return result.events
      .filter((event: StepEvent) => event.q !== undefined)
      .map((event) => event.prediction);
  } finally {
    session.dispose();
  }
}

/** Judges a run from its per-segment predictions. */
function judgeRun(
  predictions: Int32Array[],
  isExact: (prediction: Int32Array) => boolean,
): CandidateRun {
  const exact = predictions.map(isExact);
  let solvedFrom: number | null = null;
  for (let segment = exact.length; segment >= 1 && exact[segment - 1]; segment--) {
    solvedFrom = segment;
  }
  return { solvedFrom };
}

/** Checks whether a run qualifies as a starter, by the rule in the header. */
function qualifies(run: CandidateRun): run is CandidateRun & { solvedFrom: number } {
  return run.solvedFrom !== null && run.solvedFrom > 1 && run.solvedFrom <= APP_SEGMENTS;
}

/** Describes a run for the log. */
function describeRun(run: CandidateRun, word: string): string {
  if (run.solvedFrom === null) return 'not solved';
  if (run.solvedFrom === 1) return `${word} from segment 1 (no visible change)`;
  if (run.solvedFrom > APP_SEGMENTS) {
    return `${word} from segment ${run.solvedFrom} (after the default limit of ${APP_SEGMENTS})`;
  }
  return `${word} from segment ${run.solvedFrom}`;
}

function sudokuCandidate(seed: number) {
  return generateSudoku(createRng(seed), { minBlanks: MIN_BLANKS, maxBlanks: MAX_BLANKS });
}

async function pickSudoku(options: Options): Promise<void> {
  const weights = await loadShippedModel(SUDOKU_MODEL);
  let best: { seed: number; blanks: number; line: string; solvedFrom: number } | null = null;

  console.log(`Sudoku: ${SUDOKU_MODEL}, ${options.segments} fixed segments, reference engine`);
  for (let seed = 1; seed <= options.sudokuSeeds; seed++) {
    const generated = sudokuCandidate(seed);
    const inputs = Int32Array.from(gridToTokens(generated.puzzle));
    const predictions = await predictionsBySegment(weights, inputs, options.segments);
    const isExact = (prediction: Int32Array) =>
      tokensToGrid(prediction).every((digit, cell) => digit === generated.solution[cell]);
    const run = judgeRun(predictions, isExact);
    const line = formatSudokuLine(generated.puzzle);
    console.log(
      `  seed ${seed}: ${generated.blanks} blanks, ${describeRun(run, 'exact')}  ${line}`,
    );
    if (!qualifies(run)) continue;
    if (best === null || generated.blanks > best.blanks) {
      best = { seed, blanks: generated.blanks, line, solvedFrom: run.solvedFrom };
    }
  }

  if (best === null) {
    console.log('  chosen: none; no candidate qualified');
    return;
  }
  console.log(
    `  chosen: seed ${best.seed}, ${best.blanks} blanks, exact from segment ${best.solvedFrom}\n` +
      `  STARTER_SUDOKU = '${best.line}'`,
  );
}

async function pickMaze(options: Options): Promise<void> {
  const weights = await loadShippedModel(MAZE_MODEL);

  console.log(`Maze: ${MAZE_MODEL}, ${options.segments} fixed segments, reference engine`);
  for (let seed = 1; seed <= options.mazeSeeds; seed++) {
    const maze: MazeGrid = generateMaze(createRng(seed), { size: MAZE_SIZE });
    const inputs = Int32Array.from(mazeInputTokens(maze));
    const predictions = await predictionsBySegment(weights, inputs, options.segments);
    const run = judgeRun(predictions, (prediction) => checkPath(maze, prediction).optimal);
    console.log(`  seed ${seed}: ${describeRun(run, 'optimal')}`);
    if (qualifies(run)) {
      console.log(`  chosen: STARTER_MAZE_SEED = ${seed}, optimal from segment ${run.solvedFrom}`);
      return;
    }
  }
  console.log('  chosen: none; no candidate qualified');
}

const options = parseOptions(process.argv.slice(2));
await pickSudoku(options);
await pickMaze(options);
