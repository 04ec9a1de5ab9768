import { describe, expect, it } from 'vitest';
import {
  createRng,
  deriveSeed,
  randomInt,
  randomPermutation,
  shuffleInPlace,
} from '../../../src/puzzles/random.ts';

describe('createRng', () => {
  it('reproduces a stream by seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const first = Array.from({ length: 5 }, () => a());

    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const rng = createRng(1);
    const buckets = new Array(10).fill(0);
    let min = 1;
    let max = 0;
    for (let i = 0; i < 20_000; i++) {
      const value = rng();
      min = Math.min(min, value);
      max = Math.max(max, value);
      buckets[Math.floor(value * 10)]++;
    }

    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);

    // Each bucket expects 2000; 200 is more than six standard deviations.
    for (const count of buckets) expect(Math.abs(count - 2000)).toBeLessThan(200);
  });

  it('rejects non-integer seeds', () => {
    expect(() => createRng(1.5)).toThrow('invalid seed: 1.5');
    expect(() => createRng(Number.NaN)).toThrow('invalid seed');
  });
});

describe('randomInt', () => {
  it('covers 0 to n - 1', () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(randomInt(rng, 7));

    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('rejects empty ranges', () => {
    expect(() => randomInt(createRng(1), 0)).toThrow('invalid range size for randomInt: 0');
  });
});

describe('permutations', () => {
  it('shuffle keeps the elements', () => {
    const shuffled = shuffleInPlace(createRng(5), Uint8Array.from([1, 2, 3, 4, 5, 6]));
    expect(Array.from(shuffled).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(randomPermutation(createRng(5), 9).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('derived seeds differ by stream', () => {
    expect(deriveSeed(1, 0)).not.toBe(deriveSeed(1, 1));
    expect(deriveSeed(1, 0)).toBe(deriveSeed(1, 0));
  });
});
