import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  defaultMinPathLength,
  generateMaze,
  generateMazes,
} from '../../../src/puzzles/maze/generate';
import { findCells, MazeCell } from '../../../src/puzzles/maze/grid';
import { solveMaze } from '../../../src/puzzles/maze/search';
import { createRng } from '../../../src/puzzles/random';

describe('generateMaze', () => {
  it('is reproducible by seed', () => {
    const options = { size: 15 };
    expect(generateMazes(11, 5, options)).toEqual(generateMazes(11, 5, options));
  });

  it('differs across seeds', () => {
    const [first] = generateMazes(1, 1, { size: 15 });
    const [second] = generateMazes(2, 1, { size: 15 });
    expect(first.cells).not.toEqual(second.cells);
  });

  it('places one S and one G far apart', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 30 }), fc.integer(), (size, seed) => {
        const maze = generateMaze(createRng(seed), { size });
        expect(maze.size).toBe(size);
        expect(findCells(maze, MazeCell.start)).toHaveLength(1);
        expect(findCells(maze, MazeCell.goal)).toHaveLength(1);
        expect(findCells(maze, MazeCell.path)).toHaveLength(0);
        const solution = solveMaze(maze);
        expect(solution).not.toBeNull();
        expect(solution?.distance).toBeGreaterThanOrEqual(defaultMinPathLength(size));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps Maze-Hard length at 30', () => {
    expect(defaultMinPathLength(30)).toBe(111);
    for (const maze of generateMazes(5, 20, { size: 30 })) {
      expect(solveMaze(maze)?.distance).toBeGreaterThan(110);
    }
  });

  it('reaches the default at 64', () => {
    expect(defaultMinPathLength(64)).toBe(237);
    for (const maze of generateMazes(6, 2, { size: 64 })) {
      expect(solveMaze(maze)?.distance).toBeGreaterThanOrEqual(237);
    }
  });

  it('honours a custom minimum', () => {
    for (const maze of generateMazes(9, 20, { size: 11, minPathLength: 30 })) {
      expect(solveMaze(maze)?.distance).toBeGreaterThanOrEqual(30);
    }
  });

  it('makes loops by default', () => {
    // Without loops every shortest path is unique, so count mazes with more than one.
    const mazes = generateMazes(3, 40, { size: 30 });
    const withChoice = mazes.filter((maze) => {
      const solution = solveMaze(maze);
      const onAny = solution?.onShortestPath.reduce((sum, flag) => sum + flag, 0) ?? 0;
      return onAny > (solution?.distance ?? 0) + 1;
    });
    expect(withChoice.length).toBeGreaterThan(5);
  });

  it('without loops makes a perfect maze', () => {
    for (const maze of generateMazes(4, 10, { size: 13, loopFraction: 0 })) {
      const solution = solveMaze(maze);
      const onAny = solution?.onShortestPath.reduce((sum, flag) => sum + flag, 0);
      expect(onAny).toBe((solution?.distance ?? 0) + 1);
    }
  });

  it('reports an unreachable minimum', () => {
    expect(() =>
      generateMaze(createRng(1), { size: 7, minPathLength: 100, maxAttempts: 5 }),
    ).toThrow(/could not generate a 7×7 maze .* at least 100 moves in 5 attempts; the longest/);
  });

  it('rejects bad options', () => {
    const rng = createRng(1);
    expect(() => generateMaze(rng, { size: 4 })).toThrow(/invalid maze size: 4; use .* 5 to 64/);
    expect(() => generateMaze(rng, { size: 65 })).toThrow(/invalid maze size: 65/);
    expect(() => generateMaze(rng, { size: 9, minPathLength: 0 })).toThrow(
      /invalid minPathLength: 0/,
    );
    expect(() => generateMaze(rng, { size: 9, loopFraction: 1.5 })).toThrow(
      /invalid loopFraction: 1.5/,
    );
    expect(() => generateMaze(rng, { size: 9, maxAttempts: 0 })).toThrow(/invalid maxAttempts: 0/);
  });
});
