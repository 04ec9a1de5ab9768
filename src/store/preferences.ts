// Keeps the user's preferences across page loads: theme, interface language, playback speed and
// the requested backend, saved in localStorage. The puzzle, the compute limit and the halting
// mode are not saved here, because share links carry them.

import type { SettingsState, SettingsStore, ThemeChoice } from './settings';
import { LOCALES, type Locale, PLAYBACK_SPEEDS, parseBackendRequest } from './settings';

export const PREFERENCES_KEY = 'hrm-playground.preferences';

/** The part of the Web Storage API the preferences use. */
export interface PreferenceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

type Preferences = Pick<SettingsState, 'theme' | 'locale' | 'speed' | 'backend'>;

const THEMES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

/**
 * Returns localStorage, or null where the page may not use it (storage disabled, or a sandboxed
 * frame), in which case preferences last only as long as the page.
 */
export function browserStorage(): PreferenceStorage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Parses the saved JSON, keeping each valid field and reporting each invalid one. */
function parsePreferences(text: string): { values: Partial<Preferences>; problems: string[] } {
  const values: Partial<Preferences> = {};
  const problems: string[] = [];
  let saved: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error('not an object');
    }
    saved = parsed as Record<string, unknown>;
  } catch (error) {
    return {
      values,
      problems: [`unreadable saved preferences (${String(error)}); using defaults`],
    };
  }

  const { theme, locale, speed, backend } = saved;
  if (theme !== undefined) {
    if (THEMES.includes(theme as ThemeChoice)) values.theme = theme as ThemeChoice;
    else
      problems.push(`invalid saved theme ${JSON.stringify(theme)}; expected ${THEMES.join(', ')}`);
  }
  if (locale !== undefined) {
    if (LOCALES.includes(locale as Locale)) values.locale = locale as Locale;
    else
      problems.push(
        `invalid saved locale ${JSON.stringify(locale)}; expected ${LOCALES.join(', ')}`,
      );
  }
  if (speed !== undefined) {
    if ((PLAYBACK_SPEEDS as readonly unknown[]).includes(speed)) values.speed = speed as number;
    else
      problems.push(
        `invalid saved speed ${JSON.stringify(speed)}; expected ${PLAYBACK_SPEEDS.join(', ')}`,
      );
  }
  if (backend !== undefined) {
    try {
      values.backend = parseBackendRequest(String(backend));
    } catch (error) {
      problems.push(`invalid saved backend ${JSON.stringify(backend)}: ${String(error)}`);
    }
  }
  return { values, problems };
}

/**
 * Applies the saved preferences to `settings`, with `defaultLocale` where none is saved. Invalid
 * saved fields are skipped and returned as messages; the caller logs them.
 */
export function restorePreferences(
  settings: SettingsStore,
  storage: PreferenceStorage | null,
  defaultLocale: Locale,
): string[] {
  let text: string | null = null;
  try {
    text = storage?.getItem(PREFERENCES_KEY) ?? null;
  } catch (error) {
    return [`reading saved preferences failed (${String(error)}); using defaults`];
  }
  const { values, problems } =
    text === null ? { values: {}, problems: [] } : parsePreferences(text);
  settings.setState({ locale: defaultLocale, ...values });
  if (problems.length > 0) {
    // Overwrite the invalid entry, so the same warnings do not come back on every load.
    try {
      storage?.setItem(PREFERENCES_KEY, JSON.stringify(currentPreferences(settings.getState())));
    } catch (error) {
      problems.push(`replacing the invalid saved preferences failed: ${String(error)}`);
    }
  }
  return problems;
}

function currentPreferences(state: SettingsState): Preferences {
  return { theme: state.theme, locale: state.locale, speed: state.speed, backend: state.backend };
}

/** Saves the preferences whenever one changes; returns the unsubscribe function. */
export function savePreferences(
  settings: SettingsStore,
  storage: PreferenceStorage | null,
  onError: (message: string) => void,
): () => void {
  if (!storage) {
    return () => undefined;
  }
  return settings.subscribe((state, previous) => {
    const changed =
      state.theme !== previous.theme ||
      state.locale !== previous.locale ||
      state.speed !== previous.speed ||
      state.backend !== previous.backend;
    if (!changed) return;
    try {
      storage.setItem(PREFERENCES_KEY, JSON.stringify(currentPreferences(state)));
    } catch (error) {
      // A full or disabled storage only costs the preference on the next load.
      onError(`saving preferences failed: ${String(error)}`);
    }
  });
}
