// Seeded generator of hard mazes in the spirit of Maze-Hard, the authors' 30×30 set that keeps
// mazes whose shortest path is longer than 110 moves.
//
// The rule, per attempt:
// 1. Rooms sit on the cells whose row and column are both even, and every other cell starts as
//    wall. For an even side the last row and column have no rooms and stay wall.
// 2. A randomized depth-first search (the recursive backtracker) carves a perfect maze through the
//    rooms: it opens the wall cell between a room and a random unvisited neighbour room, and
//    backtracks at dead ends. Depth-first carving makes long winding corridors, hence long paths.
// 3. Each wall cell still standing between two rooms is opened with probability `loopFraction`,
//    which adds loops so that a shortest path is often not the only one.
// 4. One of the 8 dihedral transforms, drawn at random, moves the even-side wall line to any edge.
// 5. S is drawn uniformly from the open cells and G uniformly from the open cells at least
//    `minPathLength` moves from S. Without such a cell S is redrawn a few times, then moved to the
//    cell farthest from the last S, and if that fails too the whole maze is carved again, up to
//    `maxAttempts` mazes.

import { createRng, type Rng, randomInt } from '../random';
import { transformMaze } from './dihedral';
import { MazeCell, type MazeGrid } from './grid';
import { bfsDistances } from './search';

export interface MazeGeneratorOptions {
  /** Side length, MIN_GENERATED_SIZE to MAX_GENERATED_SIZE. */
  size: number;
  /** Minimum moves from S to G, by default `defaultMinPathLength(size)`. */
  minPathLength?: number;
  /** Probability of opening each remaining wall between two rooms, 0 to 1 (default 0.08). */
  loopFraction?: number;
  /** Mazes carved before giving up on `minPathLength` (default 200). */
  maxAttempts?: number;
}

/** A 5×5 grid has 3×3 rooms, the smallest lattice with room for a winding path. */
export const MIN_GENERATED_SIZE = 5;

/**
 * Largest side tested with the default minimum path length. Larger sides would work with a lower
 * minimum, but nothing needs them: the released maze models use 30×30.
 */
export const MAX_GENERATED_SIZE = 64;

export const DEFAULT_LOOP_FRACTION = 0.08;

const DEFAULT_MAX_ATTEMPTS = 200;

/** Start cells tried on one carved maze before carving another. */
const START_DRAWS_PER_MAZE = 4;

/**
 * Returns the default minimum shortest-path length for a side, from Maze-Hard's rule for 30×30
 * (more than 110 moves). Up to 30 it scales with the number of cells: 111 at 30, 28 at 15 and 10
 * at 9. Above 30 it scales with the side, because the loops keep the longest shortest path
 * roughly proportional to the side: with the default loops, the longest found at 64 was about
 * 400 moves over 200 mazes.
 */
export function defaultMinPathLength(size: number): number {
  // NOTE: lengths here count moves. Whether Maze-Hard's 110 counts moves or path cells is not
  // stated in the authors' code, so this threshold may be one off from theirs.
  const maze30Length = 111;
  if (size <= 30) {
    return Math.ceil((maze30Length * size * size) / 900);
  }

  return Math.ceil((maze30Length * size) / 30);
}

export interface ResolvedGeneratorOptions {
  size: number;
  minPathLength: number;
  loopFraction: number;
  maxAttempts: number;
}

/** Checks generator options and fills in defaults; raises RangeError naming a bad option. */
export function resolveGeneratorOptions(options: MazeGeneratorOptions): ResolvedGeneratorOptions {
  const { size } = options;
  if (!Number.isInteger(size) || size < MIN_GENERATED_SIZE || size > MAX_GENERATED_SIZE) {
    throw new RangeError(
      `invalid maze size: ${size}; use a whole number from ${MIN_GENERATED_SIZE} to ` +
        `${MAX_GENERATED_SIZE}`,
    );
  }

  const minPathLength = options.minPathLength ?? defaultMinPathLength(size);
  if (!Number.isInteger(minPathLength) || minPathLength < 1) {
    throw new RangeError(
      `invalid minPathLength: ${minPathLength}; use a whole number of moves of at least 1`,
    );
  }

  const loopFraction = options.loopFraction ?? DEFAULT_LOOP_FRACTION;
  if (!(loopFraction >= 0 && loopFraction <= 1)) {
    throw new RangeError(`invalid loopFraction: ${loopFraction}; use a probability from 0 to 1`);
  }

  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`invalid maxAttempts: ${maxAttempts}; use a whole number of at least 1`);
  }

  return { size, minPathLength, loopFraction, maxAttempts };
}

/**
 * Generates one maze with exactly one S and one G whose shortest distance is at least
 * `minPathLength` moves. Raises RangeError for bad options, and Error when `maxAttempts` mazes
 * never reach `minPathLength` (the message gives the longest distance found).
 */
