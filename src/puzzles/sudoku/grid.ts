// Geometry of the 9×9 grid: cells are numbered 0..80 row-major, digits are 1..9 and 0 is a blank.

export const GRID_SIZE = 9;
export const BOX_SIZE = 3;
export const CELL_COUNT = 81;

/** Candidate bitmask with all nine digits: bit d - 1 stands for digit d. */
export const ALL_DIGITS_MASK = 0x1ff;

export function rowOf(cell: number): number {
  return Math.floor(cell / GRID_SIZE);
}

export function columnOf(cell: number): number {
  return cell % GRID_SIZE;
}

export function boxOf(cell: number): number {
  return Math.floor(rowOf(cell) / BOX_SIZE) * BOX_SIZE + Math.floor(columnOf(cell) / BOX_SIZE);
}

/** Names a cell in the usual 1-based rXcY notation, e.g. cell 33 is r4c7. */
export function cellName(cell: number): string {
  return `r${rowOf(cell) + 1}c${columnOf(cell) + 1}`;
}

function buildUnits(): Uint8Array[] {
  const units: Uint8Array[] = [];

  for (let row = 0; row < GRID_SIZE; row++) {
    units.push(Uint8Array.from({ length: GRID_SIZE }, (_, c) => row * GRID_SIZE + c));
  }
  for (let column = 0; column < GRID_SIZE; column++) {
    units.push(Uint8Array.from({ length: GRID_SIZE }, (_, r) => r * GRID_SIZE + column));
  }
  for (let box = 0; box < GRID_SIZE; box++) {
    const top = Math.floor(box / BOX_SIZE) * BOX_SIZE;
    const left = (box % BOX_SIZE) * BOX_SIZE;
    units.push(
      Uint8Array.from(
        { length: GRID_SIZE },
        (_, i) => (top + Math.floor(i / BOX_SIZE)) * GRID_SIZE + left + (i % BOX_SIZE),
      ),
    );
  }

  return units;
}

/** The 27 units: rows 0..8, then columns 0..8, then boxes 0..8, each listing its 9 cells. */
export const UNITS: readonly Uint8Array[] = buildUnits();

function buildPeers(): Uint8Array[] {
  const peers: Uint8Array[] = [];

  for (let cell = 0; cell < CELL_COUNT; cell++) {
    const cellPeers: number[] = [];
    for (let other = 0; other < CELL_COUNT; other++) {
      const shares =
        rowOf(other) === rowOf(cell) ||
        columnOf(other) === columnOf(cell) ||
        boxOf(other) === boxOf(cell);
      if (other !== cell && shares) cellPeers.push(other);
    }
    peers.push(Uint8Array.from(cellPeers));
  }

  return peers;
}

/** For each cell, the 20 other cells that share its row, column or box. */
export const PEERS: readonly Uint8Array[] = buildPeers();

/** Counts the clues (non-zero cells) of a grid. */
export function countClues(grid: Uint8Array): number {
  let clues = 0;
  for (let cell = 0; cell < CELL_COUNT; cell++) {
    if (grid[cell] !== 0) clues++;
  }

  return clues;
}

/** Checks that a value is a Uint8Array(81) of digits 0..9, throwing an error that names the fault. */
export function assertGrid(grid: Uint8Array, name = 'grid'): void {
  if (!(grid instanceof Uint8Array) || grid.length !== CELL_COUNT) {
    const found = grid instanceof Uint8Array ? `length ${grid.length}` : typeof grid;
    throw new Error(`invalid ${name}: expected a Uint8Array of 81 cells, found ${found}`);
  }

  for (let cell = 0; cell < CELL_COUNT; cell++) {
    if (grid[cell] > 9) {
      throw new Error(`invalid ${name}: ${cellName(cell)} is ${grid[cell]}; cells must be 0..9`);
    }
  }
}
