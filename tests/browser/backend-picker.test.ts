import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { BackendKind } from '../../src/engine/types';
import { encodeShareHash } from '../../src/puzzles/share';
import { type LaunchedBrowser, launchChromium } from './chromium';
import { launchChromiumWithoutWebGpu } from './ort-page';

// The backend picker in the production build (`vite preview`), with the small shipped Sudoku
// model (public/models/sudoku-h64, forward_dtype bfloat16) on the default puzzle and a limit of
// one segment, because onnxruntime-web on SwiftShader's WebGPU is the slowest backend. The ORT
// backends load their .wasm/.mjs files from the build's assets here, not from node_modules.

const MODEL_ID = 'sudoku-h64';
const FINISHED = /Solved|Still wrong|Halted|Ran /;

/** Text of the banner's backend line for each kind, as src/i18n/en.ts words it. */
const BACKEND_LINE: Record<BackendKind, RegExp> = {
  webgpu: /^Running on WebGPU \(hand-written WGSL kernels\)/,
  'ort-webgpu': /^Running on onnxruntime-web on WebGPU/,
  'ort-wasm': /^Running on onnxruntime-web on WebAssembly/,
  reference: /^Running on the TypeScript reference engine/,
};

async function openApp(browser: LaunchedBrowser): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => console.error(`[page] ${error.message}`));
  const hash = encodeShareHash({ maxSegments: 1, haltingMode: 'fixed', modelId: MODEL_ID });
  await page.goto(`${inject('appURL')}/${hash}`);
  return page;
}

/** Reads the banner's backend line and the run status in one step, so the two agree. */
function readBanner(page: Page): Promise<{ backend: string; status: string }> {
  return page.evaluate(() => ({
    backend: document.querySelector('[data-testid="backend"]')?.textContent ?? '',
    status: document.querySelector('[data-testid="run-status"]')?.textContent ?? '',
  }));
}

/** Waits until the banner names the backend and the run on it has finished. */
async function waitForRunOn(
  page: Page,
  line: RegExp,
): Promise<{ backend: string; status: string }> {
  await expect
    .poll(
      async () => {
        const banner = await readBanner(page);
        return line.test(banner.backend) && FINISHED.test(banner.status);
      },
      { timeout: 300_000, interval: 250 },
    )
    .toBe(true);
  return readBanner(page);
}

/** Reads the Sudoku board through its ARIA grid: one entry per cell, row-major. */
async function readBoard(page: Page): Promise<{ digit: number; given: boolean }[]> {
  const grid = page.getByRole('grid', { name: 'Sudoku board' });
  const labels = await grid
    .getByRole('gridcell')
    .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('aria-label') ?? ''));
  return labels.map((label) => {
    const match = /^Row \d, column \d: (\d|empty)/.exec(label);
    if (!match) throw new Error(`unexpected cell label: ${label}`);
    return { digit: match[1] === 'empty' ? 0 : Number(match[1]), given: label.includes(', clue') };
  });
}

/** Digits the board shows in the cells that are not givens: the model's predictions. */
async function readPredictions(page: Page): Promise<number[]> {
  const board = await readBoard(page);
  expect(board).toHaveLength(81);
  return board.filter((cell) => !cell.given).map((cell) => cell.digit);
}

function countDifferences(a: number[], b: number[]): number {
  return a.reduce((count, digit, i) => count + (digit === b[i] ? 0 : 1), 0);
}

