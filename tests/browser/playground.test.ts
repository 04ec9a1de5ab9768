import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { readSafetensors, writeSafetensors } from '../../src/model/safetensors';
import { encodeShareHash } from '../../src/puzzles/share';
import { formatSudokuGrid, formatSudokuLine } from '../../src/puzzles/sudoku/format';
import { parseSudoku } from '../../src/puzzles/sudoku/parse';
import { solveSudoku } from '../../src/puzzles/sudoku/solve';
import { type LaunchedBrowser, launchChromium } from './chromium';

// The built playground in Chromium, driven through its ARIA grid and controls. The catalog and
// the model download are served by page.route from the committed tiny random HRM
// (tests/fixtures/models/tiny), because the shipped models are trained separately. That model
// was never trained and cannot solve Sudoku, so the board is checked against the model's own
// decoded predictions (from the run's JSON export) and the givens, and the exact solver's
// answer is checked to be shown beside it.

const FIXTURES = join(import.meta.dirname, '../fixtures/models');
const SCREENSHOTS = join(import.meta.dirname, '../../test-results');
const UPDATES_PER_SEGMENT = 6;

/** First puzzle of public/puzzles/easy50-grids.txt: rating 0, one solution. */
const EASY = parseSudoku(
  '003020600900305001001806400008102900700000008006708200002609500800203009005010300',
);

const CATALOG = {
  models: [
    {
      id: 'tiny',
      name: 'Tiny random HRM',
      task: 'sudoku',
      path: 'models/tiny/model.safetensors',
      bytes: 533_304,
      card: 'models/tiny/MODEL_CARD.md',
      default: true,
    },
  ],
};

let browser: LaunchedBrowser;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function openApp(hash = '', options: { locale?: string } = {}): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => console.error(`[page] ${error.message}`));
  if (options.locale) {
    const locale = options.locale;
    await page.addInitScript((language) => {
      Object.defineProperty(navigator, 'language', { get: () => language });
    }, locale);
  }
  await page.route('**/models/index.json', (route) => route.fulfill({ json: CATALOG }));
  await page.route('**/models/tiny/model.safetensors', (route) =>
    route.fulfill({
      body: readFileSync(join(FIXTURES, 'tiny/model.safetensors')),
      contentType: 'application/octet-stream',
    }),
  );
  await page.route('**/models/tiny/MODEL_CARD.md', (route) =>
    route.fulfill({ body: '# Tiny random HRM\n\nNever trained.', contentType: 'text/markdown' }),
  );
  await page.goto(`${inject('appURL')}/${hash}`);
  return page;
}

/** Waits until the status line reports a finished run. */
async function waitForRun(page: Page): Promise<string> {
  const status = page.getByTestId('run-status');
  await expect
    .poll(() => status.textContent(), { timeout: 120_000 })
    .toMatch(/Solved|Still wrong|Halted|Ran /);
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

interface ExportedRun {
  events: { prediction: number[]; position: { segment: number } }[];
}

/** Downloads the recorded run through the "Run as JSON" button. */
async function exportRun(page: Page): Promise<ExportedRun> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Run as JSON' }).click(),
  ]);
  const path = await download.path();
  return JSON.parse(readFileSync(path, 'utf8')) as ExportedRun;
}

/** The board HRM should show at one recorded update: givens, and decoded digits elsewhere. */
function expectedBoard(givens: Uint8Array, prediction: number[]): number[] {
  return Array.from(givens, (given, cell) => {
    if (given !== 0) return given;
    const token = prediction[cell];
    return token >= 2 && token <= 10 ? token - 1 : 0;
  });
}

function timelinePosition(page: Page): Promise<string | null> {
  return page.getByTestId('timeline-position').textContent();
}

