// @vitest-environment happy-dom
import { cleanup, fireEvent, render } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createI18n } from '../../../src/i18n/index';
import { parseSudoku } from '../../../src/puzzles/sudoku/parse';
import { SudokuBoard } from '../../../src/ui/board/SudokuBoard';
import { sudokuCellViews } from '../../../src/ui/board/sudoku-view';
import { decodeDigit } from '../../../src/ui/tokens';

const PUZZLE = parseSudoku(
  '003020600900305001001806400008102900700000008006708200002609500800203009005010300',
);

afterEach(cleanup);

function renderBoard(onSelect = vi.fn(), locale: 'en' | 'vi' = 'en') {
  const cells = sudokuCellViews(PUZZLE, undefined, undefined, null, decodeDigit);
  const result = render(
    <I18nextProvider i18n={createI18n(locale)}>
      <SudokuBoard cells={cells} selected={4} label="Sudoku board" onSelect={onSelect} />
    </I18nextProvider>,
  );
  return { ...result, onSelect };
}

describe('SudokuBoard', () => {
  test('is an ARIA grid of 9 rows and 81 cells', () => {
    const { getByRole, getAllByRole } = renderBoard();
    expect(getByRole('grid').getAttribute('aria-label')).toBe('Sudoku board');
    expect(getAllByRole('row')).toHaveLength(9);
    expect(getAllByRole('gridcell')).toHaveLength(81);
  });

  test('cells name row, column and value', () => {
    const { getAllByRole } = renderBoard();
    const cells = getAllByRole('gridcell');
    expect(cells[0].getAttribute('aria-label')).toBe('Row 1, column 1: empty');
    expect(cells[2].getAttribute('aria-label')).toBe('Row 1, column 3: 3, clue');
    expect(cells[4].getAttribute('aria-selected')).toBe('true');
    expect(cells[2].textContent).toBe('3');
  });

  test('clicking a cell selects it', () => {
    const { getAllByRole, onSelect } = renderBoard();
    fireEvent.click(getAllByRole('gridcell')[40]);
    expect(onSelect).toHaveBeenCalledWith(40);
  });

  test('labels follow the locale', () => {
    const { getAllByRole } = renderBoard(vi.fn(), 'vi');
    expect(getAllByRole('gridcell')[2].getAttribute('aria-label')).toBe(
      'Hàng 1, cột 3: 3, số cho sẵn',
    );
  });
});
