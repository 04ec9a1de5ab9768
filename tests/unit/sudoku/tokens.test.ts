import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  gridToTokens,
  SUDOKU_BLANK_ID,
  SUDOKU_SEQ_LEN,
  SUDOKU_VOCAB_SIZE,
  tokensToGrid,
} from '../../../src/puzzles/sudoku/tokens.ts';

const gridArbitrary = fc
  .uint8Array({ minLength: 81, maxLength: 81, min: 0, max: 9 })
  .map((cells) => Uint8Array.from(cells));

describe('Sudoku tokens', () => {
  it('use the authors vocabulary', () => {
    expect(SUDOKU_VOCAB_SIZE).toBe(11);
    expect(SUDOKU_SEQ_LEN).toBe(81);
    expect(SUDOKU_BLANK_ID).toBe(1);
  });

  it('map blank to 1 and digit d to d + 1', () => {
    const grid = new Uint8Array(81);
    grid[0] = 9;
    grid[80] = 1;
    const tokens = gridToTokens(grid);

    expect(tokens[0]).toBe(10);
    expect(tokens[1]).toBe(1);
    expect(tokens[80]).toBe(2);
  });

  it('round trip', () => {
    fc.assert(
      fc.property(gridArbitrary, (grid) => {
        const tokens = gridToTokens(grid);
        expect(Math.min(...tokens)).toBeGreaterThanOrEqual(1);
        expect(Math.max(...tokens)).toBeLessThan(SUDOKU_VOCAB_SIZE);
        expect(tokensToGrid(tokens)).toEqual(grid);
      }),
    );
  });

  it('reject padding and out-of-vocabulary ids', () => {
    const tokens = new Uint8Array(81).fill(1);
    tokens[33] = 0;
    expect(() => tokensToGrid(tokens)).toThrow('invalid Sudoku token 0 at r4c7');
    tokens[33] = 11;
    expect(() => tokensToGrid(tokens)).toThrow('invalid Sudoku token 11 at r4c7');
    expect(() => tokensToGrid(new Uint8Array(80))).toThrow('expected 81 ids, found 80');
  });
});
