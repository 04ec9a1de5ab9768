import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { LaunchedBrowser } from './chromium';
import { launchChromiumWithoutWebGpu, openOrtPage } from './ort-page';

// Chromium without WebGPU: the WebGPU backend must refuse with a reason, and the WASM backend
// must still step a Sudoku-sized puzzle through the shared Session.

let browser: LaunchedBrowser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromiumWithoutWebGpu();
  page = await browser.context.newPage();
  await openOrtPage(page, `${inject('devURL')}/tests/browser/pages/ort.html`);
});

afterAll(async () => {
  await browser?.close();
});

test('WebGPU is reported unavailable', async () => {
  const availability = await page.evaluate(() => window.ortChecks.availability());
  expect(availability.webgpu).toBe(false);
  expect(availability.wasm).toBe(true);
  expect(availability.reason).toMatch(/WebGPU|adapter/);
});

test('ort-webgpu backend is rejected', async () => {
  const message = await page.evaluate(() => window.ortChecks.backendError('ort-webgpu'));
  expect(message).toMatch(/ort-webgpu backend cannot run here: .*(WebGPU|adapter)/);
});

test('ort-wasm backend steps a puzzle', async () => {
  const result = await page.evaluate(() => window.ortChecks.solve('ort-wasm', 1));
  expect(result.stop).toBe('limit');
  expect(result.segments).toBe(1);
  expect(result.events).toBe(6);
  expect(result.prediction.length).toBe(81);
  expect(result.prediction.every((token) => token >= 0 && token < 11)).toBe(true);
  expect(result.finiteNorms).toBe(true);
  // The dev server sends COOP and COEP, so WASM may use threads.
  expect(result.crossOriginIsolated).toBe(true);
  expect(result.description).toMatch(/on WebAssembly, \d+ threads?$/);
});
