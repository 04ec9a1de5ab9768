// Command line of `npm run dataset -- <source> [options]`: parses and checks options, builds the
// splits, writes the folder and prints progress on stderr. Kept apart from scripts/dataset.ts so
// that tests can call it in-process.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { bandByName, DIFFICULTY_BAND_NAMES } from '../puzzles/sudoku/difficulty.ts';
import { MAX_BLANKS } from '../puzzles/sudoku/generate.ts';
import type { TaskShape } from './format.ts';
import { generateMazeSplits, mazeTaskShape } from './maze.ts';
import type { ProgressCallback } from './sudoku.ts';
import { buildSudokuFileSplits, generateSudokuSplits, SUDOKU_TASK_SHAPE } from './sudoku.ts';
import type { DatasetSplits, WrittenSplit } from './write.ts';
import { writeDatasetFolder } from './write.ts';

export const DATASET_SOURCES = ['sudoku', 'maze'] as const;
export type DatasetSource = (typeof DATASET_SOURCES)[number];

type OptionKind = 'string' | 'integer' | 'number' | 'range' | 'flag';

interface OptionSpec {
  name: string;
  kind: OptionKind;
  sources: readonly DatasetSource[];
  /** Value placeholder in the help, e.g. `<count>`; empty for flags. */
  value: string;
  /** Help text: what the option sets, with its unit and default. */
  help: string;
}

// Sudoku's --augment takes a copy count, while maze's is a flag for the 8 dihedral variants,
// matching the authors' num_aug and aug settings. OPTION_SPECS lists both under their source.
const OPTION_SPECS: readonly OptionSpec[] = [
  {
    name: 'out',
    kind: 'string',
    sources: ['sudoku', 'maze'],
    value: '<folder>',
    help: 'output folder (required); files of an earlier run are replaced',
  },
  {
    name: 'train',
    kind: 'integer',
    sources: ['sudoku', 'maze'],
    value: '<count>',
    help: 'training puzzles before augmentation (count, default 1000)',
  },
  {
    name: 'test',
    kind: 'integer',
    sources: ['sudoku', 'maze'],
    value: '<count>',
    help: 'test puzzles, never augmented (count, default 100)',
  },
  {
    name: 'seed',
    kind: 'integer',
    sources: ['sudoku', 'maze'],
    value: '<integer>',
    help: 'random seed; equal seeds and options give equal files (integer, default 1)',
  },
  {
    name: 'band',
    kind: 'string',
    sources: ['sudoku'],
    value: '<name>',
    help: `difficulty band: ${DIFFICULTY_BAND_NAMES.join(', ')} (default: any rating); with --from-file, keeps only puzzles in the band`,
  },
  {
    name: 'blanks',
    kind: 'range',
    sources: ['sudoku'],
    value: 'MIN-MAX',
    help: `blank cells per generated puzzle as MIN-MAX, drawn uniformly (cells, 0..${MAX_BLANKS}; default: remove clues until minimal, about 53-60)`,
  },
  {
    name: 'augment',
    kind: 'integer',
    sources: ['sudoku'],
    value: '<count>',
    help: 'randomly transformed copies per training puzzle (count, default 0)',
  },
  {
    name: 'from-file',
    kind: 'string',
    sources: ['sudoku'],
    value: '<path>',
    help: 'read puzzles from a text file instead of generating them; solutions come from the exact solver',
  },
  {
    name: 'train-fraction',
    kind: 'number',
    sources: ['sudoku'],
    value: '<fraction>',
    help: 'with --from-file: share of the puzzles that go to train, chosen by seed (0..1, default 0: all go to test)',
  },
  {
    name: 'augment',
    kind: 'flag',
    sources: ['maze'],
    value: '',
    help: 'add the 8 rotations and reflections of each training maze (flag, default off)',
  },
  {
    name: 'size',
    kind: 'integer',
    sources: ['maze'],
    value: '<cells>',
    help: 'maze side; seq_len is size × size (cells, default 30)',
  },
  {
    name: 'min-path',
    kind: 'integer',
    sources: ['maze'],
    value: '<moves>',
    help: "shortest path length each maze must reach (moves, default: the maze generator's default for the size)",
  },
  {
    name: 'help',
    kind: 'flag',
    sources: ['sudoku', 'maze'],
    value: '',
    help: 'print this help and exit',
  },
];

const HELP_WIDTH = 100;
const HELP_INDENT = 31;

/** Formats one option as `  --name <value>` and its help text, wrapped at HELP_WIDTH columns. */
function formatOptionHelp(spec: OptionSpec): string[] {
  const lines: string[] = [];
  let line = `  --${spec.name} ${spec.value}`.padEnd(HELP_INDENT);
  let lineHasWords = false;

  for (const word of spec.help.split(' ')) {
    if (lineHasWords && line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(line);
      line = ' '.repeat(HELP_INDENT);
      lineHasWords = false;
    }
    line += lineHasWords ? ` ${word}` : word;
    lineHasWords = true;
  }
  lines.push(line);

  return lines;
}

