import { describe, expect, test } from 'vitest';
import { benchmarkOrt, summarizeTimes } from '../../../src/engine/ort/bench';
import { createRandomWeights, randomInputs, SMALL_CONFIG } from '../engine/random-model';

describe('summarizeTimes', () => {
  test('quartiles interpolate between samples', () => {
    const summary = summarizeTimes([4, 1, 3, 2]);
    expect(summary.median).toBe(2.5);
    expect(summary.p25).toBe(1.75);
    expect(summary.p75).toBe(3.25);
    expect(summary.min).toBe(1);
    expect(summary.max).toBe(4);
    expect(summary.samples).toEqual([4, 1, 3, 2]);
  });

  test('single sample', () => {
    const summary = summarizeTimes([7]);
    expect(summary.median).toBe(7);
    expect(summary.p25).toBe(7);
    expect(summary.p75).toBe(7);
  });

  test('no samples is rejected', () => {
    expect(() => summarizeTimes([])).toThrow(/No timed segments/);
  });
});

describe('benchmarkOrt options', () => {
  const base = {
    executionProvider: 'wasm' as const,
    weights: createRandomWeights(SMALL_CONFIG),
    inputs: randomInputs(SMALL_CONFIG, 1),
    warmupSegments: 0,
  };

  test('zero segments is rejected', async () => {
    await expect(benchmarkOrt({ ...base, segments: 0 })).rejects.toThrow(/Invalid segments 0/);
  });

  test('negative warmup is rejected', async () => {
    await expect(benchmarkOrt({ ...base, segments: 1, warmupSegments: -1 })).rejects.toThrow(
      /Invalid warmupSegments -1/,
    );
  });

  test('unknown variant is rejected', async () => {
    const variants = ['fused'] as unknown as ['per-update'];
    await expect(benchmarkOrt({ ...base, segments: 1, variants })).rejects.toThrow(
      /Invalid variants fused/,
    );
  });
});
