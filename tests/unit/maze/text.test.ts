import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateMazes } from '../../../src/puzzles/maze/generate';
import { MazeCell, MazeFormatError, validateMaze } from '../../../src/puzzles/maze/grid';
import { formatMaze, formatMazeRow, parseMaze, parseMazeRow } from '../../../src/puzzles/maze/text';
import { arbitraryMaze } from './arbitraries';

describe('maze text', () => {
  it('round trips lines', () => {
    fc.assert(
      fc.property(arbitraryMaze(2, 12), (maze) => {
        expect(parseMaze(formatMaze(maze))).toEqual(maze);
      }),
    );
  });

  it('round trips a generated 30×30 maze', () => {
    const [maze] = generateMazes(2, 1, { size: 30 });
    const text = formatMaze(maze);
    expect(text.split('\n')).toHaveLength(30);
    expect(parseMaze(text)).toEqual(maze);
    expect(parseMazeRow(formatMazeRow(maze))).toEqual(maze);
  });

  it('round trips a CSV row', () => {
    fc.assert(
      fc.property(arbitraryMaze(2, 12), (maze) => {
        expect(parseMazeRow(formatMazeRow(maze))).toEqual(maze);
      }),
    );
  });

  it('parses the charset', () => {
    const maze = parseMaze('#S \no G\n## ');
    expect(maze.size).toBe(3);
    expect(Array.from(maze.cells)).toEqual([1, 3, 2, 5, 2, 4, 1, 1, 2]);
    expect(maze.cells[1]).toBe(MazeCell.start);
  });

  it('accepts CRLF and a final newline', () => {
    expect(parseMaze('S#\r\n G\r\n')).toEqual(parseMaze('S#\n G'));
  });

  it('keeps trailing spaces', () => {
    expect(formatMaze(parseMaze('S  \n## \nG  '))).toBe('S  \n## \nG  ');
  });

  it('rejects an empty text', () => {
    expect(() => parseMaze('')).toThrow(/the text is empty/);
  });

  it('rejects an unknown character', () => {
    expect(() => parseMaze('S#\n.G')).toThrow(
      "invalid maze: line 2, column 1 has '.' (U+002E); use only",
    );
  });

  it('names a tab', () => {
    expect(() => parseMaze('S\t\n G')).toThrow(/line 1, column 2 has a tab/);
  });

  it('rejects ragged lines', () => {
    expect(() => parseMaze('S  \n#\nG  ')).toThrow(
      /line 2 has 1 cells but line 1 has 3; every line needs the same number of cells/,
    );
  });

  it('rejects a non-square grid', () => {
    expect(() => parseMaze('S  \n  G')).toThrow(/found 2 lines of 3 cells; a maze must be square/);
  });

  it('rejects a missing start', () => {
    expect(() => parseMaze('  \n G')).toThrow(/no 'S' \(start\) cell found; mark exactly one/);
  });

  it('rejects a missing goal', () => {
    expect(() => parseMaze('S \n  ')).toThrow(/no 'G' \(goal\) cell found/);
  });

  it('lists repeated goals', () => {
    expect(() => parseMaze('SG\nGG')).toThrow(
      "invalid maze: 3 'G' (goal) cells found, at line 1, column 2; line 2, column 1; " +
        "line 2, column 2; keep exactly one 'G'",
    );
  });

  it('rejects a one-cell maze', () => {
    expect(() => parseMaze('S')).toThrow(MazeFormatError);
    expect(() => parseMaze('S')).toThrow(/a 1×1 grid cannot hold both 'S' and 'G'/);
  });

  it('rejects a row of non-square length', () => {
    expect(() => parseMazeRow('S G')).toThrow(/3 characters is not the square/);
  });

  it('rejects a bad row character', () => {
    expect(() => parseMazeRow('S Gx')).toThrow(/line 2, column 2 has 'x'/);
  });

  it('validateMaze rejects a bad cell code', () => {
    expect(() => validateMaze({ size: 2, cells: Uint8Array.from([3, 4, 2, 9]) })).toThrow(
      /cell code 9 at line 2, column 2/,
    );
  });

  it('validateMaze rejects a wrong cell count', () => {
    expect(() => validateMaze({ size: 3, cells: Uint8Array.from([3, 4]) })).toThrow(
      /2 cells for size 3; expected 9/,
    );
  });
});