describe('backend picker with WebGPU', () => {
  let browser: LaunchedBrowser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await openApp(browser);
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('every backend predicts the same board', async () => {
    const select = page.getByTestId('backend-select');
    await waitForRunOn(page, BACKEND_LINE.webgpu);
    expect(await select.inputValue()).toBe('auto');
    const givens = (await readBoard(page)).filter((cell) => cell.given);
    expect(givens.length).toBeGreaterThan(0);

    // WebGPU comes last: the auto run already shows its banner line, so picking it first could
    // read the finished auto run before the reload starts.
    const predictions = new Map<BackendKind, number[]>();
    for (const kind of ['ort-webgpu', 'ort-wasm', 'reference', 'webgpu'] as const) {
      await select.selectOption(kind);
      const banner = await waitForRunOn(page, BACKEND_LINE[kind]);
      expect(banner.status).toMatch(/segment 1\b|1 segment/);
      expect(await select.inputValue()).toBe(kind);
      // An explicit choice states so in the banner; the WGSL line names the adapter instead.
      if (kind !== 'webgpu') expect(banner.backend).toContain(`Backend ${kind} was selected`);
      predictions.set(kind, await readPredictions(page));
    }

    // The puzzle and the limit survive every backend change.
    expect((await readBoard(page)).filter((cell) => cell.given)).toEqual(givens);
    expect(await page.getByTestId('segment-limit').inputValue()).toBe('1');

    const ortWebGpu = predictions.get('ort-webgpu') ?? [];
    const ortWasm = predictions.get('ort-wasm') ?? [];
    const webgpu = predictions.get('webgpu') ?? [];
    const reference = predictions.get('reference') ?? [];
    // The untrained cells may stay empty, but a finished run shows some predicted digits.
    expect(ortWasm.some((digit) => digit !== 0)).toBe(true);

    // Both onnxruntime-web backends compute in float32, so their predictions match exactly.
    expect(ortWebGpu).toEqual(ortWasm);
    // The WGSL and reference engines follow the model's bfloat16 forward_dtype, so a near-tie
    // between two digits may resolve differently from float32 in a few cells.
    console.info(
      `cells differing from ort-wasm: webgpu ${countDifferences(webgpu, ortWasm)}, reference ${countDifferences(reference, ortWasm)}, webgpu vs reference ${countDifferences(webgpu, reference)}`,
    );
    expect(countDifferences(webgpu, ortWasm)).toBeLessThanOrEqual(3);
    expect(countDifferences(reference, ortWasm)).toBeLessThanOrEqual(3);
    expect(countDifferences(webgpu, reference)).toBeLessThanOrEqual(3);
  });

  test('auto returns to the WGSL engine', async () => {
    const select = page.getByTestId('backend-select');
    await select.selectOption('reference');
    await waitForRunOn(page, BACKEND_LINE.reference);
    await select.selectOption('auto');
    await waitForRunOn(page, BACKEND_LINE.webgpu);
    expect(await select.inputValue()).toBe('auto');
  });

  test('choices survive a reload', async () => {
    await page.getByTestId('backend-select').selectOption('ort-wasm');
    await waitForRunOn(page, BACKEND_LINE['ort-wasm']);
    await page.getByTestId('locale').selectOption('vi');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('vi');

    await page.reload();
    await expect
      .poll(() => page.getByTestId('backend').textContent(), { timeout: 300_000 })
      .toMatch(/onnxruntime-web trên WebAssembly/);
    expect(await page.getByTestId('backend-select').inputValue()).toBe('ort-wasm');
    expect(await page.getByTestId('locale').inputValue()).toBe('vi');

    // Back to the defaults, so the saved preferences do not leak into later tests.
    await page.getByTestId('locale').selectOption('en');
    await page.getByTestId('backend-select').selectOption('auto');
    await waitForRunOn(page, BACKEND_LINE.webgpu);
  });
});

describe('backend picker without WebGPU', () => {
  let browser: LaunchedBrowser;
  let page: Page;
  const ortFiles: string[] = [];

  beforeAll(async () => {
    browser = await launchChromiumWithoutWebGpu();
    browser.context.on('requestfinished', (request) => {
      if (/ort-wasm[^/]*\.(wasm|mjs)$/.test(request.url())) ortFiles.push(request.url());
    });
    page = await openApp(browser);
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('auto picks ort-wasm and says why', async () => {
    const banner = await waitForRunOn(page, BACKEND_LINE['ort-wasm']);
    expect(await page.getByTestId('backend-select').inputValue()).toBe('auto');
    expect(banner.backend).toMatch(
      /Why: .*(WebGPU|adapter).*running onnxruntime-web on WebAssembly/,
    );
    expect(await page.getByTestId('webgpu-status').textContent()).toMatch(/^WebGPU unavailable/);
    const option = (value: string) =>
      page.getByTestId('backend-select').locator(`option[value="${value}"]`).textContent();
    expect(await option('webgpu')).toBe('WebGPU (WGSL) (no WebGPU here)');
    expect(await option('ort-webgpu')).toBe('onnxruntime-web WebGPU (no WebGPU here)');
    expect(await option('ort-wasm')).toBe('onnxruntime-web WASM');

    const predictions = await readPredictions(page);
    expect(predictions.some((digit) => digit !== 0)).toBe(true);

    // onnxruntime-web's runtime came from the build's hashed assets.
    expect(ortFiles.some((url) => url.endsWith('.wasm'))).toBe(true);
    expect(ortFiles.some((url) => url.endsWith('.mjs'))).toBe(true);
    for (const url of ortFiles) expect(url).toMatch(new RegExp(`^${inject('appURL')}/assets/`));
  });

  test('webgpu request falls back to reference', async () => {
    const select = page.getByTestId('backend-select');
    await select.selectOption('webgpu');
    const banner = await waitForRunOn(page, BACKEND_LINE.reference);
    expect(banner.backend).toMatch(
      /Why: webgpu failed \(.+\); running the plain TypeScript engine/,
    );
    // The user's choice stays in the picker although another engine runs.
    expect(await select.inputValue()).toBe('webgpu');

    const predictions = await readPredictions(page);
    expect(predictions.some((digit) => digit !== 0)).toBe(true);
  });
});
