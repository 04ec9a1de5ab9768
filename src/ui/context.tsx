// React access to the app's stores. Components subscribe through selectors so that a new
// StepEvent re-renders only what reads it.

import { createContext, type ReactNode, useContext } from 'react';
import { useStore } from 'zustand';
import type { App } from '../store/app';
import type { ModelState } from '../store/model';
import type { PuzzleState } from '../store/puzzle';
import type { RunState } from '../store/run';
import type { SettingsState } from '../store/settings';

const AppContext = createContext<App | null>(null);

export function AppProvider({ app, children }: { app: App; children: ReactNode }) {
  return <AppContext.Provider value={app}>{children}</AppContext.Provider>;
}

export function useApp(): App {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp needs an <AppProvider> above the component');
  return app;
}

export function useSettings<T>(selector: (state: SettingsState) => T): T {
  return useStore(useApp().settings, selector);
}

export function usePuzzle<T>(selector: (state: PuzzleState) => T): T {
  return useStore(useApp().puzzle, selector);
}

export function useModel<T>(selector: (state: ModelState) => T): T {
  return useStore(useApp().model, selector);
}

export function useRun<T>(selector: (state: RunState) => T): T {
  return useStore(useApp().run, selector);
}
