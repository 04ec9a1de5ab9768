import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { parseSudoku } from '../../src/puzzles/sudoku/parse';
import { solveSudoku } from '../../src/puzzles/sudoku/solve';
import { createSettingsStore } from '../../src/store/settings';
import { STARTER_SUDOKU } from '../../src/ui/services';
import { type LaunchedBrowser, launchChromium } from './chromium';

// The built playground as it opens for a first-time visitor: the real catalog and the shipped default
// model from public/models (no routes stubbed), the starter Sudoku, and the default run of fixed
// compute up to the default segment limit. The shipped model solves the starter puzzle, so the
// board read through its ARIA grid must equal the exact solver's answer when the run ends.

/** The app's default segment limit. */
const DEFAULT_SEGMENTS = createSettingsStore().getState().maxSegments;
/** Updates per segment of sudoku-h64: H_cycles 2 × (L_cycles 2 + 1 H update). */
const UPDATES_PER_SEGMENT = 6;

let browser: LaunchedBrowser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Waits until the status line reports a finished run and returns its text. */
async function waitForRun(page: Page): Promise<string> {
  const status = page.getByTestId('run-status');
  await expect
    .poll(() => status.textContent(), { timeout: 300_000 })
    .toMatch(/Solved|Still wrong|Halted|Ran |failed/);
  return (await status.textContent()) ?? '';
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

describe('playground with shipped models', () => {
  test('default model solves starter Sudoku', async () => {
    const starter = parseSudoku(STARTER_SUDOKU);
    const solution = solveSudoku(starter).solution;
    expect(solution).not.toBeNull();

    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${inject('appURL')}/`);

    const status = await waitForRun(page);
    expect(status).toMatch(/Solved at segment \d+\./);
    expect(status).not.toContain('Still wrong');
    expect(await page.getByTestId('segment-limit').inputValue()).toBe(String(DEFAULT_SEGMENTS));
    expect(await page.getByRole('radio', { name: /Fixed compute/ }).isChecked()).toBe(true);

    // After the run the timeline rests on its last update, so the board shows the final prediction.
    const updates = DEFAULT_SEGMENTS * UPDATES_PER_SEGMENT;
    await expect
      .poll(() => page.getByTestId('timeline-position').textContent())
      .toContain(`update ${updates} of ${updates}`);
    const board = await readBoard(page);
    expect(board.map((cell) => cell.given)).toEqual(Array.from(starter, (digit) => digit !== 0));
    expect(board.map((cell) => cell.digit)).toEqual(Array.from(solution ?? []));

    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
