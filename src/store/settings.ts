// User settings that shape a run (compute limit, halting mode) and the look of the app. The store
// is plain zustand with no React in it; components read it through `useStore(settingsStore, …)`.

import { createStore } from 'zustand/vanilla';
import { parseBackendKind } from '../engine/select';
import type { BackendKind, HaltingMode } from '../engine/types';

/** Largest compute limit the slider offers, in segments; may exceed the trained halt_max_steps. */
export const MAX_SEGMENTS_LIMIT = 64;

export type ThemeChoice = 'system' | 'light' | 'dark';

/** Backend the user requests: one kind, or 'auto' for the engine's own choice. */
export type BackendRequest = BackendKind | 'auto';

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
  /**
   * Requested backend. A fallback to another engine leaves this value as the user set it.
   * Saved across page loads with the theme, locale and speed (preferences.ts), not in links.
   */
  backend: BackendRequest;
  setMaxSegments(value: number): void;
  setHalting(value: HaltingMode): void;
  setTheme(value: ThemeChoice): void;
  setLocale(value: Locale): void;
  setSpeed(value: number): void;
  setBackend(value: BackendRequest): void;
}

/** Checks a backend request from outside the type system, e.g. a select element's value. */
export function parseBackendRequest(value: string): BackendRequest {
  return value === 'auto' ? 'auto' : parseBackendKind(value);
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
    Pick<SettingsState, 'maxSegments' | 'halting' | 'theme' | 'locale' | 'speed' | 'backend'>
  > = {},
) {
  return createStore<SettingsState>()((set) => ({
    maxSegments: 8,
    halting: 'fixed',
    theme: 'system',
    locale: 'en',
    speed: 10,
    backend: 'auto',
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
    setBackend: (value) => set({ backend: parseBackendRequest(value) }),
  }));
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
