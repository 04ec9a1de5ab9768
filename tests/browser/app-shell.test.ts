import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { type LaunchedBrowser, launchChromium } from './chromium';

let browser: LaunchedBrowser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

test('app shell reports WebGPU and runs the WGSL probe', async () => {
  const page = await browser.context.newPage();
  await page.goto(inject('appURL'));
  const status = page.getByTestId('webgpu-status');
  await expect
    .poll(() => status.textContent(), { timeout: 60_000 })
    .toMatch(/^WebGPU (available|unavailable)/);
  expect(await status.textContent()).toMatch(/^WebGPU available: /);
});
