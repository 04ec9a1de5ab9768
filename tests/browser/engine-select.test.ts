import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type LaunchedBrowser, launchChromium } from './chromium';
import { callEngine, openEnginePage } from './engine-page';

// Backend choice (src/engine/select.ts) with WebGPU present and with WebGPU disabled.

describe('with WebGPU', () => {
  let browser: LaunchedBrowser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await openEnginePage(browser);
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('auto picks webgpu', async () => {
    const result = await callEngine(page, 'chooseAndCreate', 'auto');
    expect(result.kind).toBe('webgpu');
    expect(result.created).toBe('webgpu');
    expect(result.reason).toMatch(/^WebGPU works on .+; running the WGSL engine\.$/);
  });

  test('explicit override wins', async () => {
    const result = await callEngine(page, 'chooseAndCreate', 'reference');
    expect(result.kind).toBe('reference');
    expect(result.created).toBe('reference');
    expect(result.reason).toBe('Backend reference was selected explicitly.');
  });

  test('unknown backend is rejected', async () => {
    const message = await callEngine(page, 'invalidBackend');
    expect(message).toBe(
      'invalid backend: cuda; expected one of webgpu, ort-webgpu, ort-wasm, reference or auto',
    );
  });
});

describe('without WebGPU', () => {
  let browser: LaunchedBrowser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    // --disable-features=WebGPU does not win over --enable-unsafe-webgpu, which every test
    // browser gets, so the page loses navigator.gpu before any script runs instead.
    await browser.context.addInitScript(() => {
      Reflect.deleteProperty(Navigator.prototype, 'gpu');
    });
    page = await openEnginePage(browser);
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('auto falls back with a reason', async () => {
    const result = await callEngine(page, 'chooseAndCreate', 'auto');
    expect(['ort-wasm', 'reference']).toContain(result.kind);
    expect(result.created).toBe(result.kind);
    expect(result.reason).toMatch(/^navigator\.gpu is missing in this browser; running /);
  });
});
