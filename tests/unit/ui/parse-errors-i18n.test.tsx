// @vitest-environment happy-dom
// Paste-box parse errors in the interface language: every parser failure code has a message in
// both locales, the English one reproduces the parser's own message, and the panel shows the
// Vietnamese one on a Vietnamese page.
import { act, cleanup, fireEvent, render } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, test, vi as vitest } from 'vitest';
import { en } from '../../../src/i18n/en';
import { createI18n } from '../../../src/i18n/index';
import { vi } from '../../../src/i18n/vi';
import { MAZE_FORMAT_ERROR_CODES } from '../../../src/puzzles/maze/grid';
import { parseMaze } from '../../../src/puzzles/maze/text';
import { SUDOKU_PARSE_ERROR_CODES } from '../../../src/puzzles/sudoku/parse';
import { createApp } from '../../../src/store/app';
import { AppProvider } from '../../../src/ui/context';
import { PuzzlePanel } from '../../../src/ui/PuzzlePanel';
import { pasteErrorOf } from '../../../src/ui/parse-errors';
import { createBrowserServices, puzzleProblem } from '../../../src/ui/services';
import { MAZE_ERROR_CASES } from '../maze/format-error-cases';
import { caughtBy, NORVIG_FIRST, SUDOKU_ERROR_CASES } from '../sudoku/parse-error-cases';

const ERROR_CASES = [
  ...SUDOKU_ERROR_CASES.map((errorCase) => ({ puzzle: 'sudoku', ...errorCase })),
  ...MAZE_ERROR_CASES.map((errorCase) => ({ puzzle: 'maze', ...errorCase })),
];

/** Returns the sorted `{{name}}` placeholders of a message template. */
function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort();
}

function renderPanel(locale: 'en' | 'vi') {
  // The gallery fetches public/puzzles/gallery.json, which no server provides here.
  vitest.stubGlobal(
    'fetch',
    vitest.fn(async () => new Response('not found', { status: 404 })),
  );
  const app = createApp(createBrowserServices());
  const view = render(
    <I18nextProvider i18n={createI18n(locale)}>
      <AppProvider app={app}>
        <PuzzlePanel />
      </AppProvider>
    </I18nextProvider>,
  );

  return { app, ...view };
}

afterEach(() => {
  cleanup();
  vitest.unstubAllGlobals();
  vitest.restoreAllMocks();
});

describe('parse error messages', () => {
  const locales = { en: en.puzzle.parse, vi: vi.puzzle.parse };
  const codeLists = { sudoku: SUDOKU_PARSE_ERROR_CODES, maze: MAZE_FORMAT_ERROR_CODES };

  for (const [locale, messages] of Object.entries(locales)) {
    for (const [puzzle, codes] of Object.entries(codeLists)) {
      test(`${locale} has every ${puzzle} code`, () => {
        const templates: Record<string, string> = messages[puzzle as keyof typeof codeLists];

        expect(codes.filter((code) => typeof templates[code] !== 'string')).toEqual([]);
        expect(Object.keys(templates).filter((key) => !codes.includes(key as never))).toEqual([]);
      });
    }
  }

  for (const [puzzle, codes] of Object.entries(codeLists)) {
    test(`vi names the ${puzzle} values en names`, () => {
      const english: Record<string, string> = en.puzzle.parse[puzzle as keyof typeof codeLists];
      const vietnamese: Record<string, string> = vi.puzzle.parse[puzzle as keyof typeof codeLists];

      for (const code of codes) {
        expect(placeholdersOf(vietnamese[code]), code).toEqual(placeholdersOf(english[code]));
      }
    });
  }

  test('English matches parser messages', () => {
    const t = createI18n('en').t;

    for (const errorCase of ERROR_CASES) {
      const pasteError = pasteErrorOf(caughtBy(errorCase.parse), t);

      expect(pasteError.message, errorCase.name).toBe(errorCase.message);
      expect(pasteError.english, errorCase.name).toBe(false);
    }
  });

  test('Vietnamese fills every value', () => {
    const t = createI18n('vi').t;

    for (const errorCase of ERROR_CASES) {
      const pasteError = pasteErrorOf(caughtBy(errorCase.parse), t);

      expect(pasteError.message, errorCase.name).not.toBe(errorCase.message);
      expect(pasteError.message, errorCase.name).not.toMatch(/\{\{|\}\}|puzzle\.parse/);
      expect(pasteError.english, errorCase.name).toBe(false);
    }
  });

  test('Vietnamese lists repeated positions', () => {
    const t = createI18n('vi').t;
    const repeated = MAZE_ERROR_CASES.find((errorCase) => errorCase.code === 'repeatedStart');
    if (repeated === undefined) throw new Error('the maze cases lack a repeatedStart case');

    expect(pasteErrorOf(caughtBy(repeated.parse), t).message).toBe(
      "mê cung không hợp lệ: có 5 ô 'S' (xuất phát), tại dòng 1, cột 1; dòng 1, cột 2; " +
        "dòng 1, cột 3; dòng 2, cột 1; và 1 ô khác; chỉ giữ lại đúng một 'S'",
    );
  });

  test('uncoded error stays English', () => {
    const pasteError = pasteErrorOf(new Error('store rejected the puzzle'), createI18n('vi').t);

    expect(pasteError).toEqual({ message: 'store rejected the puzzle', english: true });
  });
});

