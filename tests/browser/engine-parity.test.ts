import { readdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type LaunchedBrowser, launchChromium } from './chromium';
import { callEngine, openEnginePage } from './engine-page';

// The WGSL engine against the PyTorch golden fixtures, stage by stage (embedding, every z_L and
// z_H, logits, Q) with the tolerances of src/engine/tolerances.ts, and against the TypeScript
// reference engine on predicted tokens.

let browser: LaunchedBrowser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await openEnginePage(browser);
});

afterAll(async () => {
  await browser?.close();
});

// Every fixture the training toolchain wrote, so fixtures of shipped models join automatically.
const fixtures = readdirSync('tests/fixtures/golden')
  .filter((file) => file.endsWith('.safetensors'))
  .map((file) => file.slice(0, -'.safetensors'.length))
  .sort();

test('golden fixtures are present', () => {
  expect(fixtures).toEqual(
    expect.arrayContaining([
      'tiny-float32',
      'tiny-bfloat16',
      'tiny-learned-float32',
      'tiny-learned-bfloat16',
    ]),
  );
});

describe.each(fixtures)('golden fixture %s', (name) => {
  test('every stage within tolerance', async () => {
    const result = await callEngine(
      page,
      'goldenParity',
      `tests/fixtures/golden/${name}.safetensors`,
    );
    const report = result.stages.map((stage) => stage.line).join('\n');
    const firstFailure = result.stages.find((stage) => !stage.ok);
    expect(result.stages.length).toBeGreaterThan(0);
    expect(firstFailure?.line ?? null, report).toBeNull();
    for (const { stage, cells, nearTies, details } of result.predictionMismatches) {
      const message = `${stage}: WGSL and reference predictions differ: ${details.join('; ')}`;
      expect(cells, message).toBe(0);
      // float32 leaves no room for ties to flip; bfloat16 may flip a cell whose two best logits
      // the reference itself places within the tolerance.
      if (name.endsWith('float32')) {
        expect(nearTies, message).toBe(0);
      }
    }
  });
});

describe('random model against the reference engine', () => {
  test.each(['float32', 'bfloat16'] as const)('%s predictions agree', async (numeric) => {
    const config = await callEngine(page, 'smallConfig');
    const result = await callEngine(page, 'randomModelParity', config, numeric, 2);
    expect(result.predictionMismatches).toEqual([0, 0]);
    expect(result.statesOk, result.statesLine).toBe(true);
    for (const difference of result.qDifferences) {
      expect(difference).toBeLessThan(numeric === 'float32' ? 1e-3 : 0.1);
    }
  });

  test('dispatches per segment stay within budget', async () => {
    const config = await callEngine(page, 'smallConfig');
    const result = await callEngine(page, 'randomModelParity', config, 'float32', 1);
    const { H_cycles, L_cycles, H_layers, L_layers } = config;
    const updates = H_cycles * (L_cycles + 1);
    const blocks = H_cycles * (L_cycles * L_layers + H_layers);
    expect(result.eventsPerSegment).toBe(updates);
    // Six dispatches per block, because head_dim 16 takes the tiled attention pair. Each update
    // adds its injection and state update, and the updates the session decodes add the heads.
    expect((config.hidden_size / config.num_heads) % 8).toBe(0);
    expect(result.dispatchesPerBlock).toBe(6);
    expect(result.dispatchesPerSegment).toBeGreaterThan(6 * blocks + 2 * updates);
    expect(result.dispatchesPerSegment).toBeLessThanOrEqual(6 * blocks + 3 * updates);
  });
});

describe('released model size', () => {
  test('one segment at 82 positions', async () => {
    const result = await callEngine(page, 'releasedSizeRun', 82, 'bfloat16', 'segment');
    expect(result.events).toBe(6);
    expect(result.allFinite).toBe(true);
    expect(result.predictionsInVocabulary).toBe(true);
    expect(result.q).not.toBeNull();
    expect(result.uncapturedErrors).toBe(0);
  });

  // NOTE: a full segment at 901 positions costs about 150 GFLOP, many minutes on SwiftShader,
  // so CI runs one update (all four L blocks, attention over 901 positions, the heads) and
  // HRM_SLOW_TESTS=1 runs the whole segment. `npm run bench` times the segment as well.
  test('one update at 901 positions', async () => {
    const result = await callEngine(page, 'releasedSizeRun', 901, 'bfloat16', 'update');
    expect(result.events).toBe(1);
    expect(result.allFinite).toBe(true);
    expect(result.predictionsInVocabulary).toBe(true);
    expect(result.uncapturedErrors).toBe(0);
  });

  test.runIf(process.env.HRM_SLOW_TESTS === '1')('one segment at 901 positions', async () => {
    const result = await callEngine(page, 'releasedSizeRun', 901, 'bfloat16', 'segment');
    expect(result.events).toBe(6);
    expect(result.allFinite).toBe(true);
    expect(result.predictionsInVocabulary).toBe(true);
    expect(result.q).not.toBeNull();
    expect(result.uncapturedErrors).toBe(0);
  });
});
