import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findEndpoints, MazeCell, type MazeGrid } from '../../../src/puzzles/maze/grid';
import { bfsDistances, markPath, solveMaze, UNREACHABLE } from '../../../src/puzzles/maze/search';
import { parseMaze } from '../../../src/puzzles/maze/text';
import { arbitraryMaze } from './arbitraries';

/**
 * Enumerates every simple start-to-goal path by depth-first search and returns the shortest
 * length in moves and the union of cells on paths of that length (null when none exists).
 */
function bruteForce(maze: MazeGrid): { distance: number; cells: Set<number> } | null {
  const { size, cells } = maze;
  const { start, goal } = findEndpoints(maze);
  const visited = new Uint8Array(cells.length);
  const stack: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestCells = new Set<number>();

  const walk = (cell: number) => {
    visited[cell] = 1;
    stack.push(cell);
    if (cell === goal) {
      const moves = stack.length - 1;
      if (moves < best) {
        best = moves;
        bestCells = new Set(stack);
      } else if (moves === best) {
        for (const c of stack) bestCells.add(c);
      }
    } else {
      const row = Math.floor(cell / size);
      const column = cell % size;
      const neighbours = [
        row > 0 ? cell - size : -1,
        column > 0 ? cell - 1 : -1,
        column < size - 1 ? cell + 1 : -1,
        row < size - 1 ? cell + size : -1,
      ];
      for (const next of neighbours) {
        if (next >= 0 && !visited[next] && cells[next] !== MazeCell.wall) walk(next);
      }
    }
    stack.pop();
    visited[cell] = 0;
  };
  walk(start);

  return best === Number.POSITIVE_INFINITY ? null : { distance: best, cells: bestCells };
}

function isAdjacent(size: number, a: number, b: number): boolean {
  const rowGap = Math.abs(Math.floor(a / size) - Math.floor(b / size));
  const columnGap = Math.abs((a % size) - (b % size));

  return rowGap + columnGap === 1;
}

describe('solveMaze', () => {
  it('matches brute force on small mazes', () => {
    fc.assert(
      fc.property(arbitraryMaze(2, 5, 0.35), (maze) => {
        const expected = bruteForce(maze);
        const solution = solveMaze(maze);
        if (expected === null) {
          expect(solution).toBeNull();
          return;
        }
        expect(solution?.distance).toBe(expected.distance);
        const onPath = new Set<number>();
        solution?.onShortestPath.forEach((flag, cell) => {
          if (flag) onPath.add(cell);
        });
        expect(onPath).toEqual(expected.cells);
      }),
      { numRuns: 200 },
    );
  });

  it('returns a valid shortest path', () => {
    fc.assert(
      fc.property(arbitraryMaze(2, 12), (maze) => {
        const solution = solveMaze(maze);
        fc.pre(solution !== null);
        if (solution === null) return;
        const { start, goal } = findEndpoints(maze);
        const { path, distance } = solution;
        expect(path).toHaveLength(distance + 1);
        expect(path[0]).toBe(start);
        expect(path[path.length - 1]).toBe(goal);
        for (let i = 1; i < path.length; i++) {
          expect(isAdjacent(maze.size, path[i - 1], path[i])).toBe(true);
          expect(maze.cells[path[i]]).not.toBe(MazeCell.wall);
          expect(solution.onShortestPath[path[i]]).toBe(1);
        }
      }),
    );
  });

  it('finds the corridor distance', () => {
    const maze = parseMaze(['S  #', '## #', '   #', 'G###'].join('\n'));
    const solution = solveMaze(maze);
    expect(solution?.distance).toBe(7);
    expect(solution?.path).toEqual([0, 1, 2, 6, 10, 9, 8, 12]);
  });

  it('finds every cell of two routes', () => {
    const maze = parseMaze(['S  ', ' # ', '  G'].join('\n'));
    const solution = solveMaze(maze);
    expect(solution?.distance).toBe(4);
    expect(Array.from(solution?.onShortestPath ?? [])).toEqual([1, 1, 1, 1, 0, 1, 1, 1, 1]);
  });

  it('returns null when walled off', () => {
    const maze = parseMaze(['S #', '###', '  G'].join('\n'));
    expect(solveMaze(maze)).toBeNull();
  });

  it('treats path marks as open', () => {
    const maze = parseMaze(['So', '#G'].join('\n'));
    expect(solveMaze(maze)?.distance).toBe(2);
  });

  it('bfsDistances marks walls unreachable', () => {
    const maze = parseMaze(['S#', 'G '].join('\n'));
    expect(Array.from(bfsDistances(maze, 0))).toEqual([0, UNREACHABLE, 1, 2]);
  });

  it('markPath marks only inner cells', () => {
    const maze = parseMaze(['S  ', '## ', 'G  '].join('\n'));
    const solution = solveMaze(maze);
    const marked = markPath(maze, solution?.path ?? []);
    expect(Array.from(marked.cells)).toEqual([3, 5, 5, 1, 1, 5, 4, 5, 5]);
  });
});