export const DATASET_HELP = buildHelp();

function buildHelp(): string {
  const lines = [
    'Usage: npm run dataset -- <sudoku|maze> --out <folder> [options]',
    '',
    "Writes <folder>/train and <folder>/test in the HRM authors' data set layout (dataset.json and",
    'all__*.npy arrays) plus <folder>/identifiers.json. Sudoku sets also get all__ratings.npy,',
    "each puzzle's solver rating, which the authors' loader ignores.",
    '',
    'Examples:',
    '  npm run dataset -- sudoku --out data/sudoku-easy --train 2000 --test 200 --band easy \\',
    '      --augment 8 --seed 1',
    '  npm run dataset -- sudoku --out data/sudoku-curriculum --blanks 10-30',
    '  npm run dataset -- sudoku --out data/top95 --from-file norvig-top95.txt',
    '  npm run dataset -- maze --out data/maze-30 --size 30 --train 1000 --test 100 --seed 1 --augment',
  ];

  for (const source of DATASET_SOURCES) {
    lines.push('', `Options for ${source}:`);
    for (const spec of OPTION_SPECS.filter((s) => s.sources.includes(source))) {
      lines.push(...formatOptionHelp(spec));
    }
  }
  lines.push(
    '',
    'Bands rate puzzles by solver backtracks: easy 0, medium 1-9, hard 10-99, extreme 100 or more.',
    'Generated puzzles rarely reach extreme; use --from-file with a hard collection for those.',
  );

  return lines.join('\n');
}

export interface DatasetCommand {
  source: DatasetSource;
  out: string;
  train: number;
  test: number;
  seed: number;
  band?: string;
  minBlanks?: number;
  maxBlanks?: number;
  /** Augmented copies per training puzzle. For mazes this is 8 with the flag and 0 without. */
  augment: number;
  fromFile?: string;
  trainFraction?: number;
  size: number;
  minPath?: number;
}

export type ParsedCommand = { help: true } | ({ help: false } & DatasetCommand);

function parseInteger(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new Error(
      `invalid --${name}: ${JSON.stringify(text)}; use an integer of at least ${min}`,
    );
  }

  return value;
}

function parseBlankRange(text: string): [number, number] {
  const match = /^(\d+)-(\d+)$/.exec(text);
  if (!match) {
    throw new Error(`invalid --blanks: ${JSON.stringify(text)}; use MIN-MAX, e.g. 10-30`);
  }

  const min = Number(match[1]);
  const max = Number(match[2]);
  if (min > max || max > MAX_BLANKS) {
    throw new Error(
      `invalid --blanks: ${text}; MIN must not exceed MAX, and MAX must be at most ${MAX_BLANKS}`,
    );
  }

  return [min, max];
}

/** Parses the arguments after `npm run dataset --`, rejecting unknown or misplaced options. */
export function parseDatasetArgs(argv: readonly string[]): ParsedCommand {
  if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) return { help: true };

  const [source, ...rest] = argv;
  if (!DATASET_SOURCES.includes(source as DatasetSource)) {
    throw new Error(
      `unknown data set source: ${JSON.stringify(source)}; the first argument must be one of ${DATASET_SOURCES.join(', ')}`,
    );
  }
  const datasetSource = source as DatasetSource;
  const specs = OPTION_SPECS.filter((spec) => spec.sources.includes(datasetSource));
  const validNames = specs.map((spec) => `--${spec.name}`).join(', ');

  const values = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const argument = rest[i];
    if (!argument.startsWith('--')) {
      throw new Error(`unexpected argument ${JSON.stringify(argument)}; options start with --`);
    }

    const equals = argument.indexOf('=');
    const name = equals === -1 ? argument.slice(2) : argument.slice(2, equals);
    const spec = specs.find((s) => s.name === name);
    if (!spec) {
      throw new Error(
        `unknown option --${name} for ${datasetSource}; valid options: ${validNames}`,
      );
    }
    if (values.has(name)) throw new Error(`option --${name} is given twice`);

    if (spec.kind === 'flag') {
      if (equals !== -1) throw new Error(`option --${name} is a flag and takes no value`);
      values.set(name, true);
      continue;
    }

    const value = equals === -1 ? rest[++i] : argument.slice(equals + 1);
    if (value === undefined || (equals === -1 && value.startsWith('--'))) {
      throw new Error(`option --${name} needs a value: ${spec.help}`);
    }
    values.set(name, value);
  }

  return { help: false, ...buildCommand(datasetSource, values) };
}

