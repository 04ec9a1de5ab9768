// Sudoku data sets in the authors' token layout: generated puzzles by band and blank count, or
// puzzles read from a text file and solved by the exact solver.

import type { Rng } from '../puzzles/random.ts';
import { createRng, deriveSeed, shuffleInPlace } from '../puzzles/random.ts';
import type { DifficultyBandName } from '../puzzles/sudoku/difficulty.ts';
import { bandByName } from '../puzzles/sudoku/difficulty.ts';
import { formatSudokuLine } from '../puzzles/sudoku/format.ts';
import { generateSudoku } from '../puzzles/sudoku/generate.ts';
import type { ParsedSudoku } from '../puzzles/sudoku/parse.ts';
import { parseSudokuText, SudokuParseError } from '../puzzles/sudoku/parse.ts';
import { gridToTokens, SUDOKU_SEQ_LEN, SUDOKU_VOCAB_SIZE } from '../puzzles/sudoku/tokens.ts';
import { applyTransform, randomTransform } from '../puzzles/sudoku/transforms.ts';
import { validateSudoku } from '../puzzles/sudoku/validate.ts';
import type { TaskShape } from './format.ts';
import type { DatasetGroup } from './types.ts';
import type { DatasetSplits } from './write.ts';

export const SUDOKU_TASK_SHAPE: TaskShape = {
  vocabSize: SUDOKU_VOCAB_SIZE,
  seqLen: SUDOKU_SEQ_LEN,
};

/** Called after each source puzzle with the split name, puzzles done and the split's total. */
export type ProgressCallback = (split: 'train' | 'test', done: number, total: number) => void;

/**
 * Builds one group: the puzzle itself followed by `augmentCount` randomly transformed copies,
 * all sharing the source's rating. Puzzle identifier 0 is the authors' choice for Sudoku.
 */
export function buildSudokuGroup(
  puzzle: Uint8Array,
  solution: Uint8Array,
  rating: number,
  augmentCount: number,
  rng: Rng,
  sourceId?: string,
): DatasetGroup {
  const examples = [{ inputs: gridToTokens(puzzle), labels: gridToTokens(solution) }];

  for (let copy = 0; copy < augmentCount; copy++) {
    const transform = randomTransform(rng);
    examples.push({
      inputs: gridToTokens(applyTransform(puzzle, transform)),
      labels: gridToTokens(applyTransform(solution, transform)),
    });
  }

  return { puzzleIdentifier: 0, examples, rating, sourceId };
}

export interface GeneratedSudokuSetOptions {
  trainCount: number;
  testCount: number;
  /** Augmented copies per training puzzle; test puzzles are never augmented. */
  augment: number;
  seed: number;
  band?: DifficultyBandName;
  minBlanks?: number;
  maxBlanks?: number;
  onProgress?: ProgressCallback;
}

/**
 * Generates train and test puzzles from independent streams of one seed, so a seed reproduces
 * both splits. A test puzzle that repeats a training puzzle is drawn again, so the test split
 * depends on the training count.
 */
export function generateSudokuSplits(options: GeneratedSudokuSetOptions): DatasetSplits {
  const seen = new Set<string>();

  const generateSplit = (split: 'train' | 'test', count: number, stream: number) => {
    // Augmentation draws from its own stream, so the source puzzles of a seed do not depend on
    // the number of augmented copies.
    const rng = createRng(deriveSeed(options.seed, stream));
    const augmentRng = createRng(deriveSeed(options.seed, stream + 10));
    const groups: DatasetGroup[] = [];

    while (groups.length < count) {
      const generated = generateSudoku(rng, {
        band: options.band,
        minBlanks: options.minBlanks,
        maxBlanks: options.maxBlanks,
      });
      const key = formatSudokuLine(generated.puzzle);
      if (seen.has(key)) continue;
      seen.add(key);

      const augment = split === 'train' ? options.augment : 0;
      groups.push(
        buildSudokuGroup(
          generated.puzzle,
          generated.solution,
          generated.rating,
          augment,
          augmentRng,
        ),
      );
      options.onProgress?.(split, groups.length, count);
    }

    return groups;
  };

  const train = generateSplit('train', options.trainCount, 0);
  const test = generateSplit('test', options.testCount, 1);

  return { train, test };
}

export interface FileSudokuSetOptions {
  /** Name used in errors and source ids, e.g. the file name. */
  sourceName: string;
  /** Share of the puzzles that go to train, drawn at random by seed. The rest go to test. */
  trainFraction: number;
  augment: number;
  seed: number;
  /** Band filter: only puzzles rated inside this band are kept. */
  band?: DifficultyBandName;
  onProgress?: ProgressCallback;
}

/**
 * Reads every puzzle in `text`, solves it and splits the set. Throws naming the line of the
 * first puzzle with conflicting clues, no solution or several solutions.
 */
export function buildSudokuFileSplits(text: string, options: FileSudokuSetOptions): DatasetSplits {
  if (!(options.trainFraction >= 0 && options.trainFraction <= 1)) {
    throw new Error(`invalid train fraction: ${options.trainFraction}; use a number from 0 to 1`);
  }
  const band = options.band === undefined ? undefined : bandByName(options.band);

  let parsed: ParsedSudoku[];
  try {
    parsed = parseSudokuText(text);
  } catch (error) {
    if (error instanceof SudokuParseError)
      throw new Error(`${options.sourceName} ${error.message}`);
    throw error;
  }
  if (parsed.length === 0) throw new Error(`${options.sourceName}: no puzzles found`);

  const solved: {
    group: Omit<DatasetGroup, 'examples'>;
    puzzle: Uint8Array;
    solution: Uint8Array;
  }[] = [];
  for (const entry of parsed) {
    const validation = validateSudoku(entry.puzzle);
    if (validation.status !== 'unique' || validation.solution === null) {
      throw new Error(`${options.sourceName} line ${entry.line}: ${validation.message}`);
    }
    if (band && (validation.rating < band.minRating || validation.rating > band.maxRating))
      continue;

    solved.push({
      group: {
        puzzleIdentifier: 0,
        rating: validation.rating,
        sourceId: `${options.sourceName}:${entry.line}`,
      },
      puzzle: entry.puzzle,
      solution: validation.solution,
    });
  }

  if (solved.length === 0) {
    throw new Error(
      `${options.sourceName}: none of its ${parsed.length} puzzles falls in band ${band?.name}; ` +
        'choose another band or leave --band out',
    );
  }

  // With a train share, the split is drawn by seed. Without one, the file order is kept.
  const rng = createRng(deriveSeed(options.seed, 2));
  if (options.trainFraction > 0) shuffleInPlace(rng, solved);
  const trainCount = Math.round(solved.length * options.trainFraction);

  const toGroup = (entry: (typeof solved)[number], augment: number): DatasetGroup =>
    buildSudokuGroup(
      entry.puzzle,
      entry.solution,
      entry.group.rating ?? 0,
      augment,
      rng,
      entry.group.sourceId,
    );

  const train: DatasetGroup[] = [];
  const test: DatasetGroup[] = [];
  solved.forEach((entry, index) => {
    if (index < trainCount) {
      train.push(toGroup(entry, options.augment));
      options.onProgress?.('train', train.length, trainCount);
    } else {
      test.push(toGroup(entry, 0));
      options.onProgress?.('test', test.length, solved.length - trainCount);
    }
  });

  return { train, test };
}
