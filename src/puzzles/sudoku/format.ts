import { assertGrid, BOX_SIZE, GRID_SIZE } from './grid.ts';

/** Writes a grid as one 81-character line, with `blank` (default `.`) for empty cells. */
export function formatSudokuLine(grid: Uint8Array, blank = '.'): string {
  assertGrid(grid);

  let line = '';
  for (const digit of grid) line += digit === 0 ? blank : String(digit);

  return line;
}

/**
 * Writes a grid as nine lines with box separators, e.g.
 * `4 . . | . . . | 8 . 5`, and `------+-------+------` between bands. No trailing newline.
 */
export function formatSudokuGrid(grid: Uint8Array, blank = '.'): string {
  assertGrid(grid);

  const lines: string[] = [];
  for (let row = 0; row < GRID_SIZE; row++) {
    if (row > 0 && row % BOX_SIZE === 0) lines.push('------+-------+------');

    const boxes: string[] = [];
    for (let box = 0; box < BOX_SIZE; box++) {
      const cells: string[] = [];
      for (let i = 0; i < BOX_SIZE; i++) {
        const digit = grid[row * GRID_SIZE + box * BOX_SIZE + i];
        cells.push(digit === 0 ? blank : String(digit));
      }
      boxes.push(cells.join(' '));
    }
    lines.push(boxes.join(' | '));
  }

  return lines.join('\n');
}
