// The recorded run: every StepEvent the session emitted, in order, and the timeline cursor that
// chooses which one the board shows. Navigation by update, H cycle and segment is computed here
// from the recorded positions so that components and keyboard shortcuts share it.

import { createStore } from 'zustand/vanilla';
import type { AdvanceUnit, HaltingMode, RunResult, StepEvent } from '../engine/types';

export type RunStatus = 'idle' | 'running' | 'done' | 'error';

/** Inputs and settings of a run, kept so charts and links describe the recorded run. */
export interface RunSetup {
  /** Input token ids of the puzzle. [seq_len] */
  inputs: Int32Array;
  halting: HaltingMode;
  maxSegments: number;
  modelId: string;
}

export interface RunState {
  /** Id that increases on every fresh run, so late events of an older run are recognised. */
  runId: number;
  setup: RunSetup | null;
  events: StepEvent[];
  /** Index of the event the board shows, or -1 for the state before the first update. */
  cursor: number;
  /** True while the cursor follows each new event as it arrives. */
  follow: boolean;
  status: RunStatus;
  /** Reason the last run call ended, once it has. */
  stop: RunResult['stop'] | null;
  error: string | null;
  playing: boolean;
  /** Clears the timeline for a fresh run and returns its runId. */
  begin(setup: RunSetup): number;
  /** Drops the recorded run, e.g. when the puzzle on the board cannot run. */
  clear(): void;
  /** Marks the recorded run as running again, for extending it to a larger limit. */
  resume(maxSegments: number): void;
  append(runId: number, event: StepEvent): void;
  finish(runId: number, stop: RunResult['stop']): void;
  fail(runId: number, message: string): void;
  /** Moves the cursor; moving it anywhere but the last event stops following. */
  seek(index: number): void;
  step(direction: 1 | -1, unit: AdvanceUnit): void;
  setPlaying(playing: boolean): void;
}

/** True when event `i` ends an H cycle (unit `h_cycle`) or is the last recorded update of its segment. */
function isBoundary(events: StepEvent[], i: number, unit: 'h_cycle' | 'segment'): boolean {
  if (unit === 'h_cycle') return events[i].position.module === 'H';
  const next = events[i + 1];
  return next === undefined || next.position.segment !== events[i].position.segment;
}

/**
 * Returns the event index one `unit` away from `cursor`: the next or previous update, H update
 * (the end of an H cycle), or last update of a segment. Stays inside -1..events.length - 1.
 */
export function stepIndex(
  events: StepEvent[],
  cursor: number,
  direction: 1 | -1,
  unit: AdvanceUnit,
): number {
  const last = events.length - 1;
  if (unit === 'update') return Math.max(-1, Math.min(last, cursor + direction));

  if (direction === 1) {
    for (let i = cursor + 1; i <= last; i++) if (isBoundary(events, i, unit)) return i;
    return last;
  }
  for (let i = cursor - 1; i >= 0; i--) if (isBoundary(events, i, unit)) return i;
  return -1;
}

/** Indices of the last recorded update of each segment, in order. */
export function segmentEnds(events: StepEvent[]): number[] {
  const ends: number[] = [];
  for (let i = 0; i < events.length; i++) {
    const next = events[i + 1];
    if (!next || next.position.segment !== events[i].position.segment) ends.push(i);
  }
  return ends;
}

export function createRunStore() {
  return createStore<RunState>()((set, get) => ({
    runId: 0,
    setup: null,
    events: [],
    cursor: -1,
    follow: true,
    status: 'idle',
    stop: null,
    error: null,
    playing: false,
    begin: (setup) => {
      const runId = get().runId + 1;
      set({
        runId,
        setup,
        events: [],
        cursor: -1,
        follow: true,
        status: 'running',
        stop: null,
        error: null,
      });
      return runId;
    },
    clear: () =>
      set({
        runId: get().runId + 1,
        setup: null,
        events: [],
        cursor: -1,
        follow: true,
        status: 'idle',
        stop: null,
        error: null,
        playing: false,
      }),
    resume: (maxSegments) => {
      const { setup } = get();
      if (!setup) throw new Error('cannot extend a run before one has started');
      set({ setup: { ...setup, maxSegments }, status: 'running', stop: null, error: null });
    },
    append: (runId, event) => {
      const state = get();
      if (runId !== state.runId) return;
      const events = [...state.events, event];
      set({ events, cursor: state.follow ? events.length - 1 : state.cursor });
    },
    finish: (runId, stop) => {
      if (runId !== get().runId) return;
      set({ status: 'done', stop });
    },
    fail: (runId, message) => {
      if (runId !== get().runId) return;
      set({ status: 'error', error: message, playing: false });
    },
    seek: (index) => {
      const { events } = get();
      const cursor = Math.max(-1, Math.min(events.length - 1, Math.round(index)));
      set({ cursor, follow: cursor === events.length - 1 && get().status === 'running' });
    },
    step: (direction, unit) => {
      const { events, cursor } = get();
      get().seek(stepIndex(events, cursor, direction, unit));
    },
    setPlaying: (playing) => set({ playing }),
  }));
}

export type RunStore = ReturnType<typeof createRunStore>;
