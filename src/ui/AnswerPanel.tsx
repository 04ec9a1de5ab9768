// The exact solver's answer beside HRM's: the solved grid, the difficulty rating (solver
// backtracks) and its band, and a warning when the puzzle has no solution or several.

import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { solveMaze } from '../puzzles/maze/search';
import { bandOfRating } from '../puzzles/sudoku/difficulty';
import { safeCheckPath } from './analysis';
import { SudokuBoard } from './board/SudokuBoard';
import { sudokuCellViews } from './board/sudoku-view';
import { usePuzzle } from './context';
import { useCursorEvents, useSudokuAnswer } from './derived';
import { decodeDigit } from './tokens';

function SudokuAnswerPanel() {
  const { t } = useTranslation();
  const answer = useSudokuAnswer();
  const solutionCells = useMemo(
    () =>
      answer?.solution
        ? sudokuCellViews(answer.solution, undefined, undefined, null, decodeDigit)
        : null,
    [answer],
  );
  if (!answer) return null;

  let verdict: string;
  if (answer.solutionCount === 0) verdict = t('answer.noSolution');
  else if (answer.solutionCount > 1) verdict = t('answer.multipleSolutions');
  else verdict = t('answer.unique');

  return (
    <>
      <p
        className={answer.solutionCount === 1 ? undefined : 'warning'}
        data-testid="answer-verdict"
      >
        {verdict}
      </p>
      {answer.solutionCount >= 1 && (
        <p data-testid="difficulty">
          {t('answer.rating', {
            rating: answer.rating,
            band: t(`band.${bandOfRating(answer.rating).name}`),
            ms: answer.elapsedMs.toFixed(1),
          })}
        </p>
      )}
      {solutionCells && (
        <SudokuBoard
          compact
          cells={solutionCells}
          selected={null}
          label={t('answer.solutionLabel')}
        />
      )}
    </>
  );
}

function MazeAnswerPanel() {
  const { t } = useTranslation();
  const puzzle = usePuzzle((state) => state.puzzle);
  const { event } = useCursorEvents();
  const solution = useMemo(() => {
    if (puzzle.task !== 'maze') return null;
    try {
      return solveMaze(puzzle.grid);
    } catch {
      // An invalid maze is explained by the status line; the panel only shows a valid answer.
      return null;
    }
  }, [puzzle]);
  const check = useMemo(
    () => (event && puzzle.task === 'maze' ? safeCheckPath(puzzle.grid, event.prediction) : null),
    [event, puzzle],
  );

  let verdict: string | null = null;
  if (check?.optimal) verdict = t('answer.pathOptimal', { moves: check.predictedDistance ?? 0 });
  else if (check && check.predictedDistance !== null) {
    verdict = t('answer.pathLonger', {
      moves: check.predictedDistance,
      extra: check.extraCells.length,
    });
  } else if (check) {
    verdict = t('answer.pathBroken', {
      breaks: check.breaks.length,
      deadEnds: check.deadEnds.length,
      walls: check.wallCells.length,
    });
  }
  return (
    <>
      <p data-testid="answer-verdict">
        {solution
          ? t('answer.mazeShortest', { moves: solution.distance })
          : t('answer.mazeUnreachable')}
      </p>
      {verdict && <p data-testid="path-verdict">{verdict}</p>}
    </>
  );
}

export function AnswerPanel() {
  const { t } = useTranslation();
  const task = usePuzzle((state) => state.puzzle.task);
  return (
    <section className="answer" aria-labelledby="answer-title">
      <h2 id="answer-title">{t('answer.title')}</h2>
      {task === 'sudoku' ? <SudokuAnswerPanel /> : <MazeAnswerPanel />}
    </section>
  );
}
