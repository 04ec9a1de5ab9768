// Difficulty bands over the solver's rating (backtracks before the first solution in the
// search order documented in solve.ts). Ranges are inclusive. For scale, as measured with
// this solver: about half of randomly generated minimal puzzles rate 0, and the magictour
// top-1465 collection has a median of 18 and a 90th percentile of 109.

export interface DifficultyBand {
  name: DifficultyBandName;
  minRating: number;
  /** Inclusive; Infinity for the open top band. */
  maxRating: number;
}

export type DifficultyBandName = 'easy' | 'medium' | 'hard' | 'extreme';

/** Rating 0: the search never undoes a guess (most puzzles here need no guess at all). */
export const EASY_BAND: DifficultyBand = { name: 'easy', minRating: 0, maxRating: 0 };

/** Ratings 1..9. */
export const MEDIUM_BAND: DifficultyBand = { name: 'medium', minRating: 1, maxRating: 9 };

/** Ratings 10..99; about 4% of random minimal puzzles. */
export const HARD_BAND: DifficultyBand = { name: 'hard', minRating: 10, maxRating: 99 };

/** Ratings of 100 and more; about a tenth of magictour top-1465, and rare among generated ones. */
export const EXTREME_BAND: DifficultyBand = {
  name: 'extreme',
  minRating: 100,
  maxRating: Number.POSITIVE_INFINITY,
};

export const DIFFICULTY_BANDS: readonly DifficultyBand[] = [
  EASY_BAND,
  MEDIUM_BAND,
  HARD_BAND,
  EXTREME_BAND,
];

export const DIFFICULTY_BAND_NAMES: readonly DifficultyBandName[] = DIFFICULTY_BANDS.map(
  (band) => band.name,
);

/** Returns the band whose range contains `rating`. */
export function bandOfRating(rating: number): DifficultyBand {
  if (!Number.isInteger(rating) || rating < 0) {
    throw new Error(`invalid difficulty rating: ${rating}; ratings are non-negative integers`);
  }

  const band = DIFFICULTY_BANDS.find((b) => rating >= b.minRating && rating <= b.maxRating);
  if (!band) throw new Error(`difficulty rating ${rating} falls in no band`);

  return band;
}

/** Looks up a band by name, rejecting unknown names with the list of valid ones. */
export function bandByName(name: string): DifficultyBand {
  const band = DIFFICULTY_BANDS.find((b) => b.name === name);
  if (!band) {
    throw new Error(
      `unknown difficulty band: ${JSON.stringify(name)}; use one of ${DIFFICULTY_BAND_NAMES.join(', ')}`,
    );
  }

  return band;
}
