// Seeded pseudo-random numbers shared by the puzzle generators, so that a seed reproduces the
// same puzzles on every machine and in every JavaScript engine.

/** A source of uniform floats in [0, 1), as returned by `createRng`. */
export type Rng = () => number;

/**
 * Creates a mulberry32 generator (Tommy Ettinger's 32-bit mixer) seeded with `seed`.
 *
 * Only the low 32 bits of the seed count, so seeds that differ by a multiple of 2^32 give the
 * same stream. mulberry32 is fast and statistically adequate for shuffles and sampling, and is
 * not for cryptography.
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed) || !Number.isInteger(seed)) {
    throw new Error(`invalid seed: ${seed}; use an integer`);
  }

  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    // 32 random bits divided by 2^32 land in [0, 1).
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns an integer drawn uniformly from 0 to n - 1. */
export function randomInt(rng: Rng, n: number): number {
  if (!Number.isInteger(n) || n <= 0) {
    throw new Error(`invalid range size for randomInt: ${n}; use a positive integer`);
  }

  return Math.floor(rng() * n);
}

/** Shuffles an array or typed array in place with the Fisher-Yates algorithm and returns it. */
export function shuffleInPlace<S extends { length: number; [index: number]: unknown }>(
  rng: Rng,
  items: S,
): S {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const swap = items[i];
    items[i] = items[j];
    items[j] = swap;
  }

  return items;
}

/** Returns a uniformly random permutation of 0 .. n - 1. */
export function randomPermutation(rng: Rng, n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);

  return shuffleInPlace(rng, order);
}

/** Derives an independent seed for a sub-stream, e.g. one per data set split or puzzle. */
export function deriveSeed(seed: number, stream: number): number {
  // A splitmix32-style finalizer spreads nearby (seed, stream) pairs apart.
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(stream >>> 0, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad);
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97);

  return (h ^ (h >>> 15)) >>> 0;
}
