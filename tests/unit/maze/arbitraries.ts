// fast-check generators of small mazes for the maze property tests.

import fc from 'fast-check';
import { MazeCell, type MazeGrid } from '../../../src/puzzles/maze/grid';

/**
 * Random square mazes of side `minSize`..`maxSize`: each cell is a wall with probability about
 * `wallShare`, and S and G sit on two distinct cells. The goal is not always reachable.
 */
export function arbitraryMaze(minSize = 2, maxSize = 8, wallShare = 0.3): fc.Arbitrary<MazeGrid> {
  return fc.integer({ min: minSize, max: maxSize }).chain((size) => {
    const count = size * size;

    return fc
      .tuple(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
          minLength: count,
          maxLength: count,
        }),
        fc.integer({ min: 0, max: count - 1 }),
        fc.integer({ min: 0, max: count - 2 }),
      )
      .map(([draws, start, offset]) => {
        const cells = Uint8Array.from(draws, (draw) =>
          draw < wallShare ? MazeCell.wall : MazeCell.open,
        );
        const goal = (start + 1 + offset) % count;
        cells[start] = MazeCell.start;
        cells[goal] = MazeCell.goal;

        return { size, cells };
      });
  });
}
