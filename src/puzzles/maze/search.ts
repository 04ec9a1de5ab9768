// Breadth-first search over 4-neighbour moves. Distances count moves, so a shortest path of
// distance D visits D + 1 cells: the start, D - 1 path ('o') cells and the goal.

import { clearPath, findEndpoints, isPassable, MazeCell, type MazeGrid } from './grid';

/** Distance marker for cells that cannot be reached. */
export const UNREACHABLE = -1;

/**
 * Computes the number of moves from `source` to every cell, [size * size], with UNREACHABLE for
 * walls and cut-off cells. `passable` overrides which cells may be entered (default: non-walls).
 */
export function bfsDistances(
  grid: MazeGrid,
  source: number,
  passable: (cell: number) => boolean = (cell) => isPassable(grid.cells[cell]),
): Int32Array {
  const { size } = grid;
  const distances = new Int32Array(size * size).fill(UNREACHABLE);
  if (!passable(source)) {
    return distances;
  }

  // A typed-array queue with a read index. A cell is pushed only when its distance is first set,
  // so size * size slots suffice.
  const queue = new Int32Array(size * size);
  let head = 0;
  let tail = 0;
  queue[tail++] = source;
  distances[source] = 0;

  while (head < tail) {
    const cell = queue[head++];
    const next = distances[cell] + 1;
    const row = Math.floor(cell / size);
    const column = cell - row * size;

    const visit = (neighbour: number) => {
      if (distances[neighbour] === UNREACHABLE && passable(neighbour)) {
        distances[neighbour] = next;
        queue[tail++] = neighbour;
      }
    };
    if (row > 0) visit(cell - size);
    if (column > 0) visit(cell - 1);
    if (column < size - 1) visit(cell + 1);
    if (row < size - 1) visit(cell + size);
  }

  return distances;
}

export interface MazeSolution {
  /** Moves on a shortest path from start to goal. */
  distance: number;
  /** One shortest path as cell indices, start first and goal last ([distance + 1]). */
  path: number[];
  /** 1 for every cell that lies on at least one shortest path (start and goal included). */
  onShortestPath: Uint8Array;
  /** Moves from the start to each cell, UNREACHABLE where none exists. */
  fromStart: Int32Array;
  /** Moves from each cell to the goal, UNREACHABLE where none exists. */
  toGoal: Int32Array;
}

/**
 * Finds the shortest start-to-goal distance, one shortest path and the set of cells on any
 * shortest path. Returns null when the goal cannot be reached. Path cells ('o') count as open.
 *
 * A cell lies on some shortest path exactly when its distance from the start plus its distance
 * to the goal equals the shortest distance, so two searches find the whole set.
 */
export function solveMaze(grid: MazeGrid): MazeSolution | null {
  const { start, goal } = findEndpoints(grid);
  const fromStart = bfsDistances(grid, start);
  const distance = fromStart[goal];
  if (distance === UNREACHABLE) {
    return null;
  }
  const toGoal = bfsDistances(grid, goal);

  const onShortestPath = new Uint8Array(grid.cells.length);
  for (let cell = 0; cell < onShortestPath.length; cell++) {
    const along = fromStart[cell] + toGoal[cell];
    if (fromStart[cell] !== UNREACHABLE && toGoal[cell] !== UNREACHABLE && along === distance) {
      onShortestPath[cell] = 1;
    }
  }

  return {
    distance,
    path: tracePath(grid.size, fromStart, goal),
    onShortestPath,
    fromStart,
    toGoal,
  };
}

/**
 * Walks back from `goal` to distance 0 through cells one move closer each step, taking the first
 * such neighbour in up, left, right, down order so the chosen path is deterministic.
 */
function tracePath(size: number, fromStart: Int32Array, goal: number): number[] {
  const path = [goal];
  let cell = goal;
  while (fromStart[cell] > 0) {
    const previous = fromStart[cell] - 1;
    const row = Math.floor(cell / size);
    const column = cell - row * size;
    if (row > 0 && fromStart[cell - size] === previous) cell -= size;
    else if (column > 0 && fromStart[cell - 1] === previous) cell -= 1;
    else if (column < size - 1 && fromStart[cell + 1] === previous) cell += 1;
    else cell += size;
    path.push(cell);
  }

  return path.reverse();
}

/**
 * Returns a copy of the maze with the cells of `path` between its ends marked 'o'. Start and
 * goal keep their own marks, and any earlier path marks are cleared first.
 */
export function markPath(grid: MazeGrid, path: readonly number[]): MazeGrid {
  const { cells } = clearPath(grid);
  for (let i = 1; i < path.length - 1; i++) {
    cells[path[i]] = MazeCell.path;
  }

  return { size: grid.size, cells };
}
