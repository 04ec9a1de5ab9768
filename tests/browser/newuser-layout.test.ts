import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type LaunchedBrowser, launchChromium } from './chromium';

// Bugs found by opening the built app as a new user: on a phone-sized viewport the scrolling
// segment strip widened the page past the screen, and every page load logged a 404 for
// /favicon.ico. The catalog is served from the committed tiny random HRM, as in
// playground.test.ts, because the shipped models are trained separately.

const FIXTURES = join(import.meta.dirname, '../fixtures/models');

const CATALOG = {
  models: [
    {
      id: 'tiny',
      name: 'Tiny random HRM',
      task: 'sudoku',
      path: 'models/tiny/model.safetensors',
      bytes: 533_304,
      default: true,
    },
  ],
};

let browser: LaunchedBrowser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Opens the app on the tiny model and collects page errors and console errors. */
async function openApp(viewport: { width: number; height: number }) {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.setViewportSize(viewport);
  await page.route('**/models/index.json', (route) => route.fulfill({ json: CATALOG }));
  await page.route('**/models/tiny/model.safetensors', (route) =>
    route.fulfill({
      body: readFileSync(join(FIXTURES, 'tiny/model.safetensors')),
      contentType: 'application/octet-stream',
    }),
  );
  await page.goto(`${inject('appURL')}/#v=1&m=2`);
  await waitForRun(page);
  return { page, problems };
}

async function waitForRun(page: Page): Promise<void> {
  const status = page.getByTestId('run-status');
  await expect
    .poll(() => status.textContent(), { timeout: 120_000 })
    .toMatch(/Solved|Still wrong|Halted|Ran /);
}

describe('new user layout', () => {
  test('phone viewport has no horizontal scroll', async () => {
    const { page, problems } = await openApp({ width: 390, height: 844 });
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));

    expect(widths.client).toBe(390);
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    // The segment strip still shows its thumbnails, scrolling inside its own box.
    expect(await page.locator('.segment-strip li').count()).toBe(2);
    expect(problems).toEqual([]);
    await page.close();
  });

  test('page load logs no errors', async () => {
    const { page, problems } = await openApp({ width: 1280, height: 900 });

    expect(await page.locator('link[rel="icon"]').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });
});
