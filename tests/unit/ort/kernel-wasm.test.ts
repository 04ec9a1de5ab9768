// OrtKernel on onnxruntime-web's WASM execution provider in Node.js, against the TypeScript
// reference kernel in float32 on the same random models.

import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OrtKernel } from '../../../src/engine/ort/kernel';
import { ReferenceKernel } from '../../../src/engine/reference/kernel';
import { Session } from '../../../src/engine/session';
import type { PlannedUpdate, UpdateReadout } from '../../../src/engine/types';
import type { HrmConfig } from '../../../src/model/config';
import { createRandomWeights, randomInputs, SMALL_CONFIG } from '../engine/random-model';

// float32 on both sides; the difference comes from summation order only.
const STATE_TOLERANCE = 1e-4;

function maxAbsDifference(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < actual.length; i++) {
    max = Math.max(max, Math.abs(actual[i] - expected[i]));
  }
  return max;
}

function maxAbs(values: Float32Array): number {
  return values.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
}

const SEGMENT: PlannedUpdate[] = [
  { module: 'L', decode: true, q: false },
  { module: 'L', decode: false, q: false },
  { module: 'H', decode: true, q: false },
  { module: 'L', decode: false, q: false },
  { module: 'L', decode: false, q: false },
  { module: 'H', decode: true, q: true },
];

const CASES: [string, HrmConfig][] = [
  ['rope', { ...SMALL_CONFIG, forward_dtype: 'float32' }],
  ['learned positions', { ...SMALL_CONFIG, forward_dtype: 'float32', pos_encodings: 'learned' }],
  ['no puzzle embedding', { ...SMALL_CONFIG, forward_dtype: 'float32', puzzle_emb_ndim: 0 }],
];

describe.each(CASES)('OrtKernel wasm, %s', (_name, config) => {
  const weights = createRandomWeights(config, { seed: 7 });
  let kernel: OrtKernel;
  let reference: ReferenceKernel;

  beforeAll(async () => {
    kernel = await OrtKernel.create(ort, weights, { executionProvider: 'wasm' });
    reference = new ReferenceKernel(weights, 'float32');
  });

  afterAll(() => {
    kernel?.dispose();
    reference?.dispose();
  });

  test('embedding matches reference', async () => {
    const inputs = randomInputs(config, 3);
    const puzzleIdentifier = config.puzzle_emb_ndim > 0 ? 1 : 0;
    await kernel.reset(inputs, puzzleIdentifier);
    await reference.reset(inputs, puzzleIdentifier);
    const expected = await reference.readEmbedding();
    expect(maxAbsDifference(await kernel.readEmbedding(), expected)).toBeLessThan(
      STATE_TOLERANCE * maxAbs(expected),
    );
  });

  test('two segments match reference', async () => {
    const inputs = randomInputs(config, 4);
    await kernel.reset(inputs, 0);
    await reference.reset(inputs, 0);
    for (let segment = 0; segment < 2; segment++) {
      for (const step of SEGMENT) {
        const [actual] = await kernel.runUpdates([step]);
        const [expected] = await reference.runUpdates([step]);
        const where = `segment ${segment}, ${step.module} update`;

        const states = await kernel.readStates();
        const expectedStates = await reference.readStates();
        const z = step.module === 'L' ? 'z_L' : 'z_H';
        const scale = maxAbs(expectedStates[z]);
        expect(maxAbsDifference(states[z], expectedStates[z]), `${z} after ${where}`).toBeLessThan(
          STATE_TOLERANCE * scale,
        );
        expect(actual.updateNorm, `updateNorm after ${where}`).toBeCloseTo(expected.updateNorm, 2);
        expect(actual.relativeUpdate, `relativeUpdate after ${where}`).toBeCloseTo(
          expected.relativeUpdate,
          4,
        );
        if (step.decode) {
          expect(actual.prediction, `prediction after ${where}`).toEqual(expected.prediction);
          expect(
            maxAbsDifference(
              actual.confidence as Float32Array,
              expected.confidence as Float32Array,
            ),
          ).toBeLessThan(1e-4);
          expect(
            maxAbsDifference(actual.entropy as Float32Array, expected.entropy as Float32Array),
          ).toBeLessThan(1e-4);
        }
        if (step.q) {
          expect(actual.q?.halt).toBeCloseTo(expected.q?.halt ?? Number.NaN, 4);
          expect(actual.q?.continue).toBeCloseTo(expected.q?.continue ?? Number.NaN, 4);
        }
      }
    }
  });
});

describe('OrtKernel behaviour', () => {
  const config: HrmConfig = { ...SMALL_CONFIG, forward_dtype: 'float32' };
  let kernel: OrtKernel;

  beforeAll(async () => {
    kernel = await OrtKernel.create(ort, createRandomWeights(config), {
      executionProvider: 'wasm',
    });
  });

  afterAll(() => kernel?.dispose());

  test('updates before reset are rejected', async () => {
    const fresh = await OrtKernel.create(ort, createRandomWeights(config), {
      executionProvider: 'wasm',
    });
    await expect(fresh.runUpdates([{ module: 'L', decode: false, q: false }])).rejects.toThrow(
      /call reset\(inputs\)/,
    );
    fresh.dispose();
  });

  test('wrong input length is rejected', async () => {
    await expect(kernel.reset(new Int32Array(config.seq_len + 1), 0)).rejects.toThrow(
      /10 tokens, but the model's seq_len is 9/,
    );
  });

  test('reset restores the initial states', async () => {
    const inputs = randomInputs(config, 5);
    await kernel.reset(inputs, 0);
    const initial = await kernel.readStates();
    await kernel.runUpdates([{ module: 'L', decode: false, q: false }]);
    await kernel.reset(inputs, 0);
    const again = await kernel.readStates();
    expect(again.z_L).toEqual(initial.z_L);
    expect(again.z_H).toEqual(initial.z_H);
  });

  test('batched updates match single updates', async () => {
    const inputs = randomInputs(config, 7);
    await kernel.reset(inputs, 0);
    const batch = await kernel.runUpdates(SEGMENT);
    const batchStates = await kernel.readStates();
    await kernel.reset(inputs, 0);
    const single: UpdateReadout[] = [];
    for (const step of SEGMENT) {
      single.push(...(await kernel.runUpdates([step])));
    }
    expect(batch.length).toBe(SEGMENT.length);
    batch.forEach((readout, i) => {
      expect(readout.updateNorm, `update ${i}`).toBe(single[i].updateNorm);
      expect(readout.prediction, `update ${i}`).toEqual(single[i].prediction);
      expect(readout.q, `update ${i}`).toEqual(single[i].q);
    });
    expect((await kernel.readStates()).z_H).toEqual(batchStates.z_H);
  });

  test('aborted signal stops before the next update', async () => {
    await kernel.reset(randomInputs(config, 6), 0);
    const controller = new AbortController();
    controller.abort();
    const readouts = await kernel.runUpdates(
      [{ module: 'L', decode: false, q: false }],
      controller.signal,
    );
    expect(readouts).toEqual([]);
  });

  test('Session drives a full run', async () => {
    const session = new Session(
      await OrtKernel.create(ort, createRandomWeights(config), { executionProvider: 'wasm' }),
      config,
      'ort-wasm',
    );
    await session.reset(randomInputs(config, 8), 0);
    const result = await session.run({ maxSegments: 2, halting: 'fixed' });
    expect(result.stop).toBe('limit');
    expect(result.segments).toBe(2);
    expect(result.events.length).toBe(2 * config.H_cycles * (config.L_cycles + 1));
    expect(result.events.at(-1)?.q).toBeDefined();
    session.dispose();
  });
});
