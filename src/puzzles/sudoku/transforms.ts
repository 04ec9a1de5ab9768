// Symmetries of Sudoku that map every valid grid to a valid grid with the same number of
// solutions: relabel digits, transpose, reorder the three bands (row triples) and the rows
// inside each band, and likewise the stacks (column triples) and the columns inside each stack.
// These are the augmentations of the authors' build_sudoku_dataset.py.

import type { Rng } from '../random.ts';
import { randomPermutation } from '../random.ts';
import { assertGrid, BOX_SIZE, CELL_COUNT, GRID_SIZE } from './grid.ts';

/**
 * One composed symmetry. Applying it to grid x gives y with
 * y[r][c] = digitMap[t[rowOrder[r]][columnOrder[c]]], where t is x transposed when `transpose`
 * is set and x otherwise.
 */
export interface SudokuTransform {
  /** digitMap[d] is the new digit for d; digitMap[0] must be 0 so blanks stay blank. [10] */
  digitMap: Uint8Array;
  transpose: boolean;
  /** Source row of each output row; must move whole bands and keep rows inside their band. [9] */
  rowOrder: Uint8Array;
  /** Source column of each output column, with the same rule for stacks. [9] */
  columnOrder: Uint8Array;
}

export function identityTransform(): SudokuTransform {
  return {
    digitMap: Uint8Array.from({ length: 10 }, (_, d) => d),
    transpose: false,
    rowOrder: Uint8Array.from({ length: GRID_SIZE }, (_, i) => i),
    columnOrder: Uint8Array.from({ length: GRID_SIZE }, (_, i) => i),
  };
}

/** Builds a line order that moves band `bandOrder[b]` to position b and permutes rows inside. */
export function bandPreservingOrder(
  bandOrder: ArrayLike<number>,
  orderInsideBand: ArrayLike<ArrayLike<number>>,
): Uint8Array {
  const order = new Uint8Array(GRID_SIZE);

  for (let band = 0; band < BOX_SIZE; band++) {
    for (let i = 0; i < BOX_SIZE; i++) {
      order[band * BOX_SIZE + i] = bandOrder[band] * BOX_SIZE + orderInsideBand[band][i];
    }
  }
  assertBandPreserving(order, 'line order');

  return order;
}

function assertPermutation(values: ArrayLike<number>, size: number, name: string): void {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) seen.add(values[i]);

  const inRange = Array.from(seen).every((v) => Number.isInteger(v) && v >= 0 && v < size);
  if (values.length !== size || seen.size !== size || !inRange) {
    throw new Error(
      `invalid ${name}: [${Array.from(values).join(', ')}] must be a permutation of 0..${size - 1}`,
    );
  }
}

/** Checks that a row or column order keeps each band's (or stack's) lines together. */
function assertBandPreserving(order: ArrayLike<number>, name: string): void {
  assertPermutation(order, GRID_SIZE, name);

  for (let band = 0; band < BOX_SIZE; band++) {
    const sourceBand = Math.floor(order[band * BOX_SIZE] / BOX_SIZE);
    for (let i = 1; i < BOX_SIZE; i++) {
      if (Math.floor(order[band * BOX_SIZE + i] / BOX_SIZE) !== sourceBand) {
        throw new Error(
          `invalid ${name}: [${Array.from(order).join(', ')}] splits a band or stack; ` +
            'positions 3b..3b+2 must come from one source band',
        );
      }
    }
  }
}

/** Throws an error naming the field when `transform` would break Sudoku validity. */
export function assertValidTransform(transform: SudokuTransform): void {
  const { digitMap } = transform;
  if (digitMap.length !== 10 || digitMap[0] !== 0) {
    throw new Error(
      'invalid digitMap: expected 10 entries with digitMap[0] = 0 (blank stays blank)',
    );
  }
  assertPermutation(
    Array.from(digitMap.subarray(1), (d) => d - 1),
    GRID_SIZE,
    'digitMap[1..9] minus one',
  );
  assertBandPreserving(transform.rowOrder, 'rowOrder');
  assertBandPreserving(transform.columnOrder, 'columnOrder');
}

