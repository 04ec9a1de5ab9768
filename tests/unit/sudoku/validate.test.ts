import { describe, expect, it } from 'vitest';
import { parseSudoku } from '../../../src/puzzles/sudoku/parse.ts';
import { findClueConflicts, validateSudoku } from '../../../src/puzzles/sudoku/validate.ts';

const NORVIG_FIRST =
  '4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......';

function withClues(clues: Record<string, number>): Uint8Array {
  const grid = new Uint8Array(81);
  for (const [name, digit] of Object.entries(clues)) {
    const match = /^r(\d)c(\d)$/.exec(name);
    if (!match) throw new Error(`bad cell name ${name}`);
    grid[(Number(match[1]) - 1) * 9 + Number(match[2]) - 1] = digit;
  }
  return grid;
}

describe('validateSudoku', () => {
  it('names row conflicts in r4c7 style', () => {
    const result = validateSudoku(withClues({ r4c2: 5, r4c7: 5 }));

    expect(result.status).toBe('conflict');
    expect(result.conflicts).toHaveLength(1);
    expect(result.conflicts[0].cells).toEqual([28, 33]);
    expect(result.message).toBe('clue conflict: 5 at r4c2 and r4c7 share row 4');
  });

  it('names column and box conflicts', () => {
    const conflicts = findClueConflicts(withClues({ r1c1: 3, r9c1: 3, r5c5: 7, r6c6: 7 }));

    expect(conflicts.map((c) => c.message)).toEqual([
      '3 at r1c1 and r9c1 share column 1',
      '7 at r5c5 and r6c6 share box 5',
    ]);
  });

  it('counts extra conflicts in the message', () => {
    const result = validateSudoku(withClues({ r1c1: 1, r1c2: 1, r1c3: 1 }));

    expect(result.conflicts).toHaveLength(3);
    expect(result.message).toContain('(and 2 more)');
  });

  it('detects no solution without direct conflicts', () => {
    // Row 1 contains 1..8 and column 1 contains 9, so no digit fits in r1c1.
    const grid = withClues({
      r1c2: 1,
      r1c3: 2,
      r1c4: 3,
      r1c5: 4,
      r1c6: 5,
      r1c7: 6,
      r1c8: 7,
      r1c9: 8,
      r2c1: 9,
    });
    const result = validateSudoku(grid);

    expect(result.conflicts).toEqual([]);
    expect(result.status).toBe('no-solution');
    expect(result.solution).toBeNull();
  });

  it('detects several solutions', () => {
    const puzzle = parseSudoku(NORVIG_FIRST);
    puzzle[0] = 0;
    puzzle[6] = 0;
    const result = validateSudoku(puzzle);

    expect(result.status).toBe('multiple-solutions');
    expect(result.message).toMatch(/several solutions/);
  });

  it('accepts a unique puzzle', () => {
    const result = validateSudoku(parseSudoku(NORVIG_FIRST));

    expect(result.status).toBe('unique');
    expect(result.solution).not.toBeNull();
  });
});
