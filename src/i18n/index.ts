// i18next set-up: English and Vietnamese resources, with the locale detected from
// navigator.language unless the user picked one. Every visible string, ARIA label and error frame
// of the UI has a key in both resource files, and en.ts is the reference for the key set.
// Paste errors from src/puzzles carry a code and values, and each code has a message in both
// locales (the `puzzle.parse` section).
// NOTE: other error details written by src/model and src/engine (link problems, load failures,
// backend reasons) are English sentences. The UI shows them inside a translated frame, marked
// lang="en", so a Vietnamese page still quotes them in English.

import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../store/settings';
import { en } from './en';
import { vi } from './vi';

export const resources = { en: { translation: en }, vi: { translation: vi } } as const;

/** Picks the supported locale for a BCP 47 language tag, e.g. `vi-VN` → `vi`; English otherwise. */
export function detectLocale(language: string | undefined): Locale {
  return language?.toLowerCase().startsWith('vi') ? 'vi' : 'en';
}

/** Creates and initialises an i18next instance bound to react-i18next. */
export function createI18n(locale: Locale): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources,
    lng: locale,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance;
}