function buildCommand(source: DatasetSource, values: Map<string, string | true>): DatasetCommand {
  const text = (name: string) => values.get(name) as string | undefined;

  const out = text('out');
  if (!out) throw new Error('missing --out <folder>: the folder to write the data set into');

  const fromFile = text('from-file');
  if (fromFile !== undefined) {
    for (const name of ['train', 'test', 'blanks']) {
      if (values.has(name)) {
        throw new Error(
          `option --${name} does not apply with --from-file; the file sets the puzzles, and --train-fraction splits them`,
        );
      }
    }
  } else if (values.has('train-fraction')) {
    throw new Error('option --train-fraction applies only with --from-file');
  }

  const command: DatasetCommand = {
    source,
    out,
    train: values.has('train') ? parseInteger('train', text('train') as string, 0) : 1000,
    test: values.has('test') ? parseInteger('test', text('test') as string, 0) : 100,
    seed: values.has('seed') ? parseInteger('seed', text('seed') as string, 0) : 1,
    augment: 0,
    size: values.has('size') ? parseInteger('size', text('size') as string, 1) : 30,
    fromFile,
  };

  if (source === 'maze') {
    command.augment = values.has('augment') ? 8 : 0;
  } else if (values.has('augment')) {
    command.augment = parseInteger('augment', text('augment') as string, 0);
  }

  const band = text('band');
  if (band !== undefined) command.band = bandByName(band).name;

  const blanks = text('blanks');
  if (blanks !== undefined) [command.minBlanks, command.maxBlanks] = parseBlankRange(blanks);

  const fraction = text('train-fraction');
  if (fraction !== undefined) {
    const value = Number(fraction);
    if (fraction.trim() === '' || !(value >= 0 && value <= 1)) {
      throw new Error(
        `invalid --train-fraction: ${JSON.stringify(fraction)}; use a number from 0 to 1`,
      );
    }
    command.trainFraction = value;
  }

  const minPath = text('min-path');
  if (minPath !== undefined) command.minPath = parseInteger('min-path', minPath, 1);

  return command;
}

/** Prints a progress line at most every 2 seconds and at the end of each split. */
function createProgressPrinter(log: (line: string) => void): ProgressCallback {
  const start = Date.now();
  let lastPrint = 0;

  return (split, done, total) => {
    const now = Date.now();
    if (done !== total && now - lastPrint < 2000) return;
    lastPrint = now;

    const seconds = ((now - start) / 1000).toFixed(1);
    log(`${split}: ${done}/${total} puzzles (${seconds} s)`);
  };
}

export interface DatasetRunResult {
  train: WrittenSplit;
  test: WrittenSplit;
}

/** Builds and writes the data set described by `command`. */
export function runDatasetCommand(
  command: DatasetCommand,
  log: (line: string) => void = () => {},
): DatasetRunResult {
  const onProgress = createProgressPrinter(log);
  let splits: DatasetSplits;
  let shape: TaskShape;

  if (command.source === 'maze') {
    shape = mazeTaskShape(command.size);
    log(
      `generating ${command.train} training and ${command.test} test mazes of ${command.size}×${command.size}`,
    );
    splits = generateMazeSplits({
      trainCount: command.train,
      testCount: command.test,
      size: command.size,
      seed: command.seed,
      augment: command.augment > 0,
      minPathLength: command.minPath,
    });
  } else if (command.fromFile !== undefined) {
    shape = SUDOKU_TASK_SHAPE;
    const text = readFileSync(command.fromFile, 'utf8');
    splits = buildSudokuFileSplits(text, {
      sourceName: basename(command.fromFile),
      trainFraction: command.trainFraction ?? 0,
      augment: command.augment,
      seed: command.seed,
      band: command.band as Parameters<typeof buildSudokuFileSplits>[1]['band'],
      onProgress,
    });
  } else {
    shape = SUDOKU_TASK_SHAPE;
    splits = generateSudokuSplits({
      trainCount: command.train,
      testCount: command.test,
      augment: command.augment,
      seed: command.seed,
      band: command.band as Parameters<typeof generateSudokuSplits>[0]['band'],
      minBlanks: command.minBlanks,
      maxBlanks: command.maxBlanks,
      onProgress,
    });
  }

  const written = writeDatasetFolder(command.out, splits, shape);
  for (const split of ['train', 'test'] as const) {
    const { groups, puzzles, examples } = written[split];
    log(`${command.out}/${split}: ${groups} groups, ${puzzles} puzzles, ${examples} examples`);
  }

  return written;
}

/** Runs the CLI on `argv`; returns the process exit code. */
export function runDatasetCli(
  argv: readonly string[],
  io: { out: (line: string) => void; err: (line: string) => void },
): number {
  let parsed: ParsedCommand;
  try {
    parsed = parseDatasetArgs(argv);
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    io.err('Run `npm run dataset -- --help` for the options.');
    return 2;
  }

  if (parsed.help) {
    io.out(DATASET_HELP);
    return 0;
  }

  try {
    runDatasetCommand(parsed, io.err);
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    return 1;
  }

  return 0;
}
