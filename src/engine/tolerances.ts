// Tolerances for parity checks against the PyTorch golden fixtures, per backend and numeric
// mode, and the element-wise comparison that applies them. An element passes when
// |actual − expected| <= absolute + relative * |expected|, so large values (logits) get room in
// proportion to their size and values near zero are judged by the absolute term.

import type { BackendKind, NumericMode } from './types';

export interface Tolerance {
  absolute: number;
  relative: number;
  /** Bound on ‖actual − expected‖₂ / ‖expected‖₂ over the whole tensor, when set. */
  relativeRms?: number;
}

// The reference values below were measured on random models (the tiny test models and three
// others, hidden_size 64 and 128, 1 and 2 layers per module) over 2 to 4 segments. They leave
// room above the largest differences seen there: about 3x, or one more ulp for bfloat16.

/**
 * Reference engine against PyTorch 1.13 (CPU) in float32, with states carried from update to
 * update. The reference sums in float64 and PyTorch in float32 in another order, so they differ
 * by rounding noise that the recurrence carries on: at most 6.9e-5 measured.
 */
export const REFERENCE_FLOAT32_TOLERANCE: Tolerance = { absolute: 2e-4, relative: 1e-4 };

/**
 * Reference engine against PyTorch 1.13 (CPU) in bfloat16, with states carried from update to
 * update. Both round at the same points, but a different summation order now and then puts a
 * matrix product on the other side of a bfloat16 rounding boundary, a one-ulp change. Later
 * updates carry and amplify it, so single values drift far (at most 0.78 measured) while the
 * relative RMS difference of a state stays small (at most 0.088 measured).
 */
export const REFERENCE_BFLOAT16_TOLERANCE: Tolerance = {
  absolute: 1,
  relative: 0.1,
  relativeRms: 0.15,
};

/**
 * Reference engine against PyTorch in bfloat16 when every update starts from the fixture's
 * states, so one stage shows the error of one update: one-ulp changes only, at most 0.031
 * (one ulp at magnitude 4..8) and 0.006 relative RMS difference measured.
 */
export const REFERENCE_BFLOAT16_PER_UPDATE_TOLERANCE: Tolerance = {
  absolute: 0.04,
  relative: 2 ** -7,
  relativeRms: 0.02,
};

/**
 * GPU float32 engines: float32 accumulation in workgroup order and the GPU's exp.
 * NOTE: an estimate until the WebGPU and onnxruntime parity tests calibrate it on the fixtures.
 */
export const GPU_FLOAT32_TOLERANCE: Tolerance = { absolute: 1e-3, relative: 1e-3 };

/** GPU bfloat16 engines: the same rounding points as the reference, in another summation order. */
export const GPU_BFLOAT16_TOLERANCE: Tolerance = REFERENCE_BFLOAT16_TOLERANCE;

/** Tolerances for states carried from update to update (a session's own trajectory). */
export const PARITY_TOLERANCES: Readonly<Record<BackendKind, Record<NumericMode, Tolerance>>> = {
  reference: { float32: REFERENCE_FLOAT32_TOLERANCE, bfloat16: REFERENCE_BFLOAT16_TOLERANCE },
  webgpu: { float32: GPU_FLOAT32_TOLERANCE, bfloat16: GPU_BFLOAT16_TOLERANCE },
  'ort-webgpu': { float32: GPU_FLOAT32_TOLERANCE, bfloat16: GPU_BFLOAT16_TOLERANCE },
  'ort-wasm': { float32: REFERENCE_FLOAT32_TOLERANCE, bfloat16: REFERENCE_BFLOAT16_TOLERANCE },
};

/** Result of comparing two arrays element by element. */
export interface Comparison {
  /** True when the lengths match and every element is within tolerance. */
  ok: boolean;
  /** Largest |actual − expected| (Infinity where one side is NaN and the other is not). */
  maxDifference: number;
  /** Flat index of the element with the largest difference, or -1 for empty arrays. */
  index: number;
  /** That index as a multi-dimensional position when a shape was given, else [index]. */
  location: number[];
  expected: number;
  actual: number;
  /** ‖actual − expected‖₂ / ‖expected‖₂ (0 when both are all zero). */
  relativeRms: number;
  /**
   * Elements that are not exactly equal (NaN equals NaN here). Two bfloat16 computations with
   * the same rounding points agree bit for bit on most elements, so a high count points to a
   * misplaced rounding even when every difference is within tolerance.
   */
  mismatches: number;
  /** Elements outside the element-wise tolerance. */
  failures: number;
  /** First element outside tolerance, or -1. */
  firstFailure: number;
  /** Elements compared. */
  count: number;
  /** Each bound the comparison broke, in words; empty when `ok`. */
  violations: string[];
  /** Set when the lengths differ; nothing else is compared then. */
  lengthMismatch?: { expected: number; actual: number };
}

