import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { type LaunchedBrowser, launchChromium } from './chromium';
import type { ModelLoadingChecks } from './pages/model-loading';

// loadModel in Chromium: streamed fetch with progress from the Vite dev server, Cache Storage
// with SHA-256 checks, listing and deleting cached models, a full quota, and File objects.

const FIXTURES = '/tests/fixtures/loaders';
const SINGLE = `${FIXTURES}/single/model.safetensors`;
const INDEX = `${FIXTURES}/sharded/model.safetensors.index.json`;
const LOADER_FIXTURES = join(import.meta.dirname, '../fixtures/loaders');

let browser: LaunchedBrowser;
let page: Page;
/** Requests the page sent, as "METHOD path". */
const requests: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') console.error(`[page] ${message.text()}`);
  });
  page.on('request', (request) => {
    requests.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  await page.goto(`${inject('devURL')}/tests/browser/pages/model-loading.html`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
});

afterAll(async () => {
  await browser?.close();
});

function call<K extends keyof ModelLoadingChecks>(
  name: K,
  ...args: Parameters<ModelLoadingChecks[K]>
): Promise<Awaited<ReturnType<ModelLoadingChecks[K]>>> {
  return page.evaluate(
    ([checkName, checkArgs]) => {
      const fn = window.modelLoading[checkName] as (...a: unknown[]) => Promise<unknown>;
      return fn(...(checkArgs as unknown[]));
    },
    [name, args] as const,
  ) as Promise<Awaited<ReturnType<ModelLoadingChecks[K]>>>;
}

function countOf(request: string): number {
  return requests.filter((entry) => entry === request).length;
}

async function sizeOf(path: string): Promise<number> {
  const response = await page.request.get(`${inject('devURL')}${path}`);
  return (await response.body()).length;
}

test('URL load, cache, list and delete', async () => {
  const size = await sizeOf(SINGLE);
  const url = `${inject('devURL')}${SINGLE}`;

  const first = await call('loadUrl', SINGLE);
  expect(first.warnings).toEqual([]);
  expect(first.parameterCount).toBe(15);
  expect(first.config.hidden_size).toBe(16);
  expect(first.progress[0]).toEqual({ file: url, bytes: 0, total: size, percent: 0 });
  expect(first.progress.at(-1)).toEqual({ file: url, bytes: size, total: size, percent: 100 });
  expect(countOf(`GET ${SINGLE}`)).toBe(1);

  const listed = await call('list');
  expect(listed.map(({ id, bytes, files }) => ({ id, bytes, files }))).toEqual([
    { id: url, bytes: size, files: [url] },
  ]);
  expect(Date.now() - Date.parse(listed[0].date)).toBeLessThan(10 * 60_000);

  // The second load comes from Cache Storage, with no request for the file at all.
  const heads = countOf(`HEAD ${SINGLE}`);
  const second = await call('loadUrl', SINGLE);
  expect(second.config).toEqual(first.config);
  expect(second.warnings).toEqual([]);
  expect(second.progress).toEqual([{ file: url, bytes: size, total: size, percent: 100 }]);
  expect(countOf(`GET ${SINGLE}`)).toBe(1);
  expect(countOf(`HEAD ${SINGLE}`)).toBe(heads);

  expect(await call('remove', url)).toBe(1);
  expect(await call('list')).toEqual([]);
});

test('sharded model cached under index URL', async () => {
  const summary = await call('loadUrl', INDEX);
  expect(summary.config.pos_encodings).toBe('learned');
  expect(summary.progress.at(-1)?.percent).toBe(100);

  const indexUrl = `${inject('devURL')}${INDEX}`;
  const listed = await call('list');
  expect(listed).toHaveLength(1);
  expect(listed[0].id).toBe(indexUrl);
  expect(listed[0].files).toHaveLength(4);

  expect(await call('remove', indexUrl)).toBe(4);
  expect(await call('list')).toEqual([]);
});

test('corrupt cache entry downloaded again', async () => {
  await call('loadUrl', SINGLE);
  await call('corruptCachedFile', SINGLE);
  const before = countOf(`GET ${SINGLE}`);

  const summary = await call('loadUrl', SINGLE);
  expect(summary.warnings.map((warning) => warning.kind)).toEqual(['cache-corrupt']);
  expect(summary.parameterCount).toBe(15);
  expect(countOf(`GET ${SINGLE}`)).toBe(before + 1);

  await call('remove', `${inject('devURL')}${SINGLE}`);
});

test('full quota only warns', async () => {
  const origin = new URL(inject('devURL')).origin;
  const session: CDPSession = await browser.context.newCDPSession(page);
  await session.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1024 });
  try {
    const summary = await call('loadUrl', SINGLE);
    expect(summary.parameterCount).toBe(15);
    expect(summary.warnings.map((warning) => warning.kind)).toEqual(['cache-quota']);
    expect(summary.warnings[0].message).toMatch(/storage quota is full/);
    expect(await call('list')).toEqual([]);
  } finally {
    await session.send('Storage.overrideQuotaForOrigin', { origin });
    await session.detach();
  }
});

test('authors checkpoint from File objects', async () => {
  const files = ['checkpoint', 'all_config.yaml'].map((name) => ({
    name,
    base64: readFileSync(join(LOADER_FIXTURES, 'authors', name)).toString('base64'),
  }));
  const summary = await call('loadFiles', files);
  expect(summary.config.seq_len).toBe(81);
  expect(summary.config.vocab_size).toBe(11);
  expect(summary.provenance.source).toBe('checkpoint');
  expect(summary.progress.at(-1)?.percent).toBe(100);
});

test('HTML page for a missing file', async () => {
  // The dev server sends index.html with status 200 for unknown paths, as SPA hosts do.
  const message = await call('loadUrlError', `${FIXTURES}/single/absent.safetensors`);
  expect(message).toMatch(/^ModelLoadError: .*absent\.safetensors: the server sent an HTML page/);
});
