// The run charts. The first plots the relative update size of z_L and z_H per update, which shows
// hierarchical convergence: z_L settles within each H cycle and moves again once the H update
// changes its input. The others plot q_halt and q_continue per segment with the halting point, and
// cell accuracy per update when the exact answer is known.

import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, usePuzzle, useRun } from '../context';
import { useScores } from '../derived';
import { type ChartMark, type ChartSeries, LineChart } from './LineChart';

export function Charts() {
  const app = useApp();
  const { t } = useTranslation();
  const events = useRun((state) => state.events);
  const cursor = useRun((state) => state.cursor);
  const setup = useRun((state) => state.setup);
  const scores = useScores();
  const task = usePuzzle((state) => state.puzzle.task);
  const onSeek = useCallback((index: number) => app.run.getState().seek(index), [app]);

  // Fix the x range to the whole planned run, so the axes stay put while it records.
  const updatesPerSegment = useMemo(() => {
    const first = events.findIndex((event) => event.position.segment === 1);
    return first > 0 ? first : Math.max(1, events.length);
  }, [events]);
  const maxUpdate = Math.max(events.length - 1, (setup?.maxSegments ?? 1) * updatesPerSegment - 1);

  const updateSeries = useMemo<ChartSeries[]>(
    () =>
      (['L', 'H'] as const).map((module) => ({
        name: module,
        className: module === 'L' ? 'series-l' : 'series-h',
        points: events.flatMap((event, index) =>
          event.position.module === module ? [{ x: index, y: event.relativeUpdate }] : [],
        ),
      })),
    [events],
  );

  const { qSeries, qMarks } = useMemo(() => {
    const withQ = events.filter((event) => event.q !== undefined);
    const halt = withQ.map((event) => ({
      x: event.position.segment + 1,
      y: event.q?.halt ?? Number.NaN,
    }));
    const keepGoing = withQ.map((event) => ({
      x: event.position.segment + 1,
      y: event.q?.continue ?? Number.NaN,
    }));
    const marks: ChartMark[] = [];
    const halted = events.find((event) => event.halted);
    const firstHaltVote = withQ.find((event) => event.q && event.q.halt > event.q.continue);
    const point = halted ?? firstHaltVote;
    if (point?.q) {
      marks.push({
        x: point.position.segment + 1,
        y: point.q.halt,
        label: t('charts.haltPoint', { segment: point.position.segment + 1 }),
      });
    }
    return {
      qSeries: [
        { name: 'q_halt', className: 'series-halt', points: halt },
        { name: 'q_continue', className: 'series-continue', points: keepGoing },
      ],
      qMarks: marks,
    };
  }, [events, t]);

  const accuracySeries = useMemo<ChartSeries[]>(
    () => [
      {
        name: 'accuracy',
        className: 'series-accuracy',
        points: scores.flatMap((score, index) =>
          score ? [{ x: index, y: score.cellAccuracy }] : [],
        ),
      },
    ],
    [scores],
  );
  const exactMarks = useMemo<ChartMark[]>(
    () =>
      scores.flatMap((score, index) =>
        score?.exact ? [{ x: index, y: 1, label: t('charts.exactAt', { index: index + 1 }) }] : [],
      ),
    [scores, t],
  );
  const hasScores = scores.some((score) => score !== null);
  const cursorEvent = cursor >= 0 ? events[cursor] : undefined;

  return (
    <section className="charts" aria-labelledby="charts-title">
      <h2 id="charts-title">{t('charts.title')}</h2>
      <figure>
        <figcaption>
          {t('charts.updateSize')} <span className="key series-l">z_L</span>{' '}
          <span className="key series-h">z_H</span>
        </figcaption>
        <LineChart
          series={updateSeries}
          cursorX={cursor >= 0 ? cursor : null}
          maxX={maxUpdate}
          yScale="log"
          yLabel={t('charts.relativeUpdate')}
          xLabel={t('charts.update')}
          description={t('charts.updateSizeDescription')}
          onSeek={onSeek}
        />
      </figure>
      <figure>
        <figcaption>
          {t('charts.qValues')} <span className="key series-halt">q_halt</span>{' '}
          <span className="key series-continue">q_continue</span>
        </figcaption>
        <LineChart
          series={qSeries}
          marks={qMarks}
          cursorX={cursorEvent ? cursorEvent.position.segment + 1 : null}
          maxX={Math.max(setup?.maxSegments ?? 1, 1)}
          yLabel={t('charts.logit')}
          xLabel={t('charts.segment')}
          description={t('charts.qDescription')}
        />
      </figure>
      {hasScores && (
        <figure>
          <figcaption>{t(task === 'maze' ? 'charts.accuracyMaze' : 'charts.accuracy')}</figcaption>
          <LineChart
            series={accuracySeries}
            marks={exactMarks}
            cursorX={cursor >= 0 ? cursor : null}
            maxX={maxUpdate}
            yDomain={[0, 1]}
            yLabel={t('charts.cellAccuracy')}
            xLabel={t('charts.update')}
            description={t(
              task === 'maze' ? 'charts.accuracyMazeDescription' : 'charts.accuracyDescription',
            )}
            onSeek={onSeek}
          />
        </figure>
      )}
    </section>
  );
}
