// The Sudoku gallery: published puzzle collections served from public/puzzles/, listed in
// public/puzzles/gallery.json with their source and difficulty rating (see build-gallery.ts).

export interface GallerySource {
  /** File name under public/puzzles/. */
  file: string;
  /** Publication of the collection: repository and path. */
  origin: string;
  /** Puzzles taken from the start of the file. */
  take: number;
}

/** Collections in the gallery, as published (sources in public/puzzles/SOURCES.md). */
export const GALLERY_SOURCES: readonly GallerySource[] = [
  { file: 'easy50-grids.txt', origin: 'wesc111/sudoku_numpy, easy_50.txt', take: 50 },
  { file: 'norvig-top95.txt', origin: "Peter Norvig's top95, via wesc111/sudoku_numpy", take: 95 },
  {
    file: 'norvig-hardest.txt',
    origin: "Peter Norvig's hardest, via wesc111/sudoku_numpy",
    take: 11,
  },
  // The whole top-1465 set would make a list too long to browse; its first 100 are kept.
  {
    file: 'magictour-top1465.txt',
    origin: 'magictour top 1465, via balmerdx/sudoku_pytorch',
    take: 100,
  },
];

export interface GalleryEntry {
  /** 81 characters, `.` for blanks. */
  puzzle: string;
  /** File name under public/puzzles/. */
  source: string;
  /** 1-based line in the source file. */
  line: number;
  /** Exact solver backtracks before the first solution. */
  rating: number;
}

/** Validates the parsed contents of gallery.json. */
export function parseGallery(json: unknown): GalleryEntry[] {
  const puzzles = (json as { puzzles?: unknown })?.puzzles;
  if (!Array.isArray(puzzles))
    throw new Error('invalid puzzles/gallery.json: expected an object with a "puzzles" array');
  return puzzles.map((raw, i) => {
    const entry = raw as GalleryEntry;
    if (
      typeof entry.puzzle !== 'string' ||
      entry.puzzle.length !== 81 ||
      typeof entry.rating !== 'number'
    ) {
      throw new Error(
        `invalid puzzles/gallery.json puzzles[${i}]: expected { puzzle: 81 characters, source, line, rating }`,
      );
    }
    return entry;
  });
}