/** Compares `actual` with `expected` element-wise under `tolerance`. */
export function compareArrays(
  expected: ArrayLike<number>,
  actual: ArrayLike<number>,
  tolerance: Tolerance,
  shape?: readonly number[],
): Comparison {
  if (expected.length !== actual.length) {
    return {
      ok: false,
      maxDifference: Number.POSITIVE_INFINITY,
      index: -1,
      location: [],
      expected: Number.NaN,
      actual: Number.NaN,
      relativeRms: Number.POSITIVE_INFINITY,
      mismatches: Math.max(expected.length, actual.length),
      count: Math.max(expected.length, actual.length),
      failures: Math.max(expected.length, actual.length),
      firstFailure: 0,
      violations: [`expected ${expected.length} values but got ${actual.length}`],
      lengthMismatch: { expected: expected.length, actual: actual.length },
    };
  }

  let maxDifference = 0;
  let index = -1;
  let failures = 0;
  let firstFailure = -1;
  let mismatches = 0;
  let differenceSquares = 0;
  let expectedSquares = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    // A NaN on one side only counts as an infinite difference, and NaN on both as equal.
    let measured = 0;
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (!(Number.isNaN(e) && Number.isNaN(a))) measured = Number.POSITIVE_INFINITY;
    } else if (e !== a) {
      measured = Math.abs(a - e);
    }
    if (measured !== 0) mismatches++;
    differenceSquares += measured * measured;
    expectedSquares += Number.isNaN(e) ? 0 : e * e;
    if (measured > maxDifference || index === -1) {
      maxDifference = measured;
      index = i;
    }
    if (measured > tolerance.absolute + tolerance.relative * Math.abs(e)) {
      failures++;
      if (firstFailure === -1) firstFailure = i;
    }
  }

  const relativeRms =
    differenceSquares === 0 ? 0 : Math.sqrt(differenceSquares) / Math.sqrt(expectedSquares);
  const violations: string[] = [];
  if (failures > 0) {
    violations.push(
      `${failures} values differ by more than ${tolerance.absolute} + ${tolerance.relative} * |expected|`,
    );
  }
  if (tolerance.relativeRms !== undefined && relativeRms > tolerance.relativeRms) {
    violations.push(`relative RMS difference above ${tolerance.relativeRms}`);
  }

  return {
    ok: violations.length === 0,
    maxDifference,
    index,
    location: index >= 0 && shape !== undefined ? unflattenIndex(index, shape) : [index],
    expected: index >= 0 ? expected[index] : Number.NaN,
    actual: index >= 0 ? actual[index] : Number.NaN,
    relativeRms,
    mismatches,
    count: expected.length,
    failures,
    firstFailure,
    violations,
  };
}

/** Describes a comparison in one line, e.g. for a failing parity check of stage `name`. */
export function formatComparison(name: string, comparison: Comparison): string {
  if (comparison.lengthMismatch !== undefined) {
    const { expected, actual } = comparison.lengthMismatch;
    return `${name}: expected ${expected} values but got ${actual}`;
  }
  const where = `[${comparison.location.join(', ')}]`;
  const verdict = comparison.ok
    ? 'within tolerance'
    : `outside tolerance (${comparison.violations.join('; ')})`;
  return (
    `${name}: ${verdict}, largest difference ${comparison.maxDifference.toExponential(3)} at ` +
    `${where} (expected ${comparison.expected}, got ${comparison.actual}), relative RMS ` +
    `difference ${comparison.relativeRms.toExponential(3)}, ${comparison.mismatches} of ` +
    `${comparison.count} values differ`
  );
}

/** Converts a flat row-major index into a position in `shape`. */
export function unflattenIndex(index: number, shape: readonly number[]): number[] {
  const location = new Array<number>(shape.length);
  let rest = index;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    location[axis] = rest % shape[axis];
    rest = Math.floor(rest / shape[axis]);
  }
  return location;
}
