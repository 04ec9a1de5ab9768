import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPath } from '../../../src/puzzles/maze/check';
import { MazeCell } from '../../../src/puzzles/maze/grid';
import { markPath, solveMaze } from '../../../src/puzzles/maze/search';
import { parseMaze } from '../../../src/puzzles/maze/text';
import { arbitraryMaze } from './arbitraries';

const OPEN_SQUARE = parseMaze(['S  ', ' # ', '  G'].join('\n'));

function prediction(rows: string[]): Uint8Array {
  return parseMaze(rows.join('\n')).cells;
}

describe('checkPath', () => {
  it('accepts the solver path', () => {
    fc.assert(
      fc.property(arbitraryMaze(2, 10), (maze) => {
        const solution = solveMaze(maze);
        fc.pre(solution !== null);
        const check = checkPath(maze, markPath(maze, solution?.path ?? []).cells);
        expect(check.problems).toEqual([]);
        expect(check.optimal).toBe(true);
      }),
    );
  });

  it('accepts an alternative optimal path', () => {
    const label = solveMaze(OPEN_SQUARE)?.path;
    expect(label).toEqual([0, 1, 2, 5, 8]);
    const check = checkPath(OPEN_SQUARE, prediction(['S  ', 'o# ', 'ooG']));
    expect(check.optimal).toBe(true);
    expect(check.predictedDistance).toBe(4);
  });

  it('rejects a broken path', () => {
    const check = checkPath(OPEN_SQUARE, prediction(['So ', ' # ', '  G']));
    expect(check.optimal).toBe(false);
    expect(check.predictedDistance).toBeNull();
    expect(check.breaks).toEqual([1, 8]);
    expect(check.problems.join('\n')).toMatch(
      /does not connect S to G; it breaks off at line 1, column 2 and line 3, column 3/,
    );
  });

  it('rejects a longer path', () => {
    const maze = parseMaze(['S   ', '    ', '    ', 'G   '].join('\n'));
    const check = checkPath(maze, prediction(['Soo ', '  o ', ' oo ', 'Go  ']));
    expect(check.optimal).toBe(false);
    expect(check.predictedDistance).toBe(7);
    expect(check.shortestDistance).toBe(3);
    expect(check.problems.join('\n')).toMatch(/takes 7 moves but the shortest takes 3/);
  });

  it('rejects a path through a wall', () => {
    const maze = parseMaze(['S#G', '   ', '   '].join('\n'));
    const check = checkPath(maze, prediction(['SoG', '   ', '   ']));
    expect(check.optimal).toBe(false);
    expect(check.wallCells).toEqual([1]);
    expect(check.problems.join('\n')).toMatch(/runs through walls: at line 1, column 2/);
  });

  it('rejects extra cells', () => {
    const maze = parseMaze(['S  ', '   ', 'G  '].join('\n'));
    const check = checkPath(maze, prediction(['S  ', 'o o', 'G  ']));
    expect(check.optimal).toBe(false);
    expect(check.extraCells).toEqual([5]);
    expect(check.deadEnds).toEqual([5]);
    expect(check.problems.join('\n')).toMatch(/off the route from S to G: at line 2, column 3/);
  });

  it('finds a spur dead end', () => {
    const maze = parseMaze(['S   ', '    ', '    ', 'G   '].join('\n'));
    const check = checkPath(maze, prediction(['S   ', 'ooo ', 'o   ', 'G   ']));
    expect(check.optimal).toBe(false);
    expect(check.deadEnds).toEqual([6]);
    expect(check.extraCells).toEqual([5, 6]);
  });

  it('rejects two parallel routes', () => {
    const maze = parseMaze(['S ', ' G'].join('\n'));
    const check = checkPath(maze, prediction(['So', 'oG']));
    expect(check.optimal).toBe(false);
    expect(check.extraCells).toEqual([]);
    expect(check.problems.join('\n')).toMatch(/marks 2 cells but one shortest path has 1/);
  });

  it('rejects a moved goal', () => {
    const check = checkPath(OPEN_SQUARE, prediction(['Soo', ' #G', '   ']));
    expect(check.optimal).toBe(false);
    expect(check.changedCells).toEqual([5, 8]);
    expect(check.problems.join('\n')).toMatch(
      /changes cells other than the path: 2 cells, first at line 2, column 3, where the maze has ' ' and the prediction 'G'/,
    );
  });

  it('rejects pad tokens', () => {
    const predicted = markPath(OPEN_SQUARE, [0, 1, 2, 5, 8]).cells;
    predicted[4] = 0;
    const check = checkPath(OPEN_SQUARE, predicted);
    expect(check.optimal).toBe(false);
    expect(check.problems.join('\n')).toMatch(/maze has '#' and the prediction token 0/);
  });

  it('rejects any answer to an unsolvable maze', () => {
    const maze = parseMaze(['S#', '#G'].join('\n'));
    const check = checkPath(maze, maze.cells);
    expect(check.optimal).toBe(false);
    expect(check.shortestDistance).toBeNull();
    expect(check.problems[0]).toMatch(/no path from S to G/);
  });

  it('finds the break of an untouched start', () => {
    const check = checkPath(OPEN_SQUARE, prediction(['S  ', ' # ', ' oG']));
    expect(check.breaks).toEqual([0, 7]);
    expect(check.deadEnds).toEqual([]);
  });

  it('rejects a wrong length', () => {
    expect(() => checkPath(OPEN_SQUARE, new Uint8Array(4))).toThrow(
      /4 cells for a 3×3 maze; expected 9/,
    );
  });

  it('ignores marks already in the maze', () => {
    const marked = markPath(OPEN_SQUARE, [0, 1, 2, 5, 8]);
    const check = checkPath(marked, prediction(['S  ', 'o# ', 'ooG']));
    expect(check.optimal).toBe(true);
  });

  it('rejects a random removed mark', () => {
    fc.assert(
      fc.property(arbitraryMaze(3, 10), fc.nat(), (maze, pick) => {
        const solution = solveMaze(maze);
        fc.pre(solution !== null && solution.distance >= 2);
        const path = solution?.path ?? [];
        const predicted = markPath(maze, path).cells;
        predicted[path[1 + (pick % (path.length - 2))]] = MazeCell.open;
        expect(checkPath(maze, predicted).optimal).toBe(false);
      }),
    );
  });
});