export function generateMaze(rng: Rng, options: MazeGeneratorOptions): MazeGrid {
  const resolved = resolveGeneratorOptions(options);
  let longestFound = 0;

  for (let attempt = 0; attempt < resolved.maxAttempts; attempt++) {
    const carved = carveMaze(rng, resolved.size, resolved.loopFraction);
    const maze = transformMaze(carved, randomInt(rng, 8));
    const placed = placeEndpoints(rng, maze, resolved.minPathLength);
    if (placed.found) {
      return maze;
    }
    longestFound = Math.max(longestFound, placed.longestDistance);
  }

  throw new Error(
    `could not generate a ${resolved.size}×${resolved.size} maze with a shortest path of at ` +
      `least ${resolved.minPathLength} moves in ${resolved.maxAttempts} attempts; the longest ` +
      `found was ${longestFound} moves, so lower minPathLength or loopFraction`,
  );
}

/** Generates `count` mazes from one seed; the same seed and options give the same mazes. */
export function generateMazes(
  seed: number,
  count: number,
  options: MazeGeneratorOptions,
): MazeGrid[] {
  const rng = createRng(seed);
  const mazes: MazeGrid[] = [];
  for (let i = 0; i < count; i++) {
    mazes.push(generateMaze(rng, options));
  }

  return mazes;
}

/** Carves a perfect maze through the even-coordinate rooms, then opens extra walls for loops. */
function carveMaze(rng: Rng, size: number, loopFraction: number): MazeGrid {
  const cells = new Uint8Array(size * size).fill(MazeCell.wall);
  const roomsPerSide = Math.ceil(size / 2);
  const visited = new Uint8Array(roomsPerSide * roomsPerSide);
  const cellOfRoom = (room: number) =>
    2 * Math.floor(room / roomsPerSide) * size + 2 * (room % roomsPerSide);

  // Iterative depth-first search over rooms, numbered row-major in the room lattice.
  const stack = [randomInt(rng, visited.length)];
  visited[stack[0]] = 1;
  cells[cellOfRoom(stack[0])] = MazeCell.open;
  const unvisited: number[] = [];

  while (stack.length > 0) {
    const room = stack[stack.length - 1];
    const roomRow = Math.floor(room / roomsPerSide);
    const roomColumn = room % roomsPerSide;

    unvisited.length = 0;
    if (roomRow > 0 && !visited[room - roomsPerSide]) unvisited.push(room - roomsPerSide);
    if (roomColumn > 0 && !visited[room - 1]) unvisited.push(room - 1);
    if (roomColumn < roomsPerSide - 1 && !visited[room + 1]) unvisited.push(room + 1);
    if (roomRow < roomsPerSide - 1 && !visited[room + roomsPerSide]) {
      unvisited.push(room + roomsPerSide);
    }
    if (unvisited.length === 0) {
      stack.pop();
      continue;
    }

    const next = unvisited[randomInt(rng, unvisited.length)];
    const from = cellOfRoom(room);
    const to = cellOfRoom(next);
    cells[(from + to) / 2] = MazeCell.open;
    cells[to] = MazeCell.open;
    visited[next] = 1;
    stack.push(next);
  }

  openLoops(rng, cells, size, loopFraction);

  return { size, cells };
}

/** Opens each wall cell that separates two rooms with probability `loopFraction`. */
function openLoops(rng: Rng, cells: Uint8Array, size: number, loopFraction: number): void {
  if (loopFraction === 0) {
    return;
  }
  const lastRoom = 2 * (Math.ceil(size / 2) - 1);

  for (let row = 0; row <= lastRoom; row++) {
    // Between-room walls have one odd coordinate: odd columns on even rows, even columns on odd.
    for (let column = (row + 1) % 2; column <= lastRoom; column += 2) {
      const cell = row * size + column;
      if (cells[cell] === MazeCell.wall && rng() < loopFraction) {
        cells[cell] = MazeCell.open;
      }
    }
  }
}

/**
 * Draws S and G as described in the file header and writes them into `maze`. Returns whether it
 * found a pair, and the longest distance seen so a failure can report it.
 */
function placeEndpoints(
  rng: Rng,
  maze: MazeGrid,
  minPathLength: number,
): { found: boolean; longestDistance: number } {
  const openCells: number[] = [];
  for (let cell = 0; cell < maze.cells.length; cell++) {
    if (maze.cells[cell] === MazeCell.open) openCells.push(cell);
  }

  let longestDistance = 0;
  let farthest = -1;
  const candidates: number[] = [];
  for (let draw = 0; draw <= START_DRAWS_PER_MAZE; draw++) {
    // The last draw starts from the cell farthest from the previous start, one step of the
    // double-sweep heuristic for a maze's longest shortest path, which large mazes need.
    const start =
      draw < START_DRAWS_PER_MAZE ? openCells[randomInt(rng, openCells.length)] : farthest;
    const distances = bfsDistances(maze, start);

    farthest = start;
    candidates.length = 0;
    for (const cell of openCells) {
      if (distances[cell] > distances[farthest]) farthest = cell;
      longestDistance = Math.max(longestDistance, distances[cell]);
      if (distances[cell] >= minPathLength) candidates.push(cell);
    }
    if (candidates.length > 0) {
      maze.cells[start] = MazeCell.start;
      maze.cells[candidates[randomInt(rng, candidates.length)]] = MazeCell.goal;
      return { found: true, longestDistance };
    }
  }

  return { found: false, longestDistance };
}
