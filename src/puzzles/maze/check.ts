// Checks a predicted maze solution. A prediction is correct when its path marks ('o') together with
// S and G form one shortest route from S to G and every other cell matches the maze, so an
// optimal path that differs from the label still counts. It also locates breaks and dead ends
// for the board overlay.

import {
  clearPath,
  describeCell,
  findEndpoints,
  MAZE_CHARSET,
  MazeCell,
  MazeFormatError,
  type MazeGrid,
} from './grid';
import { bfsDistances, solveMaze, UNREACHABLE } from './search';

export interface PathCheck {
  /** True when the path marks are exactly one shortest S-to-G path and nothing else changed. */
  optimal: boolean;
  /** Moves on a shortest path in the maze, or null when the goal cannot be reached. */
  shortestDistance: number | null;
  /** Moves of the shortest S-to-G route through S, G and the marked cells, or null if none. */
  predictedDistance: number | null;
  /** Number of cells marked 'o' in the prediction. */
  pathCellCount: number;
  /** Marked cells that are walls in the maze. */
  wallCells: number[];
  /** Cells whose predicted code differs from the maze, other than an 'o' on an open cell. */
  changedCells: number[];
  /**
   * Cells where the marks stop short when S and G do not connect: the cell of the fragment grown
   * from S that is farthest from S, and likewise for G (S or G itself when nothing touches it).
   */
  breaks: number[];
  /** Other marked cells with at most one marked neighbour: spurs and ends of stray fragments. */
  deadEnds: number[];
  /** Marked cells on no shortest route through the marks, and every cell of stray fragments. */
  extraCells: number[];
  /** One sentence per failure, empty when `optimal` is true. */
  problems: string[];
}

/**
 * Checks `predicted`, the predicted cell codes or token ids ([size * size], row-major), against
 * `maze`. Path marks already in `maze` are ignored. Raises MazeFormatError when the maze lacks a
 * single S and G or the prediction has the wrong length.
 */
export function checkPath(maze: MazeGrid, predicted: ArrayLike<number>): PathCheck {
  const puzzle = clearPath(maze);
  const { size } = puzzle;
  const { start, goal } = findEndpoints(puzzle);
  if (predicted.length !== puzzle.cells.length) {
    throw new MazeFormatError(
      `invalid prediction: ${predicted.length} cells for a ${size}×${size} maze; ` +
        `expected ${puzzle.cells.length}`,
    );
  }

  const solution = solveMaze(puzzle);
  const shortestDistance = solution?.distance ?? null;

  // Route cells: S and G where the maze has them, plus every cell predicted as path.
  const onRoute = new Uint8Array(puzzle.cells.length);
  onRoute[start] = 1;
  onRoute[goal] = 1;
  const wallCells: number[] = [];
  const changedCells: number[] = [];
  let pathCellCount = 0;

  for (let cell = 0; cell < puzzle.cells.length; cell++) {
    const expected = puzzle.cells[cell];
    if (predicted[cell] === MazeCell.path) {
      pathCellCount++;
      onRoute[cell] = 1;
      if (expected === MazeCell.wall) wallCells.push(cell);
      else if (expected !== MazeCell.open) changedCells.push(cell);
    } else if (predicted[cell] !== expected) {
      changedCells.push(cell);
    }
  }

  const route = analyseRoute(puzzle, predicted, onRoute, start, goal);

  const problems = describeProblems({
    size,
    predicted,
    puzzle,
    shortestDistance,
    pathCellCount,
    wallCells,
    changedCells,
    ...route,
  });

  return {
    optimal: problems.length === 0,
    shortestDistance,
    pathCellCount,
    wallCells,
    changedCells,
    ...route,
    problems,
  };
}

interface RouteAnalysis {
  predictedDistance: number | null;
  breaks: number[];
  deadEnds: number[];
  extraCells: number[];
}

/**
 * Finds breaks, dead ends and extra cells among the route cells. Wall cells marked as path take
 * part, so the overlay follows the path as drawn, and they are also reported as wall cells.
 */
