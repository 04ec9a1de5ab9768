// The stepwise session shared by every backend. It owns HRM's schedule and drives an
// UpdateKernel: each segment runs H_cycles H cycles, each H cycle runs L_cycles L updates and
// then one H update, and the carry (z_H, z_L) passes unchanged from one segment to the next.

import type { HrmConfig } from '../model/config';
import type {
  AdvanceUnit,
  BackendKind,
  HrmSession,
  PlannedUpdate,
  RunOptions,
  RunResult,
  StepEvent,
  StepPosition,
  UpdateKernel,
  UpdateReadout,
} from './types';

/** Error for an invalid puzzle, option or call order; its message names the value and the fix. */
export class SessionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionError';
  }
}

/**
 * Checks a puzzle against the model's config: seq_len tokens in 0..vocab_size-1, and a puzzle
 * identifier with a row in the puzzle-embedding table when the model has one.
 */
export function validatePuzzleInputs(
  config: HrmConfig,
  inputs: Int32Array,
  puzzleIdentifier: number,
): void {
  if (!(inputs instanceof Int32Array)) {
    throw new SessionError('invalid inputs: expected an Int32Array of token ids');
  }
  if (inputs.length !== config.seq_len) {
    throw new SessionError(
      `invalid inputs: ${inputs.length} tokens, but the model's seq_len is ${config.seq_len}; ` +
        'pass one token per puzzle cell',
    );
  }
  for (let i = 0; i < inputs.length; i++) {
    const token = inputs[i];
    if (token < 0 || token >= config.vocab_size) {
      throw new SessionError(
        `invalid inputs: token ${token} at cell ${i} is outside 0..${config.vocab_size - 1} ` +
          '(the model vocabulary); check that the puzzle matches the model task',
      );
    }
  }
  if (!Number.isInteger(puzzleIdentifier) || puzzleIdentifier < 0) {
    throw new SessionError(
      `invalid puzzle identifier: ${puzzleIdentifier}; it must be an integer of 0 or more`,
    );
  }

  // Without a puzzle embedding (puzzle_emb_ndim 0) the model ignores the identifier.
  const identifiers = config.num_puzzle_identifiers;
  if (config.puzzle_emb_ndim > 0 && puzzleIdentifier >= identifiers) {
    throw new SessionError(
      `invalid puzzle identifier: ${puzzleIdentifier}; this model has puzzle identifiers ` +
        `0..${identifiers - 1}`,
    );
  }
}

const START: StepPosition = { segment: 0, hCycle: 0, lStep: 0, module: 'L', index: 0 };

/** Per-cell readout of the last decode, reused by the L updates that follow it. */
interface LastDecode {
  prediction: Int32Array;
  confidence: Float32Array;
  entropy: Float32Array;
}

export class Session implements HrmSession {
  readonly backend: BackendKind;
  private readonly kernel: UpdateKernel;
  private readonly config: HrmConfig;

  private position: StepPosition = START;
  private lastDecode: LastDecode | null = null;
  private started = false;
  private busy = false;
  private disposed = false;

  constructor(kernel: UpdateKernel, config: HrmConfig, backend: BackendKind) {
    for (const field of ['H_cycles', 'L_cycles'] as const) {
      const value = config[field];
      if (!Number.isInteger(value) || value < 1) {
        throw new SessionError(
          `invalid config: ${field} is ${value}; it must be an integer of 1 or more`,
        );
      }
    }
    this.kernel = kernel;
    this.config = config;
    this.backend = backend;
  }

  get nextPosition(): StepPosition {
    return { ...this.position };
  }

  async reset(inputs: Int32Array, puzzleIdentifier = 0): Promise<void> {
    this.enter('reset');
    try {
      validatePuzzleInputs(this.config, inputs, puzzleIdentifier);
      await this.kernel.reset(inputs, puzzleIdentifier);
      this.position = START;
      this.lastDecode = null;
      this.started = true;
    } finally {
      this.busy = false;
    }
  }

  async advance(unit: AdvanceUnit): Promise<StepEvent[]> {
    const count = this.updatesForUnit(unit);
    this.enter('advance');
    try {
      this.checkStarted();
      return await this.runBatch(count);
    } finally {
      this.busy = false;
    }
  }

  async run(options: RunOptions): Promise<RunResult> {
    const { maxSegments, halting, onEvent, signal } = options;
    const pace = options.pace ?? 'segment';
    if (!Number.isInteger(maxSegments) || maxSegments < 1) {
      throw new SessionError(
        `invalid maxSegments: ${maxSegments}; it must be an integer of 1 or more`,
      );
    }
    if (halting !== 'fixed' && halting !== 'q_head') {
      throw new SessionError(`invalid halting: ${String(halting)} (expected 'fixed' or 'q_head')`);
    }
    if (pace !== 'update' && pace !== 'segment') {
      throw new SessionError(`invalid pace: ${String(pace)} (expected 'update' or 'segment')`);
    }

    this.enter('run');
    const events: StepEvent[] = [];
    try {
      this.checkStarted();
      while (this.position.segment < maxSegments) {
        if (signal?.aborted) {
          return { segments: this.position.segment, stop: 'aborted', events };
        }

        const remaining = this.updatesToSegmentEnd();
        const batch = await this.runBatch(pace === 'update' ? 1 : remaining, signal);
        if (batch.length === 0 && !signal?.aborted) {
          throw new Error('kernel ran none of the planned updates; this is a bug in the backend');
        }

        // The halting decision is made before the events go out, so the last one carries it.
        const last = batch[batch.length - 1];
        const segmentDone = batch.length === remaining;
        const halted =
          segmentDone &&
          halting === 'q_head' &&
          last.q !== undefined &&
          last.q.halt > last.q.continue;
        if (halted) last.halted = true;

        for (const event of batch) {
          events.push(event);
          onEvent?.(event);
        }
        if (halted) {
          return { segments: this.position.segment, stop: 'halted', events };
        }
      }
      return { segments: this.position.segment, stop: 'limit', events };
    } finally {
      this.busy = false;
    }
  }

