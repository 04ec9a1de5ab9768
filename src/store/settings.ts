// User settings that shape a run (compute limit, halting mode) and the look of the app. The store
// is plain zustand with no React in it; components read it through `useStore(settingsStore, …)`.

import { createStore } from 'zustand/vanilla';
import type { HaltingMode } from '../engine/types';

/** Largest compute limit the slider offers, in segments; may exceed the trained halt_max_steps. */
export const MAX_SEGMENTS_LIMIT = 64;

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Locale = 'en' | 'vi';
export const LOCALES: readonly Locale[] = ['en', 'vi'];

/** Playback speeds offered by the timeline, in updates per second. */
export const PLAYBACK_SPEEDS = [1, 2, 5, 10, 25, 60] as const;

export interface SettingsState {
  /** Segments to run, 1..MAX_SEGMENTS_LIMIT. */
  maxSegments: number;
  halting: HaltingMode;
  theme: ThemeChoice;
  locale: Locale;
  /** Timeline playback speed in updates per second. */
  speed: number;
  setMaxSegments(value: number): void;
  setHalting(value: HaltingMode): void;
  setTheme(value: ThemeChoice): void;
  setLocale(value: Locale): void;
  setSpeed(value: number): void;
}

/** Clamps a requested segment limit to 1..MAX_SEGMENTS_LIMIT, rejecting values that are not numbers. */
export function clampSegments(value: number): number {
  if (!Number.isFinite(value)) {
    throw new RangeError(
      `invalid segment limit: ${value}; expected a number from 1 to ${MAX_SEGMENTS_LIMIT}`,
    );
  }
  return Math.min(MAX_SEGMENTS_LIMIT, Math.max(1, Math.round(value)));
}

export function createSettingsStore(
  initial: Partial<
    Pick<SettingsState, 'maxSegments' | 'halting' | 'theme' | 'locale' | 'speed'>
  > = {},
) {
  return createStore<SettingsState>()((set) => ({
    maxSegments: 8,
    halting: 'fixed',
    theme: 'system',
    locale: 'en',
    speed: 10,
    ...initial,
    setMaxSegments: (value) => set({ maxSegments: clampSegments(value) }),
    setHalting: (value) => set({ halting: value }),
    setTheme: (value) => set({ theme: value }),
    setLocale: (value) => set({ locale: value }),
    setSpeed: (value) => {
      if (!(value > 0)) {
        throw new RangeError(
          `invalid playback speed: ${value}; expected updates per second above 0`,
        );
      }
      set({ speed: value });
    },
  }));
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
