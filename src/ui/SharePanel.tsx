// Sharing and export: copy the link (the URL hash encodes the whole view), the Web Share API
// where the browser has it, and PNG, GIF and JSON exports of the run.

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messageOf } from '../store/errors';
import { useApp, useRun } from './context';
import { boardPng, download, runGif, runJson } from './export/export';

export function SharePanel() {
  const app = useApp();
  const { t } = useTranslation();
  const events = useRun((state) => state.events);
  const [message, setMessage] = useState<string | null>(null);

  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setMessage(t('share.copied'));
    } catch (error) {
      setMessage(t('share.copyFailed', { message: messageOf(error) }));
    }
  };

  const share = async () => {
    try {
      await navigator.share({ title: t('app.title'), url: window.location.href });
    } catch (error) {
      // Closing the share sheet rejects with AbortError, which is not a failure.
      if (!(error instanceof DOMException && error.name === 'AbortError')) {
        setMessage(
          t('share.shareFailed', {
            message: messageOf(error),
          }),
        );
      }
    }
  };

  const run = (action: () => Promise<void> | void) => async () => {
    try {
      await action();
      setMessage(null);
    } catch (error) {
      setMessage(
        t('share.exportFailed', {
          message: messageOf(error),
        }),
      );
    }
  };

  const cursorEvent = () => {
    const { cursor } = app.run.getState();
    return cursor >= 0 ? app.run.getState().events[cursor] : undefined;
  };

  return (
    <section className="share" aria-labelledby="share-title">
      <h2 id="share-title">{t('share.title')}</h2>
      <div className="buttons">
        <button type="button" onClick={copyLink} data-testid="copy-link">
          {t('share.copyLink')}
        </button>
        {typeof navigator.share === 'function' && (
          <button type="button" onClick={share}>
            {t('share.share')}
          </button>
        )}
        <button
          type="button"
          onClick={run(async () =>
            download(await boardPng(app.puzzle.getState().puzzle, cursorEvent()), 'hrm-board.png'),
          )}
        >
          {t('share.png')}
        </button>
        <button
          type="button"
          disabled={events.length === 0}
          onClick={run(() =>
            download(
              runGif(
                app.puzzle.getState().puzzle,
                app.run.getState().events,
                1000 / app.settings.getState().speed,
              ),
              'hrm-run.gif',
            ),
          )}
        >
          {t('share.gif')}
        </button>
        <button
          type="button"
          disabled={events.length === 0}
          onClick={run(() =>
            download(runJson(app.run.getState().setup, app.run.getState().events), 'hrm-run.json'),
          )}
        >
          {t('share.json')}
        </button>
      </div>
      {message && (
        <p role="status" data-testid="share-message">
          {message}
        </p>
      )}
    </section>
  );
}
