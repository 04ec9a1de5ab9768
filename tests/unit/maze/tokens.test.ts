import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clearPath, MazeCell } from '../../../src/puzzles/maze/grid';
import { solveMaze } from '../../../src/puzzles/maze/search';
import { parseMaze } from '../../../src/puzzles/maze/text';
import {
  MAZE_VOCAB_SIZE,
  mazeInputTokens,
  mazeLabelTokens,
  mazeSeqLen,
  mazeToTokens,
  tokensToMaze,
} from '../../../src/puzzles/maze/tokens';
import { arbitraryMaze } from './arbitraries';

describe('maze tokens', () => {
  it('use the authors ids', () => {
    const maze = parseMaze(['#S', 'Go'].join('\n'));
    expect(Array.from(mazeToTokens(maze))).toEqual([1, 3, 4, 5]);
    expect(MAZE_VOCAB_SIZE).toBe(6);
    expect(mazeSeqLen(30)).toBe(900);
  });

  it('round trip through tokensToMaze', () => {
    fc.assert(
      fc.property(arbitraryMaze(2, 10), (maze) => {
        expect(tokensToMaze(mazeToTokens(maze))).toEqual(maze);
      }),
    );
  });

  it('input clears path marks', () => {
    const maze = parseMaze(['So ', '#o#', ' oG'].join('\n'));
    expect(Array.from(mazeInputTokens(maze))).toEqual([3, 2, 2, 1, 2, 1, 2, 2, 4]);
  });

  it('label marks one shortest path', () => {
    fc.assert(
      fc.property(arbitraryMaze(2, 10), (maze) => {
        const solution = solveMaze(maze);
        fc.pre(solution !== null);
        const label = mazeLabelTokens(maze);
        const input = mazeInputTokens(maze);
        const marked = label.filter((id) => id === MazeCell.path).length;
        expect(marked).toBe((solution?.distance ?? 0) - 1);
        for (let cell = 0; cell < label.length; cell++) {
          if (label[cell] !== MazeCell.path) {
            expect(label[cell]).toBe(input[cell]);
          } else {
            expect(solution?.onShortestPath[cell]).toBe(1);
          }
        }
        expect(solveMaze(clearPath(tokensToMaze(label)))?.distance).toBe(solution?.distance);
      }),
    );
  });

  it('label rejects an unsolvable maze', () => {
    const maze = parseMaze(['S#', '#G'].join('\n'));
    expect(() => mazeLabelTokens(maze)).toThrow(/goal cannot be reached/);
  });

  it('tokensToMaze names a pad position', () => {
    expect(() => tokensToMaze([3, 2, 0, 4])).toThrow(
      /invalid maze token 0 at position 2 \(line 2, column 1\).*0 is padding/,
    );
  });

  it('tokensToMaze rejects ids above 5', () => {
    expect(() => tokensToMaze([3, 2, 6, 4])).toThrow(/invalid maze token 6 at position 2/);
  });

  it('tokensToMaze rejects a non-square length', () => {
    expect(() => tokensToMaze([3, 2, 4])).toThrow(/length 3 is not seq_len/);
  });

  it('tokensToMaze rejects two starts', () => {
    expect(() => tokensToMaze([3, 3, 2, 4])).toThrow(/2 'S' \(start\) cells found/);
  });
});
