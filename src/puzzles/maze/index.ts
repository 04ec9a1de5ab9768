// Public surface of the maze domain, for the UI, the data-set CLI and evaluation.

export { checkPath, type PathCheck } from './check';
export { buildMazeGroups, MAZE_PUZZLE_IDENTIFIER, type MazeGroupOptions } from './dataset';
export {
  DIHEDRAL_INVERSE,
  DIHEDRAL_TRANSFORM_COUNT,
  inverseTransformMaze,
  transformMaze,
  transformSquare,
} from './dihedral';
export {
  DEFAULT_LOOP_FRACTION,
  defaultMinPathLength,
  generateMaze,
  generateMazes,
  MAX_GENERATED_SIZE,
  type MazeGeneratorOptions,
  MIN_GENERATED_SIZE,
} from './generate';
export {
  clearPath,
  describeCell,
  findCells,
  findEndpoints,
  MAZE_CHARSET,
  MazeCell,
  type MazeCellCode,
  MazeFormatError,
  type MazeGrid,
  validateMaze,
} from './grid';
export { bfsDistances, type MazeSolution, markPath, solveMaze, UNREACHABLE } from './search';
export { formatMaze, formatMazeRow, parseMaze, parseMazeRow } from './text';
export {
  MAZE_PAD_ID,
  MAZE_VOCAB_SIZE,
  mazeInputTokens,
  mazeLabelTokens,
  mazeSeqLen,
  mazeToTokens,
  tokensToMaze,
} from './tokens';
