import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DIHEDRAL_INVERSE,
  inverseTransformMaze,
  transformMaze,
  transformSquare,
} from '../../../src/puzzles/maze/dihedral';
import { findEndpoints } from '../../../src/puzzles/maze/grid';
import { solveMaze } from '../../../src/puzzles/maze/search';
import { arbitraryMaze } from './arbitraries';

// Outputs of the authors' dihedral_transform (dataset/common.py, numpy) on arange(9).reshape(3, 3),
// flattened row-major.
const NUMPY_3X3 = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8],
  [2, 5, 8, 1, 4, 7, 0, 3, 6],
  [8, 7, 6, 5, 4, 3, 2, 1, 0],
  [6, 3, 0, 7, 4, 1, 8, 5, 2],
  [2, 1, 0, 5, 4, 3, 8, 7, 6],
  [6, 7, 8, 3, 4, 5, 0, 1, 2],
  [0, 3, 6, 1, 4, 7, 2, 5, 8],
  [8, 5, 2, 7, 4, 1, 6, 3, 0],
];

const transformIds = fc.integer({ min: 0, max: 7 });

describe('dihedral transforms', () => {
  it('match the authors numbering', () => {
    const values = Uint8Array.from({ length: 9 }, (_, i) => i);
    NUMPY_3X3.forEach((expected, transformId) => {
      expect(
        Array.from(transformSquare(values, 3, transformId)),
        `transform ${transformId}`,
      ).toEqual(expected);
    });
  });

  it('inverse restores the maze', () => {
    fc.assert(
      fc.property(arbitraryMaze(2, 9), transformIds, (maze, transformId) => {
        const restored = inverseTransformMaze(transformMaze(maze, transformId), transformId);
        expect(restored).toEqual(maze);
      }),
    );
  });

  it('inverse table composes to identity', () => {
    const values = Uint8Array.from({ length: 16 }, (_, i) => i);
    DIHEDRAL_INVERSE.forEach((inverse, transformId) => {
      const transformed = transformSquare(values, 4, transformId);
      expect(Array.from(transformSquare(transformed, 4, inverse))).toEqual(Array.from(values));
    });
  });

  it('all eight transforms differ', () => {
    const values = Uint8Array.from({ length: 16 }, (_, i) => i);
    const outputs = new Set(
      [0, 1, 2, 3, 4, 5, 6, 7].map((t) => Array.from(transformSquare(values, 4, t)).join(',')),
    );
    expect(outputs.size).toBe(8);
  });

  it('keeps the shortest distance', () => {
    fc.assert(
      fc.property(arbitraryMaze(2, 9), transformIds, (maze, transformId) => {
        const before = solveMaze(maze);
        const after = solveMaze(transformMaze(maze, transformId));
        expect(after?.distance ?? null).toBe(before?.distance ?? null);
        expect(() => findEndpoints(transformMaze(maze, transformId))).not.toThrow();
      }),
    );
  });

  it('rejects a bad transform id', () => {
    const values = new Uint8Array(4);
    for (const bad of [-1, 8, 1.5, Number.NaN]) {
      expect(() => transformSquare(values, 2, bad)).toThrow(/invalid dihedral transform id/);
    }
  });

  it('rejects a non-square array', () => {
    expect(() => transformSquare(new Uint8Array(5), 2, 0)).toThrow(/5 values for size 2/);
  });
});