/** Applies a transform to a puzzle or solution grid and returns a new grid. */
export function applyTransform(grid: Uint8Array, transform: SudokuTransform): Uint8Array {
  assertGrid(grid);

  const { digitMap, transpose, rowOrder, columnOrder } = transform;
  const output = new Uint8Array(CELL_COUNT);

  for (let row = 0; row < GRID_SIZE; row++) {
    for (let column = 0; column < GRID_SIZE; column++) {
      const sourceRow = rowOrder[row];
      const sourceColumn = columnOrder[column];

      // Reading t[r][c] of the transposed grid is reading x[c][r].
      const sourceCell = transpose
        ? sourceColumn * GRID_SIZE + sourceRow
        : sourceRow * GRID_SIZE + sourceColumn;
      output[row * GRID_SIZE + column] = digitMap[grid[sourceCell]];
    }
  }

  return output;
}

function invertPermutation(order: Uint8Array): Uint8Array {
  const inverse = new Uint8Array(order.length);
  for (let i = 0; i < order.length; i++) inverse[order[i]] = i;

  return inverse;
}

/**
 * Returns the transform that undoes `transform`. Because transposing swaps the roles of rows
 * and columns, the inverse of a transposing transform takes its row order from the inverse
 * column order and vice versa.
 */
export function invertTransform(transform: SudokuTransform): SudokuTransform {
  const inverseRows = invertPermutation(transform.rowOrder);
  const inverseColumns = invertPermutation(transform.columnOrder);

  return {
    digitMap: invertPermutation(transform.digitMap),
    transpose: transform.transpose,
    rowOrder: transform.transpose ? inverseColumns : inverseRows,
    columnOrder: transform.transpose ? inverseRows : inverseColumns,
  };
}

/** Relabels digit d as `newDigits[d - 1]`; `newDigits` is a permutation of 1..9. */
export function digitPermutation(newDigits: ArrayLike<number>): SudokuTransform {
  const transform = {
    ...identityTransform(),
    digitMap: Uint8Array.from([0, ...Array.from(newDigits)]),
  };
  assertValidTransform(transform);

  return transform;
}

/** Swaps rows and columns. */
export function transposition(): SudokuTransform {
  return { ...identityTransform(), transpose: true };
}

/** Reorders bands and the rows inside each band; see bandPreservingOrder for the arguments. */
export function rowShuffle(
  bandOrder: ArrayLike<number>,
  orderInsideBand: ArrayLike<ArrayLike<number>>,
): SudokuTransform {
  return { ...identityTransform(), rowOrder: bandPreservingOrder(bandOrder, orderInsideBand) };
}

/** Reorders stacks and the columns inside each stack, like rowShuffle does for rows. */
export function columnShuffle(
  stackOrder: ArrayLike<number>,
  orderInsideStack: ArrayLike<ArrayLike<number>>,
): SudokuTransform {
  return { ...identityTransform(), columnOrder: bandPreservingOrder(stackOrder, orderInsideStack) };
}

function randomBandPreservingOrder(rng: Rng): Uint8Array {
  const bandOrder = randomPermutation(rng, BOX_SIZE);
  const insideOrders = [0, 1, 2].map(() => randomPermutation(rng, BOX_SIZE));

  return bandPreservingOrder(bandOrder, insideOrders);
}

/**
 * Draws a random augmentation as the authors do: a uniform digit relabelling, a transpose with
 * probability 1/2, and uniform band/row and stack/column orders.
 */
export function randomTransform(rng: Rng): SudokuTransform {
  const digits = randomPermutation(rng, GRID_SIZE);

  return {
    digitMap: Uint8Array.from([0, ...digits.map((d) => d + 1)]),
    transpose: rng() < 0.5,
    rowOrder: randomBandPreservingOrder(rng),
    columnOrder: randomBandPreservingOrder(rng),
  };
}