describe('playground', () => {
  test('share link restores the view and the board shows the run', async () => {
    const hash = encodeShareHash({
      task: 'sudoku',
      sudoku: EASY,
      maxSegments: 3,
      haltingMode: 'fixed',
      modelId: 'tiny',
      timelinePosition: 7,
    });
    const page = await openApp(hash);
    const status = await waitForRun(page);

    // The tiny model is untrained: it is expected to stay wrong after the limit.
    expect(status).toContain('Still wrong after 3 segments');
    expect(await page.getByTestId('segment-limit').inputValue()).toBe('3');
    expect(await page.getByRole('radio', { name: /Fixed compute/ }).isChecked()).toBe(true);
    await expect
      .poll(() => timelinePosition(page))
      .toContain(`update 8 of ${3 * UPDATES_PER_SEGMENT}`);

    const board = await readBoard(page);
    expect(board).toHaveLength(81);
    expect(board.map((cell) => cell.given)).toEqual(Array.from(EASY, (digit) => digit !== 0));

    const run = await exportRun(page);
    expect(run.events).toHaveLength(3 * UPDATES_PER_SEGMENT);
    expect(board.map((cell) => cell.digit)).toEqual(expectedBoard(EASY, run.events[7].prediction));

    // The exact solver's answer is shown beside HRM's.
    const solution = solveSudoku(EASY).solution;
    expect(solution).not.toBeNull();
    const answerCells = await page
      .getByRole('img', { name: 'Exact solution' })
      .locator('g.sudoku-cell')
      .evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute('data-digit'))));
    expect(answerCells).toEqual(Array.from(solution ?? []));
    await expect
      .poll(() => page.getByTestId('difficulty').textContent())
      .toContain('Difficulty rating 0 (easy)');

    await page.screenshot({ path: join(SCREENSHOTS, 'playground-sudoku.png'), fullPage: true });

    // The PNG and GIF exports download real image files.
    for (const [button, magic] of [
      ['Board as PNG', '89504e47'],
      ['Run as GIF', '47494638'],
    ] as const) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: button }).click(),
      ]);
      const bytes = readFileSync(await download.path());
      expect(bytes.subarray(0, 4).toString('hex'), button).toBe(magic);
    }
    await page.close();
  });

  test('stepping back and forward changes the board', async () => {
    const hash = encodeShareHash({
      task: 'sudoku',
      sudoku: EASY,
      maxSegments: 3,
      haltingMode: 'fixed',
      modelId: 'tiny',
    });
    const page = await openApp(hash);
    await waitForRun(page);
    const run = await exportRun(page);
    const last = run.events.length - 1;
    expect(await timelinePosition(page)).toContain(`update ${last + 1} of ${last + 1}`);

    const boards = new Map<number, number[]>();
    const visit = async (buttonName: string, expectedIndex: number) => {
      await page.getByRole('button', { name: buttonName, exact: true }).click();
      await expect.poll(() => timelinePosition(page)).toContain(`update ${expectedIndex + 1} of`);
      const board = (await readBoard(page)).map((cell) => cell.digit);
      expect(board).toEqual(expectedBoard(EASY, run.events[expectedIndex].prediction));
      boards.set(expectedIndex, board);
    };

    await visit('Back one segment', last - UPDATES_PER_SEGMENT);
    await visit('Back one segment', last - 2 * UPDATES_PER_SEGMENT);
    await visit('Forward one H cycle', last - 2 * UPDATES_PER_SEGMENT + 3);
    await visit('Back one update', last - 2 * UPDATES_PER_SEGMENT + 2);
    await visit('Forward one segment', last - UPDATES_PER_SEGMENT);

    // A random model's predictions move between segments, so some of these boards differ.
    const distinct = new Set([...boards.values()].map((board) => board.join('')));
    expect(distinct.size).toBeGreaterThan(1);

    // Keyboard: Home shows the initial state, with only the givens.
    await page.locator('body').press('Home');
    await expect.poll(() => timelinePosition(page)).toContain('Initial state');
    expect((await readBoard(page)).map((cell) => cell.digit)).toEqual(Array.from(EASY));

    // Space plays the recorded run from the start until its last update. The last clicked button
    // still has focus, and Space on a focused button presses it, so focus moves off it first.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.locator('body').press('Space');
    await expect
      .poll(() => timelinePosition(page), { timeout: 30_000 })
      .toContain(`update ${last + 1} of ${last + 1}`);
    await expect
      .poll(() => page.getByRole('button', { name: 'Play', exact: true }).count())
      .toBe(1);
    await page.close();
  });

  test('raising the limit extends the recorded run', async () => {
    const hash = encodeShareHash({
      task: 'sudoku',
      sudoku: EASY,
      maxSegments: 2,
      haltingMode: 'fixed',
      modelId: 'tiny',
    });
    const page = await openApp(hash);
    await waitForRun(page);
    const before = await exportRun(page);
    expect(before.events).toHaveLength(2 * UPDATES_PER_SEGMENT);

    const slider = page.getByTestId('segment-limit');
    await slider.focus();
    await slider.press('ArrowRight');
    await slider.press('ArrowRight');
    await expect.poll(() => slider.inputValue()).toBe('4');
    await expect
      .poll(() => page.getByTestId('run-status').textContent(), { timeout: 120_000 })
      .toContain('after 4 segments');

    const after = await exportRun(page);
    expect(after.events).toHaveLength(4 * UPDATES_PER_SEGMENT);
    // Extending keeps the recorded updates: the first two segments are unchanged.
    expect(after.events.slice(0, before.events.length)).toEqual(before.events);
    expect(page.url()).toContain('m=4');
    await page.close();
  });

  test('paste box accepts each Sudoku format', async () => {
    const page = await openApp(
      encodeShareHash({ task: 'sudoku', sudoku: EASY, maxSegments: 1, modelId: 'tiny' }),
    );
    await waitForRun(page);
    const other = parseSudoku(
      '200080300060070084030500209000105408000000000402706000301007040720040060004010003',
    );
    const formats: Record<string, string> = {
      'one line, dots': formatSudokuLine(other),
      'one line, zeros': formatSudokuLine(other, '0'),
      'one line, underscores': formatSudokuLine(other, '_'),
      'grid with separators': formatSudokuGrid(other),
      'header, comment and CRLF': `# from a collection\r\n${formatSudokuLine(other)} // from somewhere\r\n`,
      'plain 9x9 grid': formatSudokuLine(other).match(/.{9}/g)?.join('\n') ?? '',
    };
    for (const [name, text] of Object.entries(formats)) {
      // Reset to the easy puzzle so every format has to change the board.
      await page.getByTestId('paste-box').fill(formatSudokuLine(EASY));
      await page.getByRole('button', { name: 'Use pasted puzzle' }).click();
      await page.getByTestId('paste-box').fill(text);
      await page.getByRole('button', { name: 'Use pasted puzzle' }).click();
      await expect
        .poll(
          async () =>
            (await readBoard(page))
              .filter((cell) => cell.given)
              .map((cell) => cell.digit)
              .join(''),
          {
            message: name,
          },
        )
        .toBe(
          Array.from(other)
            .filter((digit) => digit !== 0)
            .join(''),
        );
      expect(await page.getByTestId('paste-error').count(), name).toBe(0);
    }
    await page.close();
  });

  test('invalid puzzle text and a clue conflict show errors', async () => {
    const page = await openApp(
      encodeShareHash({ task: 'sudoku', sudoku: EASY, maxSegments: 1, modelId: 'tiny' }),
    );
    await waitForRun(page);

    await page.getByTestId('paste-box').fill('12345');
    await page.getByRole('button', { name: 'Use pasted puzzle' }).click();
    await expect
      .poll(() => page.getByTestId('paste-error').textContent())
      .toContain('expected 81 cells');

    const conflicting = formatSudokuLine(EASY).replace(/^\.\./, '33');
    await page.getByTestId('paste-box').fill(conflicting);
    await page.getByRole('button', { name: 'Use pasted puzzle' }).click();
    await expect
      .poll(() => page.getByTestId('run-status').textContent())
      .toContain('Invalid puzzle: clue conflict, 3 at r1c1 and r1c2');
    const cell = page.getByRole('gridcell', { name: /^Row 1, column 1: 3/ });
    expect(await cell.getAttribute('class')).toContain('conflict');
    await page.screenshot({
      path: join(SCREENSHOTS, 'playground-invalid-puzzle.png'),
      fullPage: true,
    });
    await page.close();
  });

  test('board editing with keys and undo', async () => {
    const page = await openApp(
      encodeShareHash({ task: 'sudoku', sudoku: EASY, maxSegments: 1, modelId: 'tiny' }),
    );
    await waitForRun(page);
    const cell = (name: RegExp) => page.getByRole('gridcell', { name });

    await cell(/^Row 1, column 1:/).click();
    // 4 is the solution's digit there, so the edited puzzle stays valid and runs.
    await page.keyboard.press('4');
    await expect
      .poll(() => cell(/^Row 1, column 1:/).getAttribute('aria-label'))
      .toBe('Row 1, column 1: 4, clue');

    // Arrow keys move the selection within the board, and Delete clears the clue under it.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await cell(/^Row 1, column 3:/).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Delete');
    await expect
      .poll(() => cell(/^Row 1, column 3:/).getAttribute('aria-label'))
      .not.toContain('clue');

    // The edited puzzle runs again, and two undo steps restore the original clues.
    await waitForRun(page);
    await page.keyboard.press('Control+z');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect
      .poll(async () =>
        (await readBoard(page)).map((entry) => (entry.given ? entry.digit : 0)).join(''),
      )
      .toBe(Array.from(EASY).join(''));
    await page.close();
  });

  test('invalid link shows its problems and the app still runs', async () => {
    const page = await openApp(
      '#v=1&t=sudoku&p=not-a-puzzle&m=abc&h=sometimes&model=missing-model',
    );
    const problems = page.getByTestId('link-errors');
    await expect.poll(() => problems.textContent()).toContain('“m” = “abc”');
    const text = (await problems.textContent()) ?? '';
    expect(text).toContain('“p” = “not-a-puzzle”');
    expect(text).toContain('“h” = “sometimes”');
    expect(text).toContain("model not found: 'missing-model'");
    await waitForRun(page);
    expect(await page.getByTestId('current-model').textContent()).toBe('Loaded: Tiny random HRM');
    await page.screenshot({
      path: join(SCREENSHOTS, 'playground-invalid-link.png'),
      fullPage: true,
    });
    await page.close();
  });

  test('model drop loads and keeps on error', async () => {
    const page = await openApp(
      encodeShareHash({ task: 'sudoku', sudoku: EASY, maxSegments: 1, modelId: 'tiny' }),
    );
    await waitForRun(page);
    await page.route('**/fixtures/tiny-learned.safetensors', (route) =>
      route.fulfill({ body: readFileSync(join(FIXTURES, 'tiny-learned/model.safetensors')) }),
    );

    const drop = (name: string, url: string | null) =>
      page.evaluate(
        async ([fileName, fileUrl]) => {
          const bytes = fileUrl
            ? await (await fetch(fileUrl)).arrayBuffer()
            : new Uint8Array(64).fill(7);
          const transfer = new DataTransfer();
          transfer.items.add(new File([bytes], fileName));
          const zone = document.querySelector('[data-testid="model-drop-zone"]');
          zone?.dispatchEvent(
            new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }),
          );
        },
        [name, url] as const,
      );

    await drop('tiny-learned.safetensors', '/fixtures/tiny-learned.safetensors');
    await expect
      .poll(() => page.getByTestId('current-model').textContent(), { timeout: 60_000 })
      .toBe('Loaded: tiny-learned');
    await waitForRun(page);

    await drop('broken.safetensors', null);
    await expect
      .poll(() => page.getByTestId('model-error').textContent(), { timeout: 60_000 })
      .toContain('broken.safetensors');
    expect(await page.getByTestId('model-error').textContent()).toContain(
      'tiny-learned stays loaded.',
    );
    expect(await page.getByTestId('current-model').textContent()).toBe('Loaded: tiny-learned');
    await page.close();
  });

  test('Vietnamese locale is detected and renders', async () => {
    const page = await openApp(
      encodeShareHash({ task: 'sudoku', sudoku: EASY, maxSegments: 2, modelId: 'tiny' }),
      {
        locale: 'vi-VN',
      },
    );
    await expect
      .poll(() => page.getByTestId('run-status').textContent(), { timeout: 120_000 })
      .toContain('Vẫn sai sau 2 segment');
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    expect(await page.getByRole('heading', { name: 'Lượng tính toán' }).count()).toBe(1);
    const grid = page.getByRole('grid', { name: 'Bảng Sudoku' });
    expect(
      await grid.getByRole('gridcell', { name: /^Hàng 1, cột 3: 3, số cho sẵn$/ }).count(),
    ).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-vietnamese.png'), fullPage: true });

    // Switching back to English from the header.
    await page.getByTestId('locale').selectOption('en');
    await expect
      .poll(() => page.getByTestId('run-status').textContent())
      .toContain('Still wrong after 2 segments');
    await page.close();
  });

  test('maze model runs on the maze board', async () => {
    const page = await openApp(
      encodeShareHash({ task: 'sudoku', sudoku: EASY, maxSegments: 2, modelId: 'tiny' }),
    );
    await waitForRun(page);
    const bytes = tinyMazeModelBytes();
    await page.route('**/fixtures/tiny-maze.safetensors', (route) =>
      route.fulfill({ body: Buffer.from(bytes) }),
    );
    await page.evaluate(async () => {
      const data = await (await fetch('/fixtures/tiny-maze.safetensors')).arrayBuffer();
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], 'tiny-maze.safetensors'));
      document
        .querySelector('[data-testid="model-drop-zone"]')
        ?.dispatchEvent(
          new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
    });

    // Loading a maze model replaces the Sudoku with a 7×7 starter maze and runs it.
    const grid = page.getByRole('grid', { name: 'Maze board, 7 by 7' });
    await expect.poll(() => grid.getByRole('gridcell').count(), { timeout: 60_000 }).toBe(49);
    const status = await waitForRun(page);
    expect(status).toMatch(/after 2 segments|Solved at segment/);
    expect(await page.getByTestId('answer-verdict').textContent()).toMatch(
      /^Shortest path: \d+ moves\.$/,
    );
    expect(await page.getByTestId('path-verdict').textContent()).toMatch(/^HRM’s path/);

    // The hidden ARIA grid marks exactly the cells the model predicts as path ('o' = token 5).
    const run = await exportRun(page);
    const last = run.events[run.events.length - 1].prediction;
    const marked = await grid
      .getByRole('gridcell')
      .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-path') === '1'));
    expect(marked).toEqual(last.map((token) => token === 5));
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-maze.png'), fullPage: true });
    await page.close();
  });

  test('maze painter and phone layout render', async () => {
    const page = await openApp(
      encodeShareHash({ task: 'sudoku', sudoku: EASY, maxSegments: 1, modelId: 'tiny' }),
    );
    await waitForRun(page);
    const maze = ['#######', '#S    #', '# ### #', '#   # #', '### # #', '#    G#', '#######'].join(
      '\n',
    );
    // Opening a maze link in the same page replaces the Sudoku through the history listener.
    await page.goto(
      `${inject('appURL')}/${encodeShareHash({ task: 'maze', maze: { size: 7, cells: mazeCells(maze) }, modelId: 'tiny' })}`,
    );
    const grid = page.getByRole('grid', { name: 'Maze board, 7 by 7' });
    await expect.poll(() => grid.getByRole('gridcell').count()).toBe(49);
    expect(await grid.getByRole('gridcell', { name: 'Row 2, column 2: start' }).count()).toBe(1);
    // The Sudoku run is dropped, so no predicted path is drawn over the maze.
    expect(await grid.locator('[data-path="1"]').count()).toBe(0);
    expect(await page.getByTestId('timeline-position').textContent()).toBe(
      'Initial state, before the first update',
    );
    // The Sudoku model cannot run a maze, and the status line gives the reason.
    await expect
      .poll(() => page.getByTestId('run-status').textContent())
      .toContain('solves Sudoku puzzles with 81 cells');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-maze-phone.png'), fullPage: true });
    await page.close();
  });
});

