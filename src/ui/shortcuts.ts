// Keyboard shortcuts as small declarative records, so the handler and the help overlay read the
// same list. Keys typed into form fields and the Sudoku board are left to those elements.

import type { App } from '../store/app';

export interface Shortcut {
  /** KeyboardEvent.key values that trigger it. */
  keys: string[];
  /** Key names shown in the help overlay. */
  label: string;
  /** i18n key of the description. */
  description: string;
  /** With Shift held. */
  shift?: boolean;
  perform(app: App): void;
}

/** Plays or pauses the timeline; playing from the end of a finished run starts from the beginning. */
export function togglePlay(app: App): void {
  const state = app.run.getState();
  if (!state.playing && state.cursor >= state.events.length - 1 && state.status !== 'running')
    state.seek(-1);
  state.setPlaying(!state.playing);
}

export const SHORTCUTS: Shortcut[] = [
  { keys: [' '], label: 'Space', description: 'shortcuts.playPause', perform: togglePlay },
  {
    keys: ['ArrowRight'],
    label: '→',
    description: 'shortcuts.forwardUpdate',
    perform: (app) => app.run.getState().step(1, 'update'),
  },
  {
    keys: ['ArrowLeft'],
    label: '←',
    description: 'shortcuts.backUpdate',
    perform: (app) => app.run.getState().step(-1, 'update'),
  },
  {
    keys: ['ArrowRight'],
    shift: true,
    label: 'Shift + →',
    description: 'shortcuts.forwardHCycle',
    perform: (app) => app.run.getState().step(1, 'h_cycle'),
  },
  {
    keys: ['ArrowLeft'],
    shift: true,
    label: 'Shift + ←',
    description: 'shortcuts.backHCycle',
    perform: (app) => app.run.getState().step(-1, 'h_cycle'),
  },
  {
    keys: ['ArrowUp', 'PageUp'],
    label: '↑',
    description: 'shortcuts.forwardSegment',
    perform: (app) => app.run.getState().step(1, 'segment'),
  },
  {
    keys: ['ArrowDown', 'PageDown'],
    label: '↓',
    description: 'shortcuts.backSegment',
    perform: (app) => app.run.getState().step(-1, 'segment'),
  },
  {
    keys: ['Home'],
    label: 'Home',
    description: 'shortcuts.first',
    perform: (app) => app.run.getState().seek(-1),
  },
  {
    keys: ['End'],
    label: 'End',
    description: 'shortcuts.last',
    perform: (app) => app.run.getState().seek(app.run.getState().events.length - 1),
  },
  {
    keys: ['+', '='],
    label: '+',
    description: 'shortcuts.moreSegments',
    perform: (app) =>
      app.settings.getState().setMaxSegments(app.settings.getState().maxSegments + 1),
  },
  {
    keys: ['-'],
    label: '−',
    description: 'shortcuts.fewerSegments',
    perform: (app) =>
      app.settings.getState().setMaxSegments(app.settings.getState().maxSegments - 1),
  },
];

/** Returns the shortcut for a key press, or undefined. */
export function findShortcut(key: string, shift: boolean): Shortcut | undefined {
  return SHORTCUTS.find(
    (shortcut) => shortcut.keys.includes(key) && (shortcut.shift ?? false) === shift,
  );
}

/** True when the key press belongs to a text field, select, range input or the board. */
export function isOwnedByControl(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  return (
    target.closest('input, textarea, select, [role="grid"], [contenteditable="true"]') !== null
  );
}
