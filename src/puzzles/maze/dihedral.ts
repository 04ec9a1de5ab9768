// The 8 symmetries of a square (rotations and reflections), numbered as in the authors'
// dataset/common.py so augmented data matches theirs: 0 identity, 1 rot90 (counter-clockwise,
// numpy.rot90 k=1), 2 rot180, 3 rot270, 4 left-right flip, 5 up-down flip, 6 transpose,
// 7 anti-diagonal reflection (left-right flip of rot90).

import type { MazeGrid } from './grid';

export const DIHEDRAL_TRANSFORM_COUNT = 8;

/** DIHEDRAL_INVERSE[t] undoes transform t: the rotations by 90 and 270 degrees swap. */
export const DIHEDRAL_INVERSE: readonly number[] = [0, 3, 2, 1, 4, 5, 6, 7];

function checkTransformId(transformId: number): void {
  if (
    !Number.isInteger(transformId) ||
    transformId < 0 ||
    transformId >= DIHEDRAL_TRANSFORM_COUNT
  ) {
    throw new RangeError(
      `invalid dihedral transform id: ${transformId}; use a whole number from 0 to ` +
        `${DIHEDRAL_TRANSFORM_COUNT - 1}`,
    );
  }
}

/**
 * Returns the input cell that transform `transformId` moves to output cell (row, column) of a
 * size × size grid, as a row-major index.
 */
export function dihedralSourceCell(
  size: number,
  transformId: number,
  row: number,
  column: number,
): number {
  const last = size - 1;
  switch (transformId) {
    case 0:
      return row * size + column;
    case 1:
      return column * size + (last - row);
    case 2:
      return (last - row) * size + (last - column);
    case 3:
      return (last - column) * size + row;
    case 4:
      return row * size + (last - column);
    case 5:
      return (last - row) * size + column;
    case 6:
      return column * size + row;
    case 7:
      return (last - column) * size + (last - row);
    default:
      throw new RangeError(`invalid dihedral transform id: ${transformId}; use 0 to 7`);
  }
}

/** Applies a transform to a row-major square array, [size * size], returning a new array. */
export function transformSquare(values: Uint8Array, size: number, transformId: number): Uint8Array {
  checkTransformId(transformId);
  if (values.length !== size * size) {
    throw new RangeError(
      `invalid square array: ${values.length} values for size ${size}; expected ${size * size}`,
    );
  }

  const out = new Uint8Array(values.length);
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      out[row * size + column] = values[dihedralSourceCell(size, transformId, row, column)];
    }
  }

  return out;
}

export function transformMaze(grid: MazeGrid, transformId: number): MazeGrid {
  return { size: grid.size, cells: transformSquare(grid.cells, grid.size, transformId) };
}

/** Undoes `transformMaze(grid, transformId)`. */
export function inverseTransformMaze(grid: MazeGrid, transformId: number): MazeGrid {
  checkTransformId(transformId);

  return transformMaze(grid, DIHEDRAL_INVERSE[transformId]);
}
