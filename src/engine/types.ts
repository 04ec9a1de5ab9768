// The engine's contract, shared by every backend (our WGSL engine, onnxruntime-web on WebGPU and
// on WASM, and the plain-TypeScript reference) and by the stores that drive them. Nothing here
// imports React.

import type { HrmWeights } from '../model/weights';

export type BackendKind = 'webgpu' | 'ort-webgpu' | 'ort-wasm' | 'reference';

/**
 * `float32` computes everything in float32. `bfloat16` rounds activations to bfloat16 where the
 * authors' forward pass does (after each matrix product, RMSNorm and RoPE, and the carry), so
 * that results agree with their bfloat16 runs.
 */
export type NumericMode = 'float32' | 'bfloat16';

/** `fixed` always runs the segment limit (the authors' evaluation); `q_head` stops when q_halt > q_continue. */
export type HaltingMode = 'fixed' | 'q_head';

export type UpdateModule = 'L' | 'H';

/** Position of one update in the recurrence. All counters start at 0. */
export interface StepPosition {
  segment: number;
  /** H cycle inside the segment, 0..H_cycles-1. */
  hCycle: number;
  /** L update inside the H cycle, 0..L_cycles-1, or null for the H update that ends the cycle. */
  lStep: number | null;
  module: UpdateModule;
  /** Running count of updates since reset, 0-based. */
  index: number;
}

/** Result of one update, as the UI receives it. */
export interface StepEvent {
  position: StepPosition;
  /** Predicted token id per puzzle cell, decoded from z_H through lm_head. [seq_len] */
  prediction: Int32Array;
  /** Probability of the predicted token per cell. [seq_len] */
  confidence: Float32Array;
  /** Entropy (nats) of the output distribution per cell. [seq_len] */
  entropy: Float32Array;
  /** ‖z_new − z_old‖₂ over all positions of the module that was updated. */
  updateNorm: number;
  /** updateNorm / ‖z_old‖₂, so L and H are comparable. */
  relativeUpdate: number;
  /** Q values, present after the last H update of a segment. */
  q?: { halt: number; continue: number };
  /** True on the last event of a run that stopped because q_halt > q_continue. */
  halted?: boolean;
  /** Wall time this update took, including its readback, in milliseconds. */
  elapsedMs: number;
}

/** How far one call to `advance` goes. */
export type AdvanceUnit =
  /** Exactly the next update (L, or H at the end of an H cycle). */
  | 'update'
  /** Through the next H update, which ends the current H cycle. */
  | 'h_cycle'
  /** Through the end of the current segment. */
  | 'segment';

export interface RunOptions {
  /** Segments to run in total since reset, 1 or more; may exceed the trained halt_max_steps. */
  maxSegments: number;
  halting: HaltingMode;
  /** Called for every update, in order. */
  onEvent?: (event: StepEvent) => void;
  /**
   * Aborting stops the run after the update in flight, or after the batch in flight on kernels
   * that cannot stop inside a batch. The session stays usable at the position reached.
   */
  signal?: AbortSignal;
  /**
   * `segment` (the default) hands each segment's updates to the kernel as one batch, and
   * `onEvent` fires for them when the batch is done. `update` runs one update per batch, so
   * `onEvent` fires as each update finishes, at the cost of one readback per update.
   */
  pace?: 'update' | 'segment';
}

export interface RunResult {
  /** Segments completed since reset when the run ended (a partly run segment does not count). */
  segments: number;
  /** Reason the run ended. */
  stop: 'limit' | 'halted' | 'aborted';
  events: StepEvent[];
}

/** A stepwise session over one loaded model. */
export interface HrmSession {
  readonly backend: BackendKind;
  /** Starts a puzzle: computes the input embedding and sets z_H = H_init, z_L = L_init. */
  reset(inputs: Int32Array, puzzleIdentifier?: number): Promise<void>;
  advance(unit: AdvanceUnit): Promise<StepEvent[]>;
  run(options: RunOptions): Promise<RunResult>;
  /** Current position: the next update to run. */
  readonly nextPosition: StepPosition;
  /** Full states, for tests and export only: expensive on GPU backends. [positions, hidden_size] each */
  readStates(): Promise<{ z_H: Float32Array; z_L: Float32Array }>;
  dispose(): void;
}

export interface EngineOptions {
  numeric: NumericMode;
}

/** A backend turns loaded weights into sessions. */
export interface HrmBackend {
  readonly kind: BackendKind;
  /** Human-readable description, e.g. the GPU adapter. */
  readonly description: string;
  createSession(weights: HrmWeights, options: EngineOptions): Promise<HrmSession>;
  dispose(): void;
}

/** One update that `UpdateKernel.runUpdates` should run, and what to read back after it. */
export interface PlannedUpdate {
  module: UpdateModule;
  /** Decode z_H through lm_head after this update (prediction, confidence, entropy). */
  decode: boolean;
  /** Compute the Q head from z_H[position 0] after this update. */
  q: boolean;
}

/** Values read back after one update, which the session turns into a StepEvent. */
export interface UpdateReadout {
  updateNorm: number;
  relativeUpdate: number;
  prediction?: Int32Array;
  confidence?: Float32Array;
  entropy?: Float32Array;
  q?: { halt: number; continue: number };
  /** Wall time of this update when the kernel measures it per update, in milliseconds. */
  elapsedMs?: number;
}

/**
 * The low-level operations each backend implements. `Session` in session.ts owns the schedule
 * (H cycles, L cycles, segments, halting) and drives a kernel, so every backend shares it.
 * GPU backends record all planned updates into one submission and read back once.
 */
export interface UpdateKernel {
  /** Computes the input embedding and sets z_H = H_init, z_L = L_init. */
  reset(inputs: Int32Array, puzzleIdentifier: number): Promise<void>;
  /**
   * Runs the planned updates in order and returns one readout per update run. A kernel that
   * finds `signal` aborted between two updates stops there and returns the readouts so far.
   * One that records a whole batch at once may ignore the signal and run all of it.
   */
  runUpdates(plan: PlannedUpdate[], signal?: AbortSignal): Promise<UpdateReadout[]>;
  readStates(): Promise<{ z_H: Float32Array; z_L: Float32Array }>;
  /** Input embedding of the current puzzle, for parity tests. [positions, hidden_size] */
  readEmbedding(): Promise<Float32Array>;
  dispose(): void;
}
