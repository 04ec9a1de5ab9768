// The puzzle panel. Paste text in any format the parsers read, draw a random Sudoku by difficulty
// band or a random maze of the model's size, or pick from the gallery, ordered by difficulty rating.

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { generateMaze } from '../puzzles/maze/generate';
import { parseMaze } from '../puzzles/maze/text';
import { createRng } from '../puzzles/random';
import {
  bandOfRating,
  DIFFICULTY_BAND_NAMES,
  type DifficultyBandName,
} from '../puzzles/sudoku/difficulty';
import { generateSudoku } from '../puzzles/sudoku/generate';
import { parseSudokuText } from '../puzzles/sudoku/parse';
import { solveSudoku } from '../puzzles/sudoku/solve';
import { messageOf } from '../store/errors';
import { predictedGrid } from './board/sudoku-view';
import { useApp, useModel, usePuzzle } from './context';
import { type GalleryEntry, parseGallery } from './gallery/gallery';
import { type PasteError, pasteErrorOf } from './parse-errors';
import { decodeDigit } from './tokens';

function PasteBox() {
  const app = useApp();
  const { t } = useTranslation();
  const task = usePuzzle((state) => state.puzzle.task);
  const [text, setText] = useState('');
  const [error, setError] = useState<PasteError | null>(null);

  const apply = () => {
    try {
      if (task === 'sudoku') {
        const parsed = parseSudokuText(text);
        if (parsed.length === 0) {
          setError({ message: t('puzzle.pasteEmpty'), english: false });
          return;
        }
        // A pasted collection puts its first puzzle on the board.
        app.puzzle
          .getState()
          .setPuzzle({ task: 'sudoku', digits: parsed[0].puzzle }, { kind: 'pasted' });
      } else {
        app.puzzle
          .getState()
          .setPuzzle({ task: 'maze', grid: parseMaze(text) }, { kind: 'pasted' });
      }
      setError(null);
    } catch (caught) {
      setError(pasteErrorOf(caught, t));
    }
  };

  return (
    <div className="paste">
      <label htmlFor="paste-box">
        {t(task === 'sudoku' ? 'puzzle.pasteSudoku' : 'puzzle.pasteMaze')}
      </label>
      <textarea
        id="paste-box"
        data-testid="paste-box"
        rows={task === 'sudoku' ? 4 : 8}
        spellCheck={false}
        value={text}
        onChange={(event) => setText(event.target.value)}
        aria-invalid={error !== null}
        aria-describedby={error ? 'paste-error' : undefined}
      />
      <button type="button" onClick={apply}>
        {t('puzzle.usePasted')}
      </button>
      {error && (
        <p id="paste-error" className="error" role="alert" data-testid="paste-error">
          {error.english ? (
            // The frame ends with the message in both locales, so the English part follows it.
            <>
              {t('puzzle.pasteInvalid', { message: '' })}
              <span lang="en">{error.message}</span>
            </>
          ) : (
            t('puzzle.pasteInvalid', { message: error.message })
          )}
        </p>
      )}
    </div>
  );
}

