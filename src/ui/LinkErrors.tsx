// Problems in the share link the page was opened with, shown above the board. The app applies
// every part of the link that was valid and stays usable.

import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { useApp } from './context';

export function LinkErrors() {
  const app = useApp();
  const { t } = useTranslation();
  const problems = useStore(app.link, (state) => state.problems);
  if (problems.length === 0) return null;
  return (
    <section className="link-errors" role="alert" data-testid="link-errors">
      <h2>{t('link.title')}</h2>
      <ul>
        {problems.map((problem) => (
          <li key={`${problem.param}:${problem.value}`}>
            {t('link.problem', { param: problem.param, value: problem.value })}{' '}
            <span lang="en">{problem.message}</span>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => app.link.getState().dismiss()}>
        {t('link.dismiss')}
      </button>
    </section>
  );
}
