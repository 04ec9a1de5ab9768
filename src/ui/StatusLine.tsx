// The status line: one sentence on the state of the run (running, solved at segment k, halted at
// k, still wrong after the limit, or why it cannot run), announced politely to screen readers.

import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { summariseRun } from './analysis';
import { useApp, useModel, usePuzzle, useRun } from './context';
import { useScores } from './derived';
import { pasteErrorOf } from './parse-errors';

export function StatusLine() {
  const app = useApp();
  const { t } = useTranslation();
  const status = useRun((state) => state.status);
  const stop = useRun((state) => state.stop);
  const error = useRun((state) => state.error);
  const events = useRun((state) => state.events);
  const setup = useRun((state) => state.setup);
  const puzzle = usePuzzle((state) => state.puzzle);
  const current = useModel((state) => state.current);
  const loading = useModel((state) => state.loading);
  const scores = useScores();

  // runProblem reads the stores directly, so recompute it whenever one of them changes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the store values are the real inputs
  const problem = useMemo(() => app.runProblem(), [app, puzzle, current, status]);
  const outcome = useMemo(() => summariseRun(events, scores), [events, scores]);

  let text: string;
  if (problem && !(problem.key === 'noModel' && loading)) {
    // Unit and task names are i18n keys themselves, so they are translated before interpolation.
    const values: Record<string, string | number> = { ...problem.values };
    if (typeof values.unit === 'string') values.unit = t(`unit.${values.unit}`);
    if (typeof values.task === 'string') values.task = t(`task.${values.task}`);
    if (typeof values.more === 'number') values.count = values.more + 1;
    if (problem.cause !== undefined) values.message = pasteErrorOf(problem.cause, t).message;
    text = t(`problem.${problem.key}`, values);
  } else if (loading || !current) {
    text = t('status.waitingForModel');
  } else if (status === 'error') {
    text = t('status.failed', { message: error });
  } else if (status === 'running') {
    const segment = events.length === 0 ? 1 : events[events.length - 1].position.segment + 1;
    text = t('status.running', { segment, limit: setup?.maxSegments ?? 0 });
  } else if (status === 'idle') {
    text = t('status.idle');
  } else {
    const parts: string[] = [];
    if (outcome.solvedAt !== null) parts.push(t('status.solvedAt', { segment: outcome.solvedAt }));
    if (stop === 'halted') parts.push(t('status.haltedAt', { segment: outcome.segments }));
    if (outcome.finalExact === false) {
      parts.push(
        stop === 'halted'
          ? t('status.wrongWhenHalted')
          : t('status.stillWrong', { count: outcome.segments }),
      );
    }
    if (outcome.finalExact === null && stop !== 'halted') {
      parts.push(t('status.ranSegments', { count: outcome.segments }));
    }
    if (stop === 'aborted') parts.push(t('status.stopped'));
    text = parts.join(' ');
  }

  // A failed or stopped run (e.g. after a GPU device loss) can be started again by hand.
  const canRetry = problem === null && (status === 'error' || stop === 'aborted');
  return (
    <div className="status-row">
      <p
        className={`status-line status-${status}`}
        role="status"
        aria-live="polite"
        data-testid="run-status"
      >
        {text}
      </p>
      {canRetry && (
        <button type="button" onClick={() => void app.restart()}>
          {t('status.runAgain')}
        </button>
      )}
    </div>
  );
}
