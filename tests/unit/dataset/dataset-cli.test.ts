import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DATASET_HELP,
  parseDatasetArgs,
  runDatasetCli,
  runDatasetCommand,
} from '../../../src/dataset/cli.ts';
import { solveSudoku } from '../../../src/puzzles/sudoku/solve.ts';
import { tokensToGrid } from '../../../src/puzzles/sudoku/tokens.ts';
import { SUDOKU_DATA_DIR } from '../sudoku/shared-data.ts';
import { type DatasetSummary, readDatasetWithNumpy } from './read-dataset.ts';

const root = mkdtempSync(join(tmpdir(), 'dataset-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(argv: string[]): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runDatasetCli(argv, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });

  return { code, out, err };
}

function command(argv: string[]) {
  const parsed = parseDatasetArgs(argv);
  if (parsed.help) throw new Error('expected a command, got --help');
  return parsed;
}

describe('dataset CLI, generated sudoku', () => {
  const out = join(root, 'sudoku');
  let result: ReturnType<typeof run>;
  let summary: DatasetSummary;

  beforeAll(() => {
    result = run([
      'sudoku',
      '--out',
      out,
      '--train',
      '6',
      '--test',
      '4',
      '--augment',
      '2',
      '--band',
      'medium',
      '--seed',
      '3',
    ]);
    summary = readDatasetWithNumpy(out);
  });

  it('exits cleanly', () => {
    expect(result.err.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('writes the authors metadata', () => {
    for (const split of [summary.train, summary.test]) {
      expect(split.metadata).toMatchObject({
        pad_id: 0,
        ignore_label_id: 0,
        blank_identifier_id: 0,
        vocab_size: 11,
        seq_len: 81,
        num_puzzle_identifiers: 1,
        mean_puzzle_examples: 1,
        sets: ['all'],
      });
    }
    expect(summary.train.metadata.total_groups).toBe(6);
    expect(summary.test.metadata.total_groups).toBe(4);
    expect(summary.identifiers).toEqual(['<blank>']);
  });

  it('writes the authors dtypes and shapes', () => {
    expect(summary.train.dtypes).toEqual({
      inputs: 'uint8',
      labels: 'uint8',
      puzzle_identifiers: 'int32',
      puzzle_indices: 'int32',
      group_indices: 'int32',
      ratings: 'int32',
    });
    expect(summary.train.shapes.inputs).toEqual([18, 81]);
    expect(summary.train.shapes.labels).toEqual([18, 81]);
    expect(summary.train.shapes.puzzle_indices).toEqual([19]);
    expect(summary.train.shapes.ratings).toEqual([18]);
    expect(summary.test.shapes.inputs).toEqual([4, 81]);
  });

  it('groups each puzzle with its augmented copies', () => {
    expect(summary.train.values.group_indices).toEqual([0, 3, 6, 9, 12, 15, 18]);
    expect(summary.test.values.group_indices).toEqual([0, 1, 2, 3, 4]);
    expect(summary.train.values.puzzle_indices).toEqual(Array.from({ length: 19 }, (_, i) => i));
  });

  it('labels every example with its unique solution', () => {
    for (const split of [summary.train, summary.test]) {
      const inputs = split.values.inputs as number[][];
      const labels = split.values.labels as number[][];
      const ratings = split.values.ratings as number[];

      inputs.forEach((row, index) => {
        const solved = solveSudoku(tokensToGrid(row));
        expect(solved.solutionCount, `example ${index}`).toBe(1);
        expect(tokensToGrid(labels[index]), `example ${index}`).toEqual(solved.solution);
        expect(ratings[index]).toBeGreaterThanOrEqual(1);
        expect(ratings[index]).toBeLessThanOrEqual(9);
      });
    }
  });

  it('reproduces files by seed', () => {
    const again = join(root, 'sudoku-again');
    runDatasetCommand(
      command([
        'sudoku',
        '--out',
        again,
        '--train',
        '6',
        '--test',
        '4',
        '--augment',
        '2',
        '--band',
        'medium',
        '--seed',
        '3',
      ]),
    );
    const second = readDatasetWithNumpy(again);

    expect(second.train.values.inputs).toEqual(summary.train.values.inputs);
    expect(second.test.values.labels).toEqual(summary.test.values.labels);
  });
});

describe('dataset CLI, augmentation', () => {
  it('keeps source puzzles of a seed', () => {
    const plain = join(root, 'plain');
    const augmented = join(root, 'augmented');
    runDatasetCommand(command(['sudoku', '--out', plain, '--train', '4', '--test', '1']));
    runDatasetCommand(
      command(['sudoku', '--out', augmented, '--train', '4', '--test', '1', '--augment', '3']),
    );
    const plainInputs = readDatasetWithNumpy(plain).train.values.inputs as number[][];
    const augmentedInputs = readDatasetWithNumpy(augmented).train.values.inputs as number[][];

    expect(augmentedInputs).toHaveLength(16);
    expect(augmentedInputs.filter((_, index) => index % 4 === 0)).toEqual(plainInputs);
    expect(augmentedInputs[1]).not.toEqual(augmentedInputs[0]);
  });
});

describe('dataset CLI, blank range', () => {
  it('keeps blanks inside the range', () => {
    const out = join(root, 'blanks');
    runDatasetCommand(
      command(['sudoku', '--out', out, '--train', '10', '--test', '2', '--blanks', '10-30']),
    );
    const summary = readDatasetWithNumpy(out);

    for (const row of summary.train.values.inputs as number[][]) {
      const blanks = row.filter((id) => id === 1).length;
      expect(blanks).toBeGreaterThanOrEqual(10);
      expect(blanks).toBeLessThanOrEqual(30);
    }
  });
});

describe('dataset CLI, puzzle file', () => {
  it('puts every file puzzle in test by default', () => {
    const out = join(root, 'file');
    runDatasetCommand(
      command(['sudoku', '--out', out, '--from-file', join(SUDOKU_DATA_DIR, 'norvig-top95.txt')]),
    );
    const summary = readDatasetWithNumpy(out);

    expect(summary.test.shapes.inputs).toEqual([95, 81]);
    expect(summary.train.shapes.inputs).toEqual([0, 81]);
    expect(summary.train.values.group_indices).toEqual([0]);
    expect(summary.train.metadata.total_groups).toBe(0);
  });

  it('splits by train fraction', () => {
    const out = join(root, 'file-split');
    runDatasetCommand(
      command([
        'sudoku',
        '--out',
        out,
        '--from-file',
        join(SUDOKU_DATA_DIR, 'norvig-hardest.txt'),
        '--train-fraction',
        '0.5',
        '--augment',
        '1',
      ]),
    );
    const summary = readDatasetWithNumpy(out);

    expect(summary.train.metadata.total_groups).toBe(6);
    expect(summary.train.shapes.inputs).toEqual([12, 81]);
    expect(summary.test.shapes.inputs).toEqual([5, 81]);
  });
});

describe('dataset CLI, maze', () => {
  it('writes maze splits with dihedral groups', () => {
    const out = join(root, 'maze');
    const result = run([
      'maze',
      '--out',
      out,
      '--size',
      '9',
      '--train',
      '3',
      '--test',
      '2',
      '--seed',
      '1',
      '--augment',
    ]);
    expect(result.err.filter((line) => line.startsWith('error'))).toEqual([]);
    const summary = readDatasetWithNumpy(out);

    expect(summary.train.metadata).toMatchObject({ vocab_size: 6, seq_len: 81, total_groups: 3 });
    expect(summary.train.shapes.inputs).toEqual([24, 81]);
    expect(summary.train.values.group_indices).toEqual([0, 8, 16, 24]);
    expect(summary.test.shapes.inputs).toEqual([2, 81]);
    expect(summary.train.dtypes.inputs).toBe('uint8');
  });
});

describe('parseDatasetArgs', () => {
  it('applies defaults', () => {
    expect(command(['sudoku', '--out', 'x'])).toMatchObject({
      source: 'sudoku',
      out: 'x',
      train: 1000,
      test: 100,
      seed: 1,
      augment: 0,
    });
    expect(command(['maze', '--out=x', '--augment'])).toMatchObject({ augment: 8, size: 30 });
  });

  it('rejects unknown options with the valid ones', () => {
    expect(() => parseDatasetArgs(['sudoku', '--out', 'x', '--size', '9'])).toThrow(
      /unknown option --size for sudoku; valid options: --out, --train, --test, --seed, --band/,
    );
    expect(() => parseDatasetArgs(['chess', '--out', 'x'])).toThrow(/one of sudoku, maze/);
  });

  it('rejects bad values', () => {
    expect(() => parseDatasetArgs(['sudoku', '--out', 'x', '--blanks', '30-10'])).toThrow(
      /invalid --blanks: 30-10/,
    );
    expect(() => parseDatasetArgs(['sudoku', '--out', 'x', '--train', '1.5'])).toThrow(
      'invalid --train: "1.5"; use an integer of at least 0',
    );
    expect(() => parseDatasetArgs(['sudoku', '--out', 'x', '--band', 'brutal'])).toThrow(
      /unknown difficulty band/,
    );
    expect(() => parseDatasetArgs(['sudoku', '--train', '5'])).toThrow(/missing --out/);
    expect(() =>
      parseDatasetArgs(['sudoku', '--out', 'x', '--from-file', 'f', '--train', '5']),
    ).toThrow(/--train does not apply with --from-file/);
  });

  it('prints help', () => {
    const result = run(['--help']);

    expect(result.code).toBe(0);
    expect(result.out.join('\n')).toBe(DATASET_HELP);
    for (const option of [
      '--out',
      '--train',
      '--test',
      '--seed',
      '--band',
      '--blanks',
      '--augment',
      '--from-file',
      '--train-fraction',
      '--size',
      '--min-path',
    ]) {
      expect(DATASET_HELP).toContain(option);
    }
  });

  it('reports errors with exit code 2', () => {
    const result = run(['sudoku', '--out', 'x', '--bogus']);

    expect(result.code).toBe(2);
    expect(result.err[0]).toMatch(/^error: unknown option --bogus/);
  });
});

describe('dataset CLI, bad puzzle files', () => {
  function runOnFile(name: string, text: string, extra: string[] = []) {
    const path = join(root, name);
    writeFileSync(path, text);
    return run(['sudoku', '--out', join(root, `${name}-out`), '--from-file', path, ...extra]);
  }

  const NORVIG_FIRST =
    '4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......';

  it('names the line of a conflict', () => {
    const conflicting = `4${NORVIG_FIRST.slice(1, 7)}4${NORVIG_FIRST.slice(8)}`;
    const result = runOnFile('conflict.txt', `# header\n${NORVIG_FIRST}\n${conflicting}\n`);

    expect(result.code).toBe(1);
    expect(result.err.at(-1)).toBe(
      'error: conflict.txt line 3: clue conflict: 4 at r1c1 and r1c8 share row 1',
    );
  });

  it('names the line of a short puzzle', () => {
    const result = runOnFile('short.txt', `${NORVIG_FIRST}\n${NORVIG_FIRST.slice(2)}\n`);

    expect(result.code).toBe(1);
    expect(result.err.at(-1)).toBe(
      'error: short.txt line 2: expected 81 cells (a one-line puzzle) or 9 cells (a grid row), found 79',
    );
  });

  it('rejects ambiguous puzzles', () => {
    const result = runOnFile('ambiguous.txt', `${'.'.repeat(81)}\n`);

    expect(result.err.at(-1)).toMatch(/^error: ambiguous\.txt line 1: several solutions/);
  });

  it('rejects a band with no puzzles', () => {
    const result = runOnFile('easy-only.txt', `${NORVIG_FIRST}\n`, ['--band', 'extreme']);

    expect(result.err.at(-1)).toMatch(/none of its 1 puzzles falls in band extreme/);
  });
});
