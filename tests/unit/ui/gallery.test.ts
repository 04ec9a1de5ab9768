import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseSudoku } from '../../../src/puzzles/sudoku/parse';
import { solveSudoku } from '../../../src/puzzles/sudoku/solve';
import { GALLERY_SOURCES, parseGallery } from '../../../src/ui/gallery/gallery';

const FOLDER = join(import.meta.dirname, '../../../public/puzzles');
const entries = parseGallery(JSON.parse(readFileSync(join(FOLDER, 'gallery.json'), 'utf8')));

describe('gallery.json', () => {
  test('holds every puzzle taken from each source', () => {
    for (const source of GALLERY_SOURCES) {
      expect(
        entries.filter((entry) => entry.source === source.file),
        source.file,
      ).toHaveLength(source.take);
    }
  });

  test('is ordered by rating', () => {
    const ratings = entries.map((entry) => entry.rating);
    expect(ratings).toEqual([...ratings].sort((a, b) => a - b));
  });

  test('ratings match the exact solver', () => {
    // Every 16th entry keeps the test fast while covering all bands.
    for (const entry of entries.filter((_, i) => i % 16 === 0)) {
      const result = solveSudoku(parseSudoku(entry.puzzle));
      expect(result.solutionCount, entry.puzzle).toBe(1);
      expect(result.rating, entry.puzzle).toBe(entry.rating);
    }
  });

  test('each entry appears at its line in the source file', () => {
    for (const entry of entries.filter((_, i) => i % 16 === 0)) {
      const line = readFileSync(join(FOLDER, entry.source), 'utf8').split(/\r?\n/)[entry.line - 1];
      const cells = line.split('//')[0].replace(/\s/g, '').replace(/0/g, '.');
      expect(cells, `${entry.source}:${entry.line}`).toBe(entry.puzzle);
    }
  });

  test('parseGallery rejects a malformed entry', () => {
    expect(() => parseGallery({ puzzles: [{ puzzle: '123', rating: 0 }] })).toThrow(
      'invalid puzzles/gallery.json puzzles[0]',
    );
    expect(() => parseGallery({})).toThrow('expected an object with a "puzzles" array');
  });
});
