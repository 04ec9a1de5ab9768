// Helpers shared by the browser harness pages: a seeded random source and a comparison that
// reports the largest difference and where it is.

/** Returns a mulberry32 generator: small and seeded, so every run of a check uses the same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform values in [-scale, scale). */
export function randomArray(random: () => number, length: number, scale = 1): Float32Array {
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    values[i] = (random() * 2 - 1) * scale;
  }
  return values;
}

export interface Difference {
  /** Largest |actual - expected| / (atol + rtol * |expected|); at most 1 passes. */
  worstRatio: number;
  maxAbs: number;
  index: number;
  actual: number;
  expected: number;
  length: number;
}

export function compareArrays(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol: number,
  rtol: number,
): Difference {
  if (actual.length !== expected.length) {
    throw new Error(`length mismatch: actual ${actual.length}, expected ${expected.length}`);
  }
  let result: Difference = {
    worstRatio: 0,
    maxAbs: 0,
    index: -1,
    actual: Number.NaN,
    expected: Number.NaN,
    length: actual.length,
  };
  for (let i = 0; i < actual.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    const ratio = Number.isFinite(diff)
      ? diff / (atol + rtol * Math.abs(expected[i]))
      : Number.POSITIVE_INFINITY;
    result.maxAbs = Math.max(result.maxAbs, diff);
    if (ratio > result.worstRatio || (Number.isNaN(diff) && result.index < 0)) {
      result = {
        ...result,
        worstRatio: Number.isNaN(diff) ? Number.POSITIVE_INFINITY : ratio,
        index: i,
        actual: actual[i],
        expected: expected[i],
      };
    }
  }
  return result;
}
