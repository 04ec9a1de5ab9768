// The main board for the current puzzle at the timeline cursor, with editing. On a Sudoku, click
// a cell and type a digit, move with the arrow keys, clear with Delete, Backspace or 0, and undo
// with Ctrl+Z. On a maze, pick a brush and drag over the cells.

import { type KeyboardEvent, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MazeCell } from '../../puzzles/maze/grid';
import type { PaintableCell } from '../../store/puzzle';
import { safeCheckPath } from '../analysis';
import { useApp, usePuzzle } from '../context';
import { useCursorEvents, useSudokuAnswer } from '../derived';
import { confidenceColour } from '../export/draw';
import { decodeDigit } from '../tokens';
import { MazeBoard } from './MazeBoard';
import { SudokuBoard } from './SudokuBoard';
import { sudokuCellViews } from './sudoku-view';

const ARROWS: Record<string, number> = { ArrowUp: -9, ArrowDown: 9, ArrowLeft: -1, ArrowRight: 1 };

function SudokuPanel() {
  const app = useApp();
  const { t } = useTranslation();
  const puzzle = usePuzzle((state) => state.puzzle);
  const selected = usePuzzle((state) => state.selected);
  const canUndo = usePuzzle((state) => state.undoStack.length > 0);
  const answer = useSudokuAnswer();
  const { event, previous } = useCursorEvents();
  const digits = puzzle.task === 'sudoku' ? puzzle.digits : null;
  const solution = answer?.solutionCount === 1 ? answer.solution : null;

  const cells = useMemo(
    () => (digits ? sudokuCellViews(digits, event, previous, solution, decodeDigit) : []),
    [digits, event, previous, solution],
  );

  const onSelect = useCallback((index: number) => app.puzzle.getState().select(index), [app]);

  const onKeyDown = (keyEvent: KeyboardEvent<SVGSVGElement>) => {
    const state = app.puzzle.getState();
    if ((keyEvent.ctrlKey || keyEvent.metaKey) && keyEvent.key.toLowerCase() === 'z') {
      state.undo();
      keyEvent.preventDefault();
      keyEvent.stopPropagation();
      return;
    }
    const current = state.selected ?? 0;
    const move = ARROWS[keyEvent.key];
    if (move !== undefined) {
      const next = current + move;
      // Left and right stay within the row; up and down stay within the grid.
      const sameRow = Math.abs(move) !== 1 || Math.floor(next / 9) === Math.floor(current / 9);
      if (next >= 0 && next < 81 && sameRow) state.select(next);
      else if (state.selected === null) state.select(current);
    } else if (/^[1-9]$/.test(keyEvent.key)) {
      state.setDigit(current, Number(keyEvent.key));
    } else if (keyEvent.key === 'Delete' || keyEvent.key === 'Backspace' || keyEvent.key === '0') {
      state.setDigit(current, 0);
    } else {
      return;
    }
    keyEvent.preventDefault();
    keyEvent.stopPropagation();
  };

  return (
    <>
      <SudokuBoard
        cells={cells}
        selected={selected}
        label={t('board.sudokuLabel')}
        onSelect={onSelect}
        onKeyDown={onKeyDown}
      />
      <div className="board-tools">
        <span className="hint">{t('board.editHint')}</span>
        <button type="button" onClick={() => app.puzzle.getState().undo()} disabled={!canUndo}>
          {t('puzzle.undo')}
        </button>
      </div>
    </>
  );
}

const BRUSHES: { cell: PaintableCell; key: string }[] = [
  { cell: MazeCell.wall, key: 'maze.wall' },
  { cell: MazeCell.open, key: 'maze.open' },
  { cell: MazeCell.start, key: 'maze.start' },
  { cell: MazeCell.goal, key: 'maze.goal' },
];

function MazePanel() {
  const app = useApp();
  const { t } = useTranslation();
  const puzzle = usePuzzle((state) => state.puzzle);
  const { event, previous } = useCursorEvents();
  const [brush, setBrush] = useState<PaintableCell | null>(null);

  const changed = useMemo(() => {
    if (!event || !previous) return undefined;
    return Uint8Array.from(event.prediction, (token, i) =>
      token !== previous.prediction[i] ? 1 : 0,
    );
  }, [event, previous]);

  // Path cells on walls, where the path stops short, and dead ends get an outline.
  const broken = useMemo(() => {
    if (!event || puzzle.task !== 'maze') return undefined;
    const check = safeCheckPath(puzzle.grid, event.prediction);
    if (!check) return undefined;
    const mask = new Uint8Array(event.prediction.length);
    for (const cell of [...check.wallCells, ...check.breaks, ...check.deadEnds]) mask[cell] = 1;
    return mask;
  }, [event, puzzle]);

  if (puzzle.task !== 'maze') return null;
  return (
    <div className="maze-panel">
      <MazeBoard
        grid={puzzle.grid}
        prediction={event?.prediction}
        confidence={event?.confidence}
        changed={changed}
        broken={broken}
        label={t('board.mazeLabel', { size: puzzle.grid.size })}
        onPaint={
          brush === null ? undefined : (index) => app.puzzle.getState().paintMaze(index, brush)
        }
      />
      <fieldset className="brushes">
        <legend>{t('maze.painter')}</legend>
        <label>
          <input
            type="radio"
            name="brush"
            checked={brush === null}
            onChange={() => setBrush(null)}
          />
          {t('maze.noBrush')}
        </label>
        {BRUSHES.map(({ cell, key }) => (
          <label key={cell}>
            <input
              type="radio"
              name="brush"
              checked={brush === cell}
              onChange={() => setBrush(cell)}
            />
            {t(key)}
          </label>
        ))}
        <button type="button" onClick={() => app.puzzle.getState().undo()}>
          {t('puzzle.undo')}
        </button>
      </fieldset>
    </div>
  );
}

/** CSS gradient of the cividis confidence scale, sampled at 11 stops. */
const CONFIDENCE_RAMP = `linear-gradient(to right, ${Array.from({ length: 11 }, (_, i) => confidenceColour(i / 10)).join(', ')})`;

/** Key to the board's marks: the confidence colour scale and the changed-cell dot. */
function Legend() {
  const { t } = useTranslation();
  return (
    <p className="legend">
      <span>{t('board.legendConfidence')}</span>
      <span>0%</span>
      <span className="ramp" style={{ background: CONFIDENCE_RAMP }} aria-hidden="true" />
      <span>100%</span>
      <span className="swatch-changed" aria-hidden="true" />
      <span>{t('board.legendChanged')}</span>
    </p>
  );
}

export function BoardPanel() {
  const task = usePuzzle((state) => state.puzzle.task);
  return (
    <section className="board-panel">
      {task === 'sudoku' ? <SudokuPanel /> : <MazePanel />}
      <Legend />
    </section>
  );
}
