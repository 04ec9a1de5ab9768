// Builds public/puzzles/gallery.json from the published Sudoku collections copied into
// public/puzzles/: every puzzle with its source file, line and the exact solver's difficulty
// rating, ordered from easiest to hardest. Run: npx tsx src/ui/gallery/build-gallery.ts

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatSudokuLine } from '../../puzzles/sudoku/format';
import { parseSudokuText } from '../../puzzles/sudoku/parse';
import { solveSudoku } from '../../puzzles/sudoku/solve';
import { GALLERY_SOURCES, type GalleryEntry } from './gallery';

const folder = join(import.meta.dirname, '../../../public/puzzles');

const entries: GalleryEntry[] = [];
for (const source of GALLERY_SOURCES) {
  const text = readFileSync(join(folder, source.file), 'utf8');
  const parsed = parseSudokuText(text).slice(0, source.take);
  for (const { puzzle, line } of parsed) {
    const result = solveSudoku(puzzle);
    if (result.solutionCount !== 1) {
      throw new Error(
        `${source.file} line ${line}: expected one solution, found ${result.solutionCount}`,
      );
    }
    entries.push({
      puzzle: formatSudokuLine(puzzle),
      source: source.file,
      line,
      rating: result.rating,
    });
  }
}

// Stable sort: equal ratings keep the order of the sources and lines.
entries.sort((a, b) => a.rating - b.rating);
writeFileSync(join(folder, 'gallery.json'), `${JSON.stringify({ puzzles: entries }, null, 0)}\n`);
console.log(`wrote ${entries.length} puzzles to public/puzzles/gallery.json`);
