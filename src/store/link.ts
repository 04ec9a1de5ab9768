// Problems found in the share link the page was opened with. The app applies every part that
// parsed; these are shown above the board until dismissed.

import { createStore } from 'zustand/vanilla';

export interface LinkProblem {
  /** The URL hash parameter concerned, e.g. `m` or `model`. */
  param: string;
  /** The value found in the link. */
  value: string;
  /** English sentence naming the parameter, the value and what is allowed. */
  message: string;
}

export interface LinkState {
  problems: LinkProblem[];
  report(problems: LinkProblem[]): void;
  dismiss(): void;
}

export function createLinkStore() {
  return createStore<LinkState>()((set) => ({
    problems: [],
    report: (problems) => set({ problems }),
    dismiss: () => set({ problems: [] }),
  }));
}

export type LinkStore = ReturnType<typeof createLinkStore>;
