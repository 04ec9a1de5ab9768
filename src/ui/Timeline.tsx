// Timeline controls: play/pause, step back and forward by update, H cycle or segment, a scrubber
// over every recorded update, playback speed, and a strip of small boards after each segment.

import { memo, useCallback, useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdvanceUnit, StepEvent } from '../engine/types';
import type { Puzzle } from '../store/puzzle';
import { segmentEnds } from '../store/run';
import { PLAYBACK_SPEEDS } from '../store/settings';
import { MazeBoard } from './board/MazeBoard';
import { SudokuBoard } from './board/SudokuBoard';
import { sudokuCellViews } from './board/sudoku-view';
import { useApp, usePuzzle, useRun, useSettings } from './context';
import { togglePlay } from './shortcuts';
import { decodeDigit } from './tokens';

const UNITS: AdvanceUnit[] = ['segment', 'h_cycle', 'update'];

/** Describes an event's position, 1-based for people. */
export function usePositionLabel(event: StepEvent | undefined): string {
  const { t } = useTranslation();
  if (!event) return t('timeline.initial');
  const { segment, hCycle, lStep, module } = event.position;
  return module === 'L'
    ? t('timeline.positionL', { segment: segment + 1, hCycle: hCycle + 1, lStep: (lStep ?? 0) + 1 })
    : t('timeline.positionH', { segment: segment + 1, hCycle: hCycle + 1 });
}

/** Advances the cursor at the chosen speed while playing; stops at the end of a finished run. */
function usePlayback() {
  const app = useApp();
  const playing = useRun((state) => state.playing);
  const speed = useSettings((state) => state.speed);
  useEffect(() => {
    if (!playing) return;
    const timer = window.setInterval(() => {
      const { cursor, events, status, seek, setPlaying } = app.run.getState();
      if (cursor < events.length - 1) seek(cursor + 1);
      else if (status !== 'running') setPlaying(false);
    }, 1000 / speed);
    return () => window.clearInterval(timer);
  }, [app, playing, speed]);
}

interface SegmentThumbProps {
  event: StepEvent;
  index: number;
  current: boolean;
  puzzle: Puzzle;
  onSeek: (index: number) => void;
}

/** One small board of the strip; memoised, because the strip re-renders on every new update. */
const SegmentThumb = memo(function SegmentThumb({
  event,
  index,
  current,
  puzzle,
  onSeek,
}: SegmentThumbProps) {
  const { t } = useTranslation();
  const label = t('timeline.jumpToSegment', { segment: event.position.segment + 1 });
  const cells = useMemo(
    () =>
      puzzle.task === 'sudoku'
        ? sudokuCellViews(puzzle.digits, event, undefined, null, decodeDigit)
        : null,
    [puzzle, event],
  );
  return (
    <li>
      <button
        type="button"
        className={current ? 'current' : undefined}
        aria-label={label}
        aria-current={current ? 'step' : undefined}
        title={label}
        onClick={() => onSeek(index)}
      >
        {puzzle.task === 'sudoku' && cells ? (
          <SudokuBoard compact label={label} selected={null} cells={cells} />
        ) : (
          puzzle.task === 'maze' && (
            <MazeBoard
              compact
              grid={puzzle.grid}
              prediction={event.prediction}
              confidence={event.confidence}
              label={label}
              width={72}
            />
          )
        )}
        <span>{event.position.segment + 1}</span>
      </button>
    </li>
  );
});

function SegmentStrip() {
  const app = useApp();
  const { t } = useTranslation();
  const events = useRun((state) => state.events);
  const cursor = useRun((state) => state.cursor);
  const puzzle = usePuzzle((state) => state.puzzle);
  const ends = useMemo(() => segmentEnds(events), [events]);
  const onSeek = useCallback((index: number) => app.run.getState().seek(index), [app]);

  return (
    <ol className="segment-strip" aria-label={t('timeline.strip')}>
      {ends.map((index) => (
        <SegmentThumb
          key={index}
          event={events[index]}
          index={index}
          current={index === cursor}
          puzzle={puzzle}
          onSeek={onSeek}
        />
      ))}
    </ol>
  );
}

export function Timeline() {
  const app = useApp();
  const { t } = useTranslation();
  const events = useRun((state) => state.events);
  const cursor = useRun((state) => state.cursor);
  const playing = useRun((state) => state.playing);
  const speed = useSettings((state) => state.speed);
  const positionLabel = usePositionLabel(cursor >= 0 ? events[cursor] : undefined);
  usePlayback();

  const step = (direction: 1 | -1, unit: AdvanceUnit) => app.run.getState().step(direction, unit);

  return (
    <section className="timeline" aria-label={t('timeline.title')}>
      <div className="timeline-buttons">
        {UNITS.map((unit) => (
          <button
            key={`back-${unit}`}
            type="button"
            onClick={() => step(-1, unit)}
            aria-label={t(`timeline.back.${unit}`)}
            title={t(`timeline.back.${unit}`)}
          >
            {t(`timeline.backShort.${unit}`)}
          </button>
        ))}
        <button
          type="button"
          className="play"
          onClick={() => togglePlay(app)}
          aria-pressed={playing}
        >
          {playing ? t('timeline.pause') : t('timeline.play')}
        </button>
        {[...UNITS].reverse().map((unit) => (
          <button
            key={`forward-${unit}`}
            type="button"
            onClick={() => step(1, unit)}
            aria-label={t(`timeline.forward.${unit}`)}
            title={t(`timeline.forward.${unit}`)}
          >
            {t(`timeline.forwardShort.${unit}`)}
          </button>
        ))}
        <label className="speed">
          {t('timeline.speed')}
          <select
            value={speed}
            onChange={(event) => app.settings.getState().setSpeed(Number(event.target.value))}
          >
            {PLAYBACK_SPEEDS.map((value) => (
              <option key={value} value={value}>
                {t('timeline.speedValue', { value })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="scrubber">
        <span className="visually-hidden">{t('timeline.scrubber')}</span>
        <input
          type="range"
          min={-1}
          max={Math.max(events.length - 1, -1)}
          value={cursor}
          aria-valuetext={positionLabel}
          onChange={(event) => app.run.getState().seek(Number(event.target.value))}
        />
      </label>
      <p className="position" data-testid="timeline-position">
        {positionLabel}
        {events.length > 0 &&
          ` · ${t('timeline.updateCount', { index: cursor + 1, total: events.length })}`}
      </p>
      <SegmentStrip />
    </section>
  );
}
