import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPECTED_PUZZLE_COUNTS, PUBLIC_SUDOKU_DIR, SHARED_SUDOKU_DIR } from './shared-data.ts';

describe('gallery copies of the published collections', () => {
  for (const name of Object.keys(EXPECTED_PUZZLE_COUNTS)) {
    it.skipIf(!existsSync(SHARED_SUDOKU_DIR))(`${name} matches the shared original`, () => {
      const original = readFileSync(join(SHARED_SUDOKU_DIR, name));
      const copy = readFileSync(join(PUBLIC_SUDOKU_DIR, name));
      expect(copy.equals(original)).toBe(true);
    });
  }
});
