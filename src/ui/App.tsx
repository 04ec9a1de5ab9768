// The playground's layout: header (locale, theme, help), backend banner, the board with its
// status line and timeline, and side panels for compute, charts, answer, puzzle, model and
// sharing. Global keyboard shortcuts are handled here.

import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALES, type ThemeChoice } from '../store/settings';
import { AnswerPanel } from './AnswerPanel';
import { BackendBanner } from './BackendBanner';
import { BoardPanel } from './board/BoardPanel';
import { ComputeControls } from './ComputeControls';
import { Charts } from './charts/Charts';
import { useApp, useSettings } from './context';
import { LinkErrors } from './LinkErrors';
import { ModelPanel } from './ModelPanel';
import { PuzzlePanel } from './PuzzlePanel';
import { SharePanel } from './SharePanel';
import { StatusLine } from './StatusLine';
import { findShortcut, isOwnedByControl, SHORTCUTS } from './shortcuts';
import { Timeline } from './Timeline';

const THEMES: ThemeChoice[] = ['system', 'light', 'dark'];

function HelpOverlay({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const dialogRef = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialogRef.current?.showModal();
  }, []);
  return (
    <dialog ref={dialogRef} className="help" aria-labelledby="help-title" onClose={onClose}>
      <h2 id="help-title">{t('shortcuts.title')}</h2>
      <dl>
        {SHORTCUTS.map((shortcut) => (
          <div key={shortcut.description}>
            <dt>
              <kbd>{shortcut.label}</kbd>
            </dt>
            <dd>{t(shortcut.description)}</dd>
          </div>
        ))}
        <div>
          <dt>
            <kbd>?</kbd>
          </dt>
          <dd>{t('shortcuts.help')}</dd>
        </div>
      </dl>
      <p>{t('shortcuts.boardKeys')}</p>
      <form method="dialog">
        <button type="submit">{t('shortcuts.close')}</button>
      </form>
    </dialog>
  );
}

function Header({ onHelp }: { onHelp: () => void }) {
  const app = useApp();
  const { t } = useTranslation();
  const locale = useSettings((state) => state.locale);
  const theme = useSettings((state) => state.theme);
  return (
    <header className="app-header">
      <h1>{t('app.title')}</h1>
      <p className="tagline">{t('app.tagline')}</p>
      <div className="header-controls">
        <label>
          {t('app.language')}
          <select
            value={locale}
            data-testid="locale"
            onChange={(event) =>
              app.settings.getState().setLocale(event.target.value as (typeof LOCALES)[number])
            }
          >
            {LOCALES.map((code) => (
              <option key={code} value={code}>
                {t(`app.locale.${code}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('app.theme')}
          <select
            value={theme}
            onChange={(event) =>
              app.settings.getState().setTheme(event.target.value as ThemeChoice)
            }
          >
            {THEMES.map((choice) => (
              <option key={choice} value={choice}>
                {t(`app.themes.${choice}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={onHelp} aria-keyshortcuts="?">
          {t('shortcuts.open')}
        </button>
      </div>
    </header>
  );
}

export function App() {
  const app = useApp();
  const { i18n } = useTranslation();
  const locale = useSettings((state) => state.locale);
  const theme = useSettings((state) => state.theme);
  const [help, setHelp] = useState(false);

  useEffect(() => {
    void i18n.changeLanguage(locale);
    document.documentElement.lang = locale;
  }, [i18n, locale]);

  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isOwnedByControl(event.target)) return;
      // Space on a focused button presses the button.
      if (event.key === ' ' && event.target instanceof HTMLButtonElement) return;
      if (event.key === '?') {
        setHelp(true);
        event.preventDefault();
        return;
      }
      const shortcut = findShortcut(event.key, event.shiftKey);
      if (!shortcut) return;
      shortcut.perform(app);
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [app]);

  return (
    <div className="app">
      <Header onHelp={() => setHelp(true)} />
      <BackendBanner />
      <LinkErrors />
      <main className="layout">
        <div className="main-column">
          <BoardPanel />
          <StatusLine />
          <Timeline />
        </div>
        <div className="side-column">
          <ComputeControls />
          <Charts />
          <AnswerPanel />
        </div>
        <div className="tools-column">
          <PuzzlePanel />
          <ModelPanel />
          <SharePanel />
        </div>
      </main>
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
    </div>
  );
}
