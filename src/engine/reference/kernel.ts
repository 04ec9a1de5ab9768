// UpdateKernel in plain TypeScript on the CPU: the readable specification of HRM's forward pass
// and the last fallback backend. All buffers are allocated once per model.

import type { HrmWeights } from '../../model/weights';
import { validatePuzzleInputs } from '../session';
import type { NumericMode, PlannedUpdate, UpdateKernel, UpdateReadout } from '../types';
import {
  type BlockScratch,
  type BlockShape,
  type BlockWeights,
  createBlockScratch,
  runReasoningModule,
} from './block';
import { computeInputEmbedding } from './embedding';
import { computeLogits, computeQ, decodeLogits } from './heads';
import { gatherParameters, type ReferenceParameters } from './parameters';
import { type Precision, precisionFor } from './precision';
import { buildRopeTables, type RopeTables } from './rope';

export class ReferenceKernel implements UpdateKernel {
  readonly numeric: NumericMode;
  private readonly precision: Precision;
  private readonly parameters: ReferenceParameters;
  private readonly shape: BlockShape;
  private readonly rope: RopeTables | null;
  private readonly scratch: BlockScratch;

  private readonly embedding: Float32Array; // e [positions, hidden_size]
  private z_H: Float32Array; // [positions, hidden_size]
  private z_L: Float32Array; // [positions, hidden_size]
  private next: Float32Array; // [positions, hidden_size], the state being computed
  private readonly injection: Float32Array; // z_H + e [positions, hidden_size]
  private readonly logits: Float32Array; // [seq_len, vocab_size]

  private started = false;
  private disposed = false;

  constructor(weights: HrmWeights, numeric: NumericMode) {
    this.numeric = numeric;
    this.precision = precisionFor(numeric);
    this.parameters = gatherParameters(weights, this.precision);

    const { config, dims } = this.parameters;
    this.shape = {
      positions: dims.positions,
      num_heads: config.num_heads,
      head_dim: dims.head_dim,
      inter: dims.inter,
      rms_norm_eps: config.rms_norm_eps,
    };
    this.rope =
      config.pos_encodings === 'rope'
        ? buildRopeTables(dims.positions, dims.head_dim, config.rope_theta)
        : null;
    this.scratch = createBlockScratch(this.shape);

    const stateSize = dims.positions * config.hidden_size;
    this.embedding = new Float32Array(stateSize);
    this.z_H = new Float32Array(stateSize);
    this.z_L = new Float32Array(stateSize);
    this.next = new Float32Array(stateSize);
    this.injection = new Float32Array(stateSize);
    this.logits = new Float32Array(config.seq_len * config.vocab_size);
  }

  async reset(inputs: Int32Array, puzzleIdentifier: number): Promise<void> {
    this.checkUsable();
    validatePuzzleInputs(this.parameters.config, inputs, puzzleIdentifier);

    computeInputEmbedding(
      this.parameters,
      inputs,
      puzzleIdentifier,
      this.embedding,
      this.precision,
    );

    // H_init and L_init broadcast over all positions. They are already in the activation dtype.
    const { H_init, L_init } = this.parameters;
    const hidden_size = H_init.length;
    for (let position = 0; position < this.shape.positions; position++) {
      this.z_H.set(H_init, position * hidden_size);
      this.z_L.set(L_init, position * hidden_size);
    }
    this.started = true;
  }

  async runUpdates(plan: PlannedUpdate[], signal?: AbortSignal): Promise<UpdateReadout[]> {
    this.checkStarted();
    const readouts: UpdateReadout[] = [];
    for (const update of plan) {
      if (signal?.aborted) break;
      readouts.push(this.runUpdate(update));

      // Yields to the event loop so that an abort requested meanwhile takes effect before the
      // next update. Without a signal no caller can abort, so the batch runs straight through.
      if (signal !== undefined && readouts.length < plan.length) {
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
      }
    }
    return readouts;
  }

