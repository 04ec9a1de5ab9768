import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type LaunchedBrowser, launchChromium } from './chromium';
import { openOrtPage } from './ort-page';

// Both onnxruntime-web backends against the PyTorch golden fixtures, stage by stage, with the
// tolerances of src/engine/tolerances.ts. Only float32 fixtures: these backends compute in
// float32 and reject the bfloat16 mode.

let browser: LaunchedBrowser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.context.newPage();
  await openOrtPage(page, `${inject('devURL')}/tests/browser/pages/ort.html`);
});

afterAll(async () => {
  await browser?.close();
});

// The shipped models come last and in this order: one page runs models of two vocabulary sizes
// (11 for Sudoku, 6 for mazes), as the app does when the user switches models.
const FIXTURES = [
  'tiny-float32',
  'tiny-learned-float32',
  'sudoku-h64-float32',
  'maze9-h64-float32',
];

describe.each(['webgpu', 'wasm'] as const)('%s execution provider', (executionProvider) => {
  test.each(FIXTURES)('%s matches every stage', async (name) => {
    const results = await page.evaluate(
      ([provider, fixture]) => window.ortChecks.goldenParity(provider, fixture),
      [executionProvider, name] as const,
    );
    // 2 puzzles × 2 segments × (4 z_L + 2 z_H + logits + q + prediction) + 2 embeddings.
    expect(results.length).toBe(38);
    const failures = results.filter((result) => !result.ok).map((result) => result.detail);
    expect(failures, failures.join('\n')).toEqual([]);
  });
});