function RandomPuzzle() {
  const app = useApp();
  const { t } = useTranslation();
  const task = usePuzzle((state) => state.puzzle.task);
  const seqLen = useModel((state) => state.current?.config.seq_len ?? null);
  const [band, setBand] = useState<DifficultyBandName>('easy');
  const [error, setError] = useState<string | null>(null);

  const draw = () => {
    const seed = Math.floor(Math.random() * 2 ** 31);
    try {
      if (task === 'sudoku') {
        const generated = generateSudoku(createRng(seed), { band });
        app.puzzle
          .getState()
          .setPuzzle({ task: 'sudoku', digits: generated.puzzle }, { kind: 'random', label: band });
      } else {
        const size = Math.round(Math.sqrt(seqLen ?? 900));
        app.puzzle
          .getState()
          .setPuzzle(
            { task: 'maze', grid: generateMaze(createRng(seed), { size }) },
            { kind: 'random' },
          );
      }
      setError(null);
    } catch (caught) {
      setError(messageOf(caught));
    }
  };

  return (
    <div className="random">
      {task === 'sudoku' && (
        <label>
          {t('puzzle.band')}
          <select
            value={band}
            onChange={(event) => setBand(event.target.value as DifficultyBandName)}
          >
            {DIFFICULTY_BAND_NAMES.map((name) => (
              <option key={name} value={name}>
                {t(`band.${name}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="button" onClick={draw}>
        {t(task === 'sudoku' ? 'puzzle.randomSudoku' : 'puzzle.randomMaze')}
      </button>
      {error && (
        <p className="error" role="alert">
          {t('puzzle.randomFailed', { message: error })}
        </p>
      )}
    </div>
  );
}

/** Gallery puzzles checked per click, easiest first, so a slow backend finishes in minutes. */
const SHELF_SAMPLE = 24;

interface ShelfState {
  checked: number;
  total: number;
  wrong: GalleryEntry[];
  running: boolean;
}

/** Runs the current model on the easiest gallery puzzles and lists the ones it gets wrong. */
function WrongShelf({
  entries,
  onPick,
}: {
  entries: GalleryEntry[];
  onPick: (entry: GalleryEntry) => void;
}) {
  const app = useApp();
  const { t } = useTranslation();
  const model = useModel((state) => state.current);
  const [shelf, setShelf] = useState<ShelfState | null>(null);

  const check = async () => {
    const sample = entries.slice(0, SHELF_SAMPLE);
    const puzzles = sample.map((entry) => parseSudokuText(entry.puzzle)[0].puzzle);
    const solutions = puzzles.map((digits) => solveSudoku(digits).solution);
    setShelf({ checked: 0, total: sample.length, wrong: [], running: true });
    await app.evaluatePuzzles(
      puzzles.map((digits) => ({ task: 'sudoku', digits })),
      (index, prediction) => {
        const solution = solutions[index];
        const grid = predictedGrid(puzzles[index], prediction, decodeDigit);
        const right = solution !== null && grid.every((digit, cell) => digit === solution[cell]);
        setShelf(
          (previous) =>
            previous && {
              ...previous,
              checked: previous.checked + 1,
              wrong: right ? previous.wrong : [...previous.wrong, sample[index]],
            },
        );
      },
    );
    setShelf((previous) => previous && { ...previous, running: false });
  };

  if (model?.task !== 'sudoku') return null;
  return (
    <div className="shelf">
      <button type="button" onClick={() => void check()} disabled={shelf?.running}>
        {t('puzzle.findWrong', { count: Math.min(SHELF_SAMPLE, entries.length) })}
      </button>
      {shelf && (
        <p role="status">
          {shelf.running
            ? t('puzzle.checking', { checked: shelf.checked, total: shelf.total })
            : t('puzzle.wrongCount', { wrong: shelf.wrong.length, total: shelf.checked })}
        </p>
      )}
      {shelf && shelf.wrong.length > 0 && (
        <ul aria-label={t('puzzle.shelf')} data-testid="wrong-shelf">
          {shelf.wrong.map((entry) => (
            <li key={`${entry.source}:${entry.line}`}>
              <button type="button" onClick={() => onPick(entry)}>
                {t('puzzle.galleryEntry', {
                  band: t(`band.${bandOfRating(entry.rating).name}`),
                  rating: entry.rating,
                  source: entry.source,
                  line: entry.line,
                })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Gallery() {
  const app = useApp();
  const { t } = useTranslation();
  const [entries, setEntries] = useState<GalleryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    fetch(`${import.meta.env.BASE_URL}puzzles/gallery.json`)
      .then((response) => {
        if (!response.ok) throw new Error(`puzzles/gallery.json: HTTP ${response.status}`);
        return response.json();
      })
      .then((json) => setEntries(parseGallery(json)))
      .catch((caught) => setError(messageOf(caught)));
  }, []);

  const pick = (entry: GalleryEntry) => {
    const digits = parseSudokuText(entry.puzzle)[0].puzzle;
    app.puzzle
      .getState()
      .setPuzzle(
        { task: 'sudoku', digits },
        { kind: 'gallery', label: `${entry.source}:${entry.line}` },
      );
  };

  if (error) return <p className="error">{t('puzzle.galleryFailed', { message: error })}</p>;
  if (!entries) return <p>{t('puzzle.galleryLoading')}</p>;
  return (
    <>
      <WrongShelf entries={entries} onPick={pick} />
      <details className="gallery">
        <summary>{t('puzzle.gallery', { count: entries.length })}</summary>
        <ol>
          {entries.map((entry) => (
            <li key={`${entry.source}:${entry.line}`}>
              <button type="button" onClick={() => pick(entry)}>
                {t('puzzle.galleryEntry', {
                  band: t(`band.${bandOfRating(entry.rating).name}`),
                  rating: entry.rating,
                  source: entry.source,
                  line: entry.line,
                })}
              </button>
            </li>
          ))}
        </ol>
      </details>
    </>
  );
}

export function PuzzlePanel() {
  const { t } = useTranslation();
  const task = usePuzzle((state) => state.puzzle.task);
  return (
    <section className="puzzle-panel" aria-labelledby="puzzle-title">
      <h2 id="puzzle-title">{t('puzzle.title')}</h2>
      {/* Keyed by task so a Sudoku paste and its error do not linger after a switch to a maze. */}
      <PasteBox key={task} />
      <RandomPuzzle />
      {task === 'sudoku' && <Gallery />}
    </section>
  );
}