describe('PuzzlePanel paste errors', () => {
  test('bad Sudoku shown in Vietnamese', () => {
    const { app, getByTestId, getByRole } = renderPanel('vi');

    fireEvent.change(getByTestId('paste-box'), { target: { value: '123' } });
    fireEvent.click(getByRole('button', { name: 'Dùng câu đố vừa dán' }));

    const error = getByTestId('paste-error');
    expect(error.textContent).toBe(
      'Văn bản câu đố không hợp lệ: dòng 1: cần 81 ô (câu đố viết trên một dòng) hoặc 9 ô ' +
        '(một hàng của lưới), nhưng có 3 ô',
    );
    expect(error.querySelector('[lang="en"]')).toBeNull();
    app.controller.dispose();
  });

  test('bad Sudoku character quoted in Vietnamese', () => {
    const { app, getByTestId, getByRole } = renderPanel('vi');

    fireEvent.change(getByTestId('paste-box'), { target: { value: `"${NORVIG_FIRST}"` } });
    fireEvent.click(getByRole('button', { name: 'Dùng câu đố vừa dán' }));

    expect(getByTestId('paste-error').textContent).toContain('dòng 1: ký tự "\\"" ở cột 1');
    app.controller.dispose();
  });

  test('bad maze shown in Vietnamese', () => {
    const { app, getByTestId, getByRole } = renderPanel('vi');
    const maze = parseMaze(['S  ', ' # ', '  G'].join('\n'));
    act(() => app.puzzle.getState().setPuzzle({ task: 'maze', grid: maze }, { kind: 'pasted' }));

    fireEvent.change(getByTestId('paste-box'), { target: { value: 'S \n  ' } });
    fireEvent.click(getByRole('button', { name: 'Dùng câu đố vừa dán' }));

    expect(getByTestId('paste-error').textContent).toBe(
      "Văn bản câu đố không hợp lệ: mê cung không hợp lệ: không có ô 'G' (đích); " +
        "hãy đánh dấu đúng một ô trống là 'G'",
    );
    app.controller.dispose();
  });

  test('uncoded error marked English', () => {
    const { app, getByTestId, getByRole } = renderPanel('vi');
    // Every parser error has a code, so a spy on the store's setPuzzle raises a plain Error.
    vitest.spyOn(app.puzzle.getState(), 'setPuzzle').mockImplementation(() => {
      throw new Error('store rejected the puzzle');
    });

    fireEvent.change(getByTestId('paste-box'), { target: { value: NORVIG_FIRST } });
    fireEvent.click(getByRole('button', { name: 'Dùng câu đố vừa dán' }));

    const error = getByTestId('paste-error');
    expect(error.textContent).toBe('Văn bản câu đố không hợp lệ: store rejected the puzzle');
    expect(error.querySelector('[lang="en"]')?.textContent).toBe('store rejected the puzzle');
    app.controller.dispose();
  });

  test('empty paste shown in Vietnamese', () => {
    const { app, getByTestId, getByRole } = renderPanel('vi');

    fireEvent.change(getByTestId('paste-box'), { target: { value: '# only a header\n' } });
    fireEvent.click(getByRole('button', { name: 'Dùng câu đố vừa dán' }));

    const error = getByTestId('paste-error');
    expect(error.textContent).toBe('Văn bản câu đố không hợp lệ: văn bản không chứa câu đố nào');
    expect(error.querySelector('[lang="en"]')).toBeNull();
    app.controller.dispose();
  });
});

describe('invalid maze on the board', () => {
  test('status problem message translates', () => {
    // A 2×2 maze with a start and no goal, as a user might leave it while painting.
    const grid = { size: 2, cells: Uint8Array.of(3, 2, 2, 1) };
    const problem = puzzleProblem({ task: 'maze', grid });
    expect(problem?.key).toBe('invalidMaze');
    const vi = pasteErrorOf(problem?.cause, createI18n('vi').t);
    expect(vi.english).toBe(false);
    expect(vi.message).toContain("không có ô 'G'");
  });
});
