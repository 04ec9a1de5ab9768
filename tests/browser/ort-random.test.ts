import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type LaunchedBrowser, launchChromium } from './chromium';
import { openOrtPage } from './ort-page';
import type { Difference } from './pages/harness';
import type { OrtChecks } from './pages/ort';

// Both onnxruntime-web backends against the TypeScript reference kernel on small random models,
// in float32. `worstRatio` is the largest |ort - reference| / (atol + rtol |reference|), so at
// most 1 passes.

let browser: LaunchedBrowser;
let page: Page;
const consoleLines: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('console', (message) => {
    consoleLines.push(message.text());
    // ORT writes its own verbose and info lines as console errors; only real errors are shown.
    if (message.type() === 'error' && !/\[[VI]:onnxruntime/.test(message.text())) {
      console.error(`[page] ${message.text()}`);
    }
  });
  await openOrtPage(page, `${inject('devURL')}/tests/browser/pages/ort.html`);
});

afterAll(async () => {
  await browser?.close();
});

function check<K extends keyof OrtChecks>(
  name: K,
  ...args: Parameters<OrtChecks[K]>
): Promise<Awaited<ReturnType<OrtChecks[K]>>> {
  return page.evaluate(
    ([checkName, checkArgs]) => {
      const fn = window.ortChecks[checkName] as (...a: unknown[]) => Promise<unknown>;
      return fn(...(checkArgs as unknown[]));
    },
    [name, args] as const,
  ) as Promise<Awaited<ReturnType<OrtChecks[K]>>>;
}

function expectClose(difference: Difference | undefined, label: string): void {
  expect(difference, label).toBeDefined();
  expect(difference?.worstRatio, `${label}: ${JSON.stringify(difference)}`).toBeLessThanOrEqual(1);
}

test('availability finds WebGPU and WASM', async () => {
  const availability = await check('availability');
  expect(availability.wasm).toBe(true);
  expect(availability.webgpu).toBe(true);
});

describe.each(['webgpu', 'wasm'] as const)('%s execution provider', (executionProvider) => {
  test.each(['rope', 'learned'] as const)('%s model matches reference', async (variant) => {
    const result = await check('randomParity', executionProvider, variant, 2, 2);
    expectClose(result.embedding, 'embedding');
    expect(result.updates.length).toBe(12);
    result.updates.forEach((update, index) => {
      const where = `update ${index} (${update.module})`;
      expectClose(update.state, `${where} state`);
      if (update.predictionsEqual !== undefined) {
        expect(update.predictionsEqual, `${where} predictions`).toBe(true);
        expectClose(update.confidence, `${where} confidence`);
        expectClose(update.entropy, `${where} entropy`);
      }
      if (update.q) expectClose(update.q, `${where} q`);
    });
  });
});

test('batched updates match single updates', async () => {
  for (const executionProvider of ['webgpu', 'wasm'] as const) {
    const result = await check('batchParity', executionProvider);
    expect(result.batchUpdates, executionProvider).toBe(6);
    expectClose(result.updateNorm, `${executionProvider} updateNorm`);
    expect(result.predictionsEqual, `${executionProvider} predictions`).toBe(true);
    expectClose(result.q, `${executionProvider} q`);
  }
});

test('WebGPU places every node on the GPU', async () => {
  consoleLines.length = 0;
  await check('randomParity', 'webgpu', 'rope', 1, 0);
  const placements = consoleLines.filter((line) => /placed on \[/.test(line));
  expect(placements.length, consoleLines.slice(-40).join('\n')).toBeGreaterThanOrEqual(4);
  const onCpu = placements.filter((line) => /CPUExecutionProvider/.test(line));
  expect(onCpu, placements.join('\n')).toEqual([]);
});

test('Session runs on both backends', async () => {
  for (const kind of ['ort-webgpu', 'ort-wasm'] as const) {
    const result = await check('solve', kind, 2);
    expect(result.stop, kind).toBe('limit');
    expect(result.segments, kind).toBe(2);
    expect(result.events, kind).toBe(12);
    expect(result.prediction.length, kind).toBe(81);
    expect(result.finiteNorms, kind).toBe(true);
  }
});