function analyseRoute(
  puzzle: MazeGrid,
  predicted: ArrayLike<number>,
  onRoute: Uint8Array,
  start: number,
  goal: number,
): RouteAnalysis {
  const { size } = puzzle;
  const passable = (cell: number) => onRoute[cell] === 1;
  const fromStart = bfsDistances(puzzle, start, passable);
  const toGoal = bfsDistances(puzzle, goal, passable);
  const connected = fromStart[goal] !== UNREACHABLE;
  const predictedDistance = connected ? fromStart[goal] : null;

  const marked = (cell: number) =>
    predicted[cell] === MazeCell.path && cell !== start && cell !== goal;
  const breaks: number[] = [];
  const deadEnds: number[] = [];
  const extraCells: number[] = [];

  // The break of the S fragment is its cell farthest from S, and likewise for G.
  const startBreak = connected ? -1 : farthestCell(fromStart);
  const goalBreak = connected ? -1 : farthestCell(toGoal);
  if (startBreak >= 0) breaks.push(startBreak);
  if (goalBreak >= 0) breaks.push(goalBreak);

  for (let cell = 0; cell < onRoute.length; cell++) {
    if (!marked(cell)) continue;
    const attached = fromStart[cell] !== UNREACHABLE || toGoal[cell] !== UNREACHABLE;

    if (
      countRouteNeighbours(size, onRoute, cell) <= 1 &&
      cell !== startBreak &&
      cell !== goalBreak
    ) {
      deadEnds.push(cell);
    }
    if (!attached) {
      extraCells.push(cell);
    } else if (connected && fromStart[cell] + toGoal[cell] !== predictedDistance) {
      extraCells.push(cell);
    }
  }

  return { predictedDistance, breaks, deadEnds, extraCells };
}

/** Returns the reached cell with the largest distance, the lowest index on ties. */
function farthestCell(distances: Int32Array): number {
  let best = -1;
  for (let cell = 0; cell < distances.length; cell++) {
    if (distances[cell] !== UNREACHABLE && (best < 0 || distances[cell] > distances[best])) {
      best = cell;
    }
  }

  return best;
}

function countRouteNeighbours(size: number, onRoute: Uint8Array, cell: number): number {
  const row = Math.floor(cell / size);
  const column = cell % size;
  let count = 0;
  if (row > 0) count += onRoute[cell - size];
  if (column > 0) count += onRoute[cell - 1];
  if (column < size - 1) count += onRoute[cell + 1];
  if (row < size - 1) count += onRoute[cell + size];

  return count;
}

interface ProblemInputs extends RouteAnalysis {
  size: number;
  predicted: ArrayLike<number>;
  puzzle: MazeGrid;
  shortestDistance: number | null;
  pathCellCount: number;
  wallCells: number[];
  changedCells: number[];
}

function describeCode(code: number): string {
  const char = MAZE_CHARSET[code - 1];

  return char === undefined ? `token ${code}` : `'${char}'`;
}

function describeProblems(inputs: ProblemInputs): string[] {
  const { size, shortestDistance, predictedDistance, wallCells, changedCells } = inputs;
  const problems: string[] = [];
  const where = (cells: number[]) =>
    cells.length === 1
      ? `at ${describeCell(size, cells[0])}`
      : `${cells.length} cells, first at ${describeCell(size, cells[0])}`;

  if (shortestDistance === null) {
    problems.push('the maze has no path from S to G, so no prediction can be optimal');
  }
  if (wallCells.length > 0) {
    problems.push(`the path runs through walls: ${where(wallCells)}`);
  }
  if (changedCells.length > 0) {
    const first = changedCells[0];
    problems.push(
      `the prediction changes cells other than the path: ${where(changedCells)}, where the maze ` +
        `has ${describeCode(inputs.puzzle.cells[first])} and the prediction ` +
        `${describeCode(inputs.predicted[first])}`,
    );
  }
  if (predictedDistance === null) {
    const breakAt = inputs.breaks.map((cell) => describeCell(size, cell)).join(' and ');
    problems.push(`the path does not connect S to G; it breaks off at ${breakAt}`);
  } else if (shortestDistance !== null && predictedDistance > shortestDistance) {
    problems.push(
      `the path takes ${predictedDistance} moves but the shortest takes ${shortestDistance}`,
    );
  }
  if (inputs.extraCells.length > 0) {
    problems.push(`path cells lie off the route from S to G: ${where(inputs.extraCells)}`);
  } else if (
    predictedDistance !== null &&
    predictedDistance === shortestDistance &&
    inputs.pathCellCount !== shortestDistance - 1
  ) {
    // Every mark lies on a shortest route, but two routes side by side are marked at once.
    problems.push(
      `the path marks ${inputs.pathCellCount} cells but one shortest path has ` +
        `${shortestDistance - 1}; it contains more than one route`,
    );
  }

  return problems;
}