  async readStates(): Promise<{ z_H: Float32Array; z_L: Float32Array }> {
    this.checkUsable();
    this.checkStarted();
    return this.kernel.readStates();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.kernel.dispose();
  }

  /** Runs the next `count` updates in one kernel batch and returns their events. */
  private async runBatch(count: number, signal?: AbortSignal): Promise<StepEvent[]> {
    const positions: StepPosition[] = [];
    const plan: PlannedUpdate[] = [];
    let position = this.position;
    for (let i = 0; i < count; i++) {
      positions.push(position);
      plan.push(this.planFor(position, i === 0 && this.lastDecode === null));
      position = this.positionAfter(position);
    }

    const started = performance.now();
    const readouts = await this.kernel.runUpdates(plan, signal);
    const batchMs = performance.now() - started;
    if (readouts.length > plan.length) {
      throw new Error(
        `kernel returned ${readouts.length} readouts for ${plan.length} planned updates; ` +
          'this is a bug in the backend',
      );
    }

    const events: StepEvent[] = [];
    for (let i = 0; i < readouts.length; i++) {
      events.push(this.toEvent(positions[i], plan[i], readouts[i], batchMs / readouts.length));
      this.position = this.positionAfter(positions[i]);
    }
    return events;
  }

  /**
   * Plans one update: decode after every H update, and also on the first update after reset so
   * the L updates before the first H update have a prediction (from z_H = H_init). The Q head
   * runs after the last H update of each segment.
   */
  private planFor(position: StepPosition, firstAfterReset: boolean): PlannedUpdate {
    const isH = position.module === 'H';
    return {
      module: position.module,
      decode: isH || firstAfterReset,
      q: isH && position.hCycle === this.config.H_cycles - 1,
    };
  }

  private toEvent(
    position: StepPosition,
    plan: PlannedUpdate,
    readout: UpdateReadout,
    fallbackMs: number,
  ): StepEvent {
    if (plan.decode) {
      const { prediction, confidence, entropy } = readout;
      if (prediction === undefined || confidence === undefined || entropy === undefined) {
        throw new Error(
          `kernel returned no decode for update ${position.index} although the plan asked for ` +
            'one; this is a bug in the backend',
        );
      }
      this.lastDecode = { prediction, confidence, entropy };
    }
    if (plan.q && readout.q === undefined) {
      throw new Error(
        `kernel returned no Q values for update ${position.index} although the plan asked for ` +
          'them; this is a bug in the backend',
      );
    }
    // lastDecode is set here: the first update after reset always decodes.
    const decode = this.lastDecode as LastDecode;

    // L-update events share the arrays of the last decode, so consumers must not modify them.
    const event: StepEvent = {
      position,
      prediction: decode.prediction,
      confidence: decode.confidence,
      entropy: decode.entropy,
      updateNorm: readout.updateNorm,
      relativeUpdate: readout.relativeUpdate,
      elapsedMs: readout.elapsedMs ?? fallbackMs,
    };
    if (plan.q) event.q = readout.q;
    return event;
  }

  private positionAfter(position: StepPosition): StepPosition {
    const { H_cycles, L_cycles } = this.config;
    const index = position.index + 1;
    if (position.module === 'L') {
      const lStep = position.lStep as number;
      if (lStep + 1 < L_cycles) return { ...position, lStep: lStep + 1, index };
      return { ...position, lStep: null, module: 'H', index };
    }
    if (position.hCycle + 1 < H_cycles) {
      return {
        segment: position.segment,
        hCycle: position.hCycle + 1,
        lStep: 0,
        module: 'L',
        index,
      };
    }
    return { segment: position.segment + 1, hCycle: 0, lStep: 0, module: 'L', index };
  }

  /** Updates from the current position through the last H update of the current segment. */
  private updatesToSegmentEnd(): number {
    const { H_cycles, L_cycles } = this.config;
    const perCycle = L_cycles + 1;
    const doneInCycle = this.position.module === 'H' ? L_cycles : (this.position.lStep as number);
    return (H_cycles - this.position.hCycle) * perCycle - doneInCycle;
  }

  private updatesForUnit(unit: AdvanceUnit): number {
    switch (unit) {
      case 'update':
        return 1;
      case 'h_cycle':
        return this.position.module === 'H'
          ? 1
          : this.config.L_cycles - (this.position.lStep as number) + 1;
      case 'segment':
        return this.updatesToSegmentEnd();
      default:
        throw new SessionError(
          `invalid advance unit: ${String(unit)} (expected 'update', 'h_cycle' or 'segment')`,
        );
    }
  }

  /** Marks the session busy, rejecting overlapping calls, which would interleave kernel work. */
  private enter(operation: string): void {
    this.checkUsable();
    if (this.busy) {
      throw new SessionError(
        `cannot ${operation}: the session is still running an earlier call; await it or abort it first`,
      );
    }
    this.busy = true;
  }

  private checkUsable(): void {
    if (this.disposed) {
      throw new SessionError('session used after dispose(); create a new session');
    }
  }

  private checkStarted(): void {
    if (!this.started) {
      throw new SessionError('the session has no puzzle; call reset(inputs) first');
    }
  }
}
