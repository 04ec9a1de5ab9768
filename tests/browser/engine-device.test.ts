import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type LaunchedBrowser, launchChromium } from './chromium';
import { callEngine, openEnginePage } from './engine-page';

// Device-level behaviour of the WGSL engine: GPU memory over repeated model loads, and
// recovery from a lost device (device.destroy() simulates a real loss).

let browser: LaunchedBrowser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await openEnginePage(browser);
});

afterAll(async () => {
  await browser?.close();
});

test('fifty model loads do not grow GPU memory', async () => {
  const result = await callEngine(page, 'bufferAccounting', 50);
  expect(result.loaded).toHaveLength(50);
  expect(result.loaded[0]).toBeGreaterThan(0);
  // Same config each time, alternating float32 and bfloat16 weights.
  expect(new Set(result.loaded.filter((_, i) => i % 2 === 0)).size).toBe(1);
  expect(new Set(result.loaded.filter((_, i) => i % 2 === 1)).size).toBe(1);
  expect(result.afterDispose).toEqual(Array(50).fill(result.baseline));
  expect(result.kernelAfterDispose).toEqual(Array(50).fill(0));
});

test('device loss keeps the session position', async () => {
  const result = await callEngine(page, 'deviceLossRecovery');
  expect(result.events).toContain('lost');
  expect(result.events).toContain('recovered');
  expect(result.events).not.toContain('recovery-failed');
  // One segment of 2 H cycles x (2 L + 1 H) updates ran before the loss, one H cycle after it.
  expect(result.nextBefore).toEqual({ segment: 1, index: 6 });
  expect(result.firstIndexAfter).toBe(6);
  expect(result.nextAfter).toEqual({ segment: 1, index: 9 });
  expect(result.predictionMismatches).toBe(0);
  expect(result.statesOk, result.statesLine).toBe(true);
  expect(result.bytesAfter).toBe(result.bytesBefore);
});

test('limit error names limit and values', async () => {
  const message = await callEngine(page, 'limitError');
  expect(message).toMatch(/maxStorageBufferBindingSize = 1099511627776/);
  expect(message).toMatch(/allows at most \d+/);
  expect(message).toMatch(/another backend/);
});

test('uncaptured errors are counted', async () => {
  const result = await callEngine(page, 'uncapturedErrors');
  expect(result.count).toBe(2);
  expect(result.events).toEqual(['uncaptured-error', 'uncaptured-error']);
});
