import { describe, expect, it } from 'vitest';
import { compareArrays, formatComparison, unflattenIndex } from '../../../src/engine/tolerances';

describe('compareArrays', () => {
  const tolerance = { absolute: 0.1, relative: 0.01 };

  it('finds the largest difference and its location', () => {
    const expected = [0, 1, 2, 3, 4, 5];
    const actual = [0, 1.05, 2, 3, 3.5, 5];
    const comparison = compareArrays(expected, actual, tolerance, [2, 3]);
    expect(comparison.maxDifference).toBeCloseTo(0.5, 10);
    expect(comparison.index).toBe(4);
    expect(comparison.location).toEqual([1, 1]);
    expect(comparison.expected).toBe(4);
    expect(comparison.actual).toBe(3.5);
    expect(comparison.failures).toBe(1);
    expect(comparison.firstFailure).toBe(4);
    expect(comparison.mismatches).toBe(2);
    expect(comparison.ok).toBe(false);
  });

  it('scales the bound with the magnitude', () => {
    // The bound at 100 is 0.1 + 0.01 * 100 = 1.1, so 1.0 passes there but not at 0.
    expect(compareArrays([100], [101], tolerance).ok).toBe(true);
    expect(compareArrays([0], [1], tolerance).ok).toBe(false);
  });

  it('applies the relative RMS bound', () => {
    const expected = [1, 1, 1, 1];
    const actual = [1.05, 1.05, 1.05, 1.05];
    expect(compareArrays(expected, actual, tolerance).ok).toBe(true);
    const comparison = compareArrays(expected, actual, { ...tolerance, relativeRms: 0.01 });
    expect(comparison.relativeRms).toBeCloseTo(0.05, 6);
    expect(comparison.ok).toBe(false);
    expect(comparison.violations).toEqual(['relative RMS difference above 0.01']);
  });

  it('counts values that differ at all', () => {
    const comparison = compareArrays([1, 2, 3, 4], [1, 2, 3.01, 4.01], tolerance);
    expect(comparison.mismatches).toBe(2);
    expect(comparison.failures).toBe(0);
    expect(comparison.ok).toBe(true);
  });

  it('fails on NaN unless both are NaN', () => {
    expect(compareArrays([1], [Number.NaN], tolerance).ok).toBe(false);
    expect(compareArrays([1], [Number.NaN], tolerance).maxDifference).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(compareArrays([Number.NaN], [Number.NaN], tolerance).ok).toBe(true);
  });

  it('fails on a length mismatch', () => {
    const comparison = compareArrays([1, 2], [1], tolerance);
    expect(comparison.ok).toBe(false);
    expect(comparison.lengthMismatch).toEqual({ expected: 2, actual: 1 });
    expect(formatComparison('p0.embedding', comparison)).toBe(
      'p0.embedding: expected 2 values but got 1',
    );
  });

  it('describes a failure in one line', () => {
    const comparison = compareArrays([0, 4], [0, 3.5], tolerance, [1, 2]);
    expect(formatComparison('p0.s0.h0.z_H', comparison)).toMatch(
      /^p0.s0.h0.z_H: outside tolerance \(1 values differ by more than 0.1 \+ 0.01 \* \|expected\|\), largest difference 5.000e-1 at \[0, 1\] \(expected 4, got 3.5\)/,
    );
  });
});

describe('unflattenIndex', () => {
  it('converts a row-major index', () => {
    expect(unflattenIndex(0, [2, 3])).toEqual([0, 0]);
    expect(unflattenIndex(5, [2, 3])).toEqual([1, 2]);
    expect(unflattenIndex(13, [2, 3, 4])).toEqual([1, 0, 1]);
  });
});