/**
 * Builds a random 7×7 maze model from the tiny Sudoku fixture: the same blocks, with the token
 * embedding and lm_head cut to the maze vocabulary (6 ids) and seq_len 49. Like the fixture it
 * is untrained, so it exercises the maze board, not maze solving.
 */
function tinyMazeModelBytes(): Uint8Array {
  const file = readSafetensors(
    new Uint8Array(readFileSync(join(FIXTURES, 'tiny/model.safetensors'))),
    'model.safetensors',
  );
  const config = JSON.parse(file.metadata.hrm_config) as Record<string, unknown>;
  const hidden = config.hidden_size as number;
  const tensors = new Map(file.tensors);
  for (const name of ['model.inner.embed_tokens.embedding_weight', 'model.inner.lm_head.weight']) {
    const tensor = tensors.get(name);
    if (!tensor) throw new Error(`tiny fixture lacks ${name}`);
    tensors.set(name, { ...tensor, shape: [6, hidden], data: tensor.data.slice(0, 6 * hidden) });
  }
  return writeSafetensors(tensors, {
    format: 'hrm',
    hrm_config: JSON.stringify({ ...config, vocab_size: 6, seq_len: 49 }),
    model_card: 'Random tiny maze HRM built by the playground tests; never trained.',
  });
}

function mazeCells(text: string): Uint8Array {
  return Uint8Array.from(text.replace(/\n/g, ''), (char) => '# SGo'.indexOf(char) + 1);
}