  /** Runs one update synchronously. */
  runUpdate(update: PlannedUpdate): UpdateReadout {
    this.checkStarted();
    const started = performance.now();
    const { config, dims } = this.parameters;
    const size = dims.positions * config.hidden_size;

    let previous: Float32Array;
    if (update.module === 'L') {
      // z_L = L(z_L, z_H + e); the injection sum is a bfloat16 addition in bfloat16 mode.
      for (let i = 0; i < size; i++) {
        this.injection[i] = this.z_H[i] + this.embedding[i];
      }
      this.precision.round(this.injection, 0, size);
      this.runModule(this.z_L, this.injection, this.parameters.L_layers);
      previous = this.z_L;
      this.z_L = this.next;
    } else if (update.module === 'H') {
      // z_H = H(z_H, z_L)
      this.runModule(this.z_H, this.z_L, this.parameters.H_layers);
      previous = this.z_H;
      this.z_H = this.next;
    } else {
      throw new Error(`invalid update module: ${String(update.module)} (expected 'L' or 'H')`);
    }
    this.next = previous;

    const updated = update.module === 'L' ? this.z_L : this.z_H;
    let changeSquares = 0;
    let previousSquares = 0;
    for (let i = 0; i < size; i++) {
      const change = updated[i] - previous[i];
      changeSquares += change * change;
      previousSquares += previous[i] * previous[i];
    }
    const updateNorm = Math.sqrt(changeSquares);
    const previousNorm = Math.sqrt(previousSquares);
    const readout: UpdateReadout = {
      updateNorm,
      relativeUpdate: previousNorm > 0 ? updateNorm / previousNorm : 0,
    };

    if (update.decode) {
      computeLogits(
        this.z_H,
        dims.puzzle_emb_len,
        config.seq_len,
        this.parameters.lmHead,
        this.logits,
        this.precision,
      );
      Object.assign(readout, decodeLogits(this.logits, config.seq_len, config.vocab_size));
    }
    if (update.q) {
      readout.q = computeQ(this.z_H, this.parameters.qHead, this.precision);
    }

    readout.elapsedMs = performance.now() - started;
    return readout;
  }

  async readStates(): Promise<{ z_H: Float32Array; z_L: Float32Array }> {
    this.checkStarted();
    return { z_H: this.z_H.slice(), z_L: this.z_L.slice() };
  }

  async readEmbedding(): Promise<Float32Array> {
    this.checkStarted();
    return this.embedding.slice();
  }

  /**
   * Replaces the carry, for parity tests that start each update from the fixture's states.
   * Values are rounded to the activation dtype, as the carry is stored in it.
   */
  writeStates(z_H: Float32Array, z_L: Float32Array): void {
    this.checkStarted();
    for (const [name, values] of [
      ['z_H', z_H],
      ['z_L', z_L],
    ] as const) {
      if (values.length !== this.z_H.length) {
        throw new Error(
          `invalid ${name}: ${values.length} values, expected ${this.z_H.length} ` +
            '(positions * hidden_size)',
        );
      }
    }
    this.z_H.set(z_H);
    this.z_L.set(z_L);
    this.precision.round(this.z_H);
    this.precision.round(this.z_L);
  }

  /** Logits of the last decode, [seq_len, vocab_size], for parity tests. */
  readLogits(): Float32Array {
    this.checkStarted();
    return this.logits.slice();
  }

  dispose(): void {
    this.disposed = true;
  }

  /** Writes blocks(z + injection) into this.next. */
  private runModule(z: Float32Array, injection: Float32Array, layers: BlockWeights[]): void {
    runReasoningModule(
      z,
      injection,
      this.next,
      layers,
      this.shape,
      this.rope,
      this.scratch,
      this.precision,
    );
  }

  private checkUsable(): void {
    if (this.disposed) {
      throw new Error('reference kernel used after dispose(); create a new session');
    }
  }

  private checkStarted(): void {
    this.checkUsable();
    if (!this.started) {
      throw new Error('reference kernel has no puzzle; call reset(inputs) first');
    }
  }
}
