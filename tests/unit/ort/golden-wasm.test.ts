// The WASM execution provider in Node.js against the PyTorch golden fixtures in float32.

import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { describe, expect, test } from 'vitest';
import { readGoldenFixture } from '../../../src/engine/golden';
import { OrtKernel } from '../../../src/engine/ort/kernel';
import { PARITY_TOLERANCES } from '../../../src/engine/tolerances';
import { weightsFromSafetensors } from '../../../src/model/safetensors-model';
import { checkGoldenFixture } from './golden-parity';

const FIXTURES = ['tiny-float32', 'tiny-learned-float32'];

describe.each(FIXTURES)('%s fixture', (name) => {
  test('ort-wasm matches every stage', async () => {
    const fixturePath = `tests/fixtures/golden/${name}.safetensors`;
    const fixture = readGoldenFixture(new Uint8Array(readFileSync(fixturePath)), fixturePath);
    const weights = weightsFromSafetensors(
      [{ name: fixture.modelPath, bytes: new Uint8Array(readFileSync(fixture.modelPath)) }],
      undefined,
      { id: name, name, source: fixture.modelPath },
    );
    const kernel = await OrtKernel.create(ort, weights, { executionProvider: 'wasm' });
    try {
      const results = await checkGoldenFixture(
        kernel,
        fixture,
        PARITY_TOLERANCES['ort-wasm'].float32,
      );
      expect(results.length).toBeGreaterThan(10);
      const failures = results.filter((result) => !result.ok).map((result) => result.detail);
      expect(failures, failures.join('\n')).toEqual([]);
    } finally {
      kernel.dispose();
    }
  });
});
