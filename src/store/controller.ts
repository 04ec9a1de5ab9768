// Drives an HrmSession and records every StepEvent into the run store. Operations on the session
// are queued so that a reset never overlaps a run in flight: each new request aborts the current
// run (the session stops after the update in flight) and then takes its turn.

import type { HaltingMode, HrmSession } from '../engine/types';
import { messageOf } from './errors';
import type { RunStore } from './run';

export interface RunRequest {
  /** Input token ids. [seq_len] */
  inputs: Int32Array;
  maxSegments: number;
  halting: HaltingMode;
}

export class RunController {
  private session: HrmSession | null = null;
  private modelId = '';
  private queue: Promise<void> = Promise.resolve();
  private inFlight: AbortController | null = null;
  /** False after `evaluate` ran other puzzles, so the session state no longer matches the recorded run. */
  private sessionHoldsRun = true;

  constructor(private readonly run: RunStore) {}

  /** Replaces the session (after a model load); the old one is disposed once its run stops. */
  setSession(session: HrmSession | null, modelId: string): Promise<void> {
    return this.enqueue(async () => {
      this.session?.dispose();
      this.session = session;
      this.modelId = modelId;
    });
  }

  get hasSession(): boolean {
    return this.session !== null;
  }

  /** Starts a fresh run from the initial state. */
  start(request: RunRequest): Promise<void> {
    return this.enqueue(async (signal) => {
      const session = this.session;
      if (!session) return;
      this.sessionHoldsRun = true;
      const runId = this.run.getState().begin({
        inputs: request.inputs,
        halting: request.halting,
        maxSegments: request.maxSegments,
        modelId: this.modelId,
      });
      try {
        await session.reset(request.inputs);
        await this.runUntil(session, runId, request.maxSegments, request.halting, signal);
      } catch (error) {
        this.run.getState().fail(runId, messageOf(error));
      }
    });
  }

  /**
   * Applies a new limit or halting mode. The recorded run is extended when only the limit grew
   * and the run did not halt on the Q head. Any other change starts again from the initial state.
   */
  update(request: RunRequest): Promise<void> {
    const { setup, stop, status } = this.run.getState();
    const extendable =
      this.sessionHoldsRun &&
      setup !== null &&
      status !== 'error' &&
      setup.inputs === request.inputs &&
      setup.modelId === this.modelId &&
      setup.halting === request.halting &&
      request.maxSegments >= setup.maxSegments &&
      stop !== 'halted';
    if (!extendable) return this.start(request);
    if (request.maxSegments === setup.maxSegments) return this.queue;

    return this.enqueue(async (signal) => {
      const session = this.session;
      const state = this.run.getState();
      if (!session || state.setup?.inputs !== request.inputs) return;
      state.resume(request.maxSegments);
      try {
        await this.runUntil(session, state.runId, request.maxSegments, request.halting, signal);
      } catch (error) {
        this.run.getState().fail(state.runId, messageOf(error));
      }
    });
  }

  /**
   * Runs each input on the session, outside the timeline, and reports the last prediction of
   * each run. Aborts the recorded run in flight; start a run afterwards to show a puzzle again.
   */
  evaluate(
    items: Int32Array[],
    options: { maxSegments: number; halting: HaltingMode },
    onResult: (index: number, prediction: Int32Array) => void,
  ): Promise<void> {
    this.sessionHoldsRun = false;
    return this.enqueue(async (signal) => {
      const session = this.session;
      if (!session) return;
      for (let index = 0; index < items.length && !signal.aborted; index++) {
        await session.reset(items[index]);
        const result = await session.run({ ...options, signal });
        const last = result.events.at(-1);
        if (last && result.stop !== 'aborted') onResult(index, last.prediction);
      }
    });
  }

  /** Stops the run in flight after its current update. */
  stop(): void {
    this.inFlight?.abort();
  }

  /** Resolves once every queued operation has finished. */
  idle(): Promise<void> {
    return this.queue;
  }

  dispose(): void {
    this.inFlight?.abort();
    void this.enqueue(async () => {
      this.session?.dispose();
      this.session = null;
    });
  }

  private async runUntil(
    session: HrmSession,
    runId: number,
    maxSegments: number,
    halting: HaltingMode,
    signal: AbortSignal,
  ): Promise<void> {
    const result = await session.run({
      maxSegments,
      halting,
      signal,
      onEvent: (event) => this.run.getState().append(runId, event),
    });
    this.run.getState().finish(runId, result.stop);
  }

  // Aborts the operation in flight and queues `operation` behind it with a fresh abort signal.
  private enqueue(operation: (signal: AbortSignal) => Promise<void>): Promise<void> {
    this.inFlight?.abort();
    const abort = new AbortController();
    this.inFlight = abort;
    const next = this.queue.then(() => operation(abort.signal));
    this.queue = next.catch(() => undefined);
    return this.queue;
  }
}
