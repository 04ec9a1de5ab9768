// The WGSL engine's UpdateKernel: HRM's forward pass as compute dispatches on one device.
//
// Per update: one input injection, then six dispatches per transformer block: qkv_proj + RoPE,
// attention as scores-and-softmax then values, o_proj + residual + RMSNorm, gate_up_proj +
// SwiGLU, and down_proj + residual + RMSNorm. Where head_dim is not a multiple of 8, one
// streaming kernel does attention, so a block takes five. Then one state update that also
// measures ‖z_new − z_old‖, and the output heads when the plan requests a decode or Q. All updates of a runUpdates call go into one compute pass of one
// command encoder, and one small readout buffer comes back per call.

import { GpuContext } from '../gpu';
import { validatePuzzleInputs } from '../session';
import type { PlannedUpdate, UpdateKernel, UpdateModule, UpdateReadout } from '../types';
import { type BlockWords, type ModelPlan, requiredLimits, tiledAttentionFits } from './model-plan';
import { type Attention, createAttention } from './ops/attention';
import {
  createEmbeddingOp,
  createHeadsOp,
  createInjectOp,
  createStateUpdateOp,
  readoutWords,
} from './ops/elementwise';
import { createMatmulPairsOp } from './ops/matmul-pairs';
import { createResidualNormOp } from './ops/matmul-residual-norm';
import { type BoundOp, bindOp, dispatchOp, type KernelOp } from './ops/op';

/** Pipelines for one model; shapes are fixed per model, so each is built once. */
interface Ops {
  embedding: KernelOp;
  injectL: KernelOp;
  injectH: KernelOp;
  qkv: KernelOp;
  attention: Attention;
  residualNormO: KernelOp;
  swiglu: KernelOp;
  residualNormDown: KernelOp;
  stateUpdate: KernelOp;
  heads: KernelOp;
}

/** One block's dispatches in order, each with its bind group. */
type BlockBindings = BoundOp[];

/** Buffers and bind groups that live as long as the device. */
interface DeviceState {
  ops: Ops;
  buffers: GPUBuffer[];
  tokens: GPUBuffer; // u32 [seq_len]
  puzzleRow: GPUBuffer; // [puzzle_emb_len * hidden_size]
  e: GPUBuffer; // [positions, hidden_size]
  z_H: GPUBuffer; // [positions, hidden_size]
  z_L: GPUBuffer; // [positions, hidden_size]
  logits: GPUBuffer; // [seq_len, vocab_size]
  hidden: GPUBuffer; // [positions, hidden_size], the state being computed
  lmHead: GPUBuffer; // [vocab_size, hidden_size]
  qHead: GPUBuffer; // [2 * hidden_size + 2]
  embeddingBinding: GPUBindGroup;
  injectLBinding: GPUBindGroup;
  injectHBinding: GPUBindGroup;
  H_blocks: BlockBindings[];
  L_blocks: BlockBindings[];
  /** Readout slots, grown on demand; one per update of the largest plan so far. */
  readout: ReadoutSlots | null;
}

interface ReadoutSlots {
  buffer: GPUBuffer;
  staging: GPUBuffer;
  slots: number;
  stateL: GPUBindGroup[];
  stateH: GPUBindGroup[];
  heads: GPUBindGroup[];
}

function ceilToMultiple(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class WebGpuKernel implements UpdateKernel {
  /** Dispatches recorded by the last runUpdates call. */
  lastDispatchCount = 0;
  /** Called once by dispose(), so an owner can stop tracking this kernel. */
  onDispose: (() => void) | null = null;

  private state: DeviceState | null = null;
  private slotStride = 256;
  private inputs: Int32Array | null = null;
  private puzzleIdentifier = 0;
  /** Modules updated since reset, replayed after a device loss to restore the states. */
  private history: UpdateModule[] = [];
  private disposed = false;
  private readonly removeRecoverHook: () => void;

  private constructor(
    readonly gpu: GpuContext,
    private readonly plan: ModelPlan,
  ) {
    this.removeRecoverHook = gpu.onRecover(() => this.rebuildAfterLoss());
  }

  /** Requests a device with the limits this model needs and uploads the model. */
  static async create(plan: ModelPlan): Promise<WebGpuKernel> {
    const gpu = await GpuContext.create(requiredLimits(plan.config, plan.numeric));
    const kernel = new WebGpuKernel(gpu, plan);
    try {
      await kernel.build();
    } catch (error) {
      kernel.dispose();
      throw error;
    }
    return kernel;
  }

  /** Bytes of the GPU buffers this kernel has allocated and not yet destroyed. */
  get allocatedBytes(): number {
    return this.gpu.allocatedBytes;
  }

  /** Dispatches one update of `module` records, without the output heads. */
  dispatchesPerUpdate(module: UpdateModule): number {
    const layers = module === 'L' ? this.plan.L_layers.length : this.plan.H_layers.length;
    const { hidden_size, num_heads } = this.plan.config;
    const attention = tiledAttentionFits({ positions: 1, hidden_size, num_heads }) ? 2 : 1;
    return 1 + (4 + attention) * layers + 1;
  }

  async reset(inputs: Int32Array, puzzleIdentifier: number): Promise<void> {
    this.checkUsable();
    validatePuzzleInputs(this.plan.config, inputs, puzzleIdentifier);
    this.inputs = inputs.slice();
    this.puzzleIdentifier = puzzleIdentifier;
    this.history = [];
    await this.withRecovery(async () => {
      this.encodeReset();
      await this.gpu.device.queue.onSubmittedWorkDone();
    });
  }

  async runUpdates(plan: PlannedUpdate[]): Promise<UpdateReadout[]> {
    this.checkStarted();
    for (const update of plan) {
      if (update.module !== 'L' && update.module !== 'H') {
        throw new Error(`invalid update module: ${String(update.module)} (expected 'L' or 'H')`);
      }
    }
    if (plan.length === 0) {
      return [];
    }
    // NOTE: the whole plan is one submission, so an AbortSignal cannot stop it part-way.
    const readouts = await this.withRecovery(() => this.encodeAndRead(plan));
    for (const update of plan) {
      this.history.push(update.module);
    }
    return readouts;
  }

  async readStates(): Promise<{ z_H: Float32Array; z_L: Float32Array }> {
    this.checkStarted();
    return this.withRecovery(async () => {
      const state = this.requireState();
      const [z_H, z_L] = await this.readBuffers([state.z_H, state.z_L]);
      return { z_H, z_L };
    });
  }

  async readEmbedding(): Promise<Float32Array> {
    this.checkStarted();
    return this.withRecovery(async () => (await this.readBuffers([this.requireState().e]))[0]);
  }

  /** Logits of the last decode, [seq_len, vocab_size], for parity tests. */
  async readLogits(): Promise<Float32Array> {
    this.checkStarted();
    return this.withRecovery(async () => (await this.readBuffers([this.requireState().logits]))[0]);
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.removeRecoverHook();
    this.releaseBuffers();
    this.gpu.dispose();
    this.onDispose?.();
  }

  private checkUsable(): void {
    if (this.disposed) {
      throw new Error('WebGPU kernel used after dispose(); create a new session');
    }
  }

  private checkStarted(): void {
    this.checkUsable();
    if (!this.inputs) {
      throw new Error('WebGPU kernel has no puzzle yet; call reset(inputs) first');
    }
  }

  private requireState(): DeviceState {
    if (!this.state) {
      throw new Error('WebGPU kernel has no device state; the device was lost and not recovered');
    }
    return this.state;
  }

  private releaseBuffers(): void {
    if (!this.state) {
      return;
    }
    for (const buffer of this.state.buffers) {
      this.gpu.destroyBuffer(buffer);
    }
    if (this.state.readout) {
      this.gpu.destroyBuffer(this.state.readout.buffer);
      this.gpu.destroyBuffer(this.state.readout.staging);
    }
    this.state = null;
  }

  /**
   * Runs `work`; if it fails because the device was lost, waits for GpuContext to recreate the
   * device (which calls rebuildAfterLoss) and runs it once more.
   */
  private async withRecovery<T>(work: () => Promise<T>): Promise<T> {
    await this.gpu.ready();
    const device = this.gpu.device;
    try {
      return await work();
    } catch (error) {
      // device.lost may settle just after the failed call, so give it a moment.
      const lost = await Promise.race([
        device.lost.then(() => true),
        delay(1000).then(() => false),
      ]);
      if (!lost || this.disposed) {
        throw error;
      }
      // GpuContext's own lost handler ran first (it subscribed earlier) and started recovery.
      await this.gpu.ready();
      return work();
    }
  }

  /** Builds pipelines, buffers and bind groups on the current device. */
  private async build(): Promise<void> {
    const gpu = this.gpu;
    const { config, dims, flags, parameters } = this.plan;
    const { hidden_size, seq_len, vocab_size } = config;
    const positions = dims.positions;
    const stateSize = positions * hidden_size;
    const head_dim = dims.head_dim;

    const ops: Ops = {
      embedding: await createEmbeddingOp(
        gpu,
        {
          positions,
          hidden_size,
          puzzle_emb_len: dims.puzzle_emb_len,
          vocab_size,
          learnedPositions: config.pos_encodings === 'learned',
        },
        flags,
      ),
      injectL: await createInjectOp(gpu, stateSize, true, flags),
      injectH: await createInjectOp(gpu, stateSize, false, flags),
      qkv: await createMatmulPairsOp(
        gpu,
        {
          epilogue: 'qkv',
          rows: positions,
          inputWidth: hidden_size,
          pairs: (3 * hidden_size) / 2,
          hidden_size,
          head_dim,
          rope: config.pos_encodings === 'rope',
        },
        flags,
      ),
      attention: await createAttention(
        gpu,
        { positions, hidden_size, num_heads: config.num_heads },
        flags,
      ),
      residualNormO: await createResidualNormOp(
        gpu,
        {
          rows: positions,
          inputWidth: hidden_size,
          outputWidth: hidden_size,
          rms_norm_eps: config.rms_norm_eps,
        },
        flags,
      ),
      swiglu: await createMatmulPairsOp(
        gpu,
        {
          epilogue: 'swiglu',
          rows: positions,
          inputWidth: hidden_size,
          pairs: dims.inter,
          hidden_size,
          head_dim,
          rope: false,
        },
        flags,
      ),
      residualNormDown: await createResidualNormOp(
        gpu,
        {
          rows: positions,
          inputWidth: dims.inter,
          outputWidth: hidden_size,
          rms_norm_eps: config.rms_norm_eps,
        },
        flags,
      ),
      stateUpdate: await createStateUpdateOp(gpu, stateSize, flags),
      heads: await createHeadsOp(
        gpu,
        { seq_len, hidden_size, vocab_size, puzzle_emb_len: dims.puzzle_emb_len },
        flags,
      ),
    };

    const buffers: GPUBuffer[] = [];
    const storage = (label: string, data: ArrayBufferView): GPUBuffer => {
      const buffer = gpu.createStorage(label, data);
      buffers.push(buffer);
      return buffer;
    };
    const scratch = (label: string, bytes: number): GPUBuffer => {
      const buffer = gpu.createBuffer(
        label,
        bytes,
        GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      );
      buffers.push(buffer);
      return buffer;
    };

    const tokens = scratch('tokens', seq_len * 4);
    const puzzleRow = scratch('puzzle row', dims.puzzle_emb_len * hidden_size * 4);
    const embedTokens = storage('embed_tokens', parameters.embedTokens);
    const embedPos = storage('embed_pos', parameters.embedPositions ?? new Float32Array(1));
    const rope = storage('rope', this.plan.rope ?? new Float32Array(2));
    const lmHead = storage('lm_head', parameters.lmHead.data);
    const qHead = storage('q_head', this.plan.qHead);
    const e = scratch('e', stateSize * 4);
    const z_H = scratch('z_H', stateSize * 4);
    const z_L = scratch('z_L', stateSize * 4);
    const hidden = scratch('hidden', stateSize * 4); // [positions, hidden_size]
    const qkv = scratch('qkv', positions * 3 * hidden_size * 4); // [positions, 3 * hidden_size]
    const attention = scratch('attention', stateSize * 4); // [positions, hidden_size]
    const mlp = scratch('mlp', positions * dims.inter * 4); // [positions, inter]
    // [num_heads, positions, positions rounded up to 4], shared by every block.
    const probs =
      ops.attention.probsBytes > 0 ? scratch('attention probs', ops.attention.probsBytes) : null;
    const logits = scratch('logits', seq_len * vocab_size * 4); // [seq_len, vocab_size]

    const bindBlock = (level: string, index: number, block: BlockWords): BlockBindings => {
      const qkvWeight = storage(`${level}.${index}.qkv_proj`, block.qkv);
      const oWeight = storage(`${level}.${index}.o_proj`, block.o);
      const gateUpWeight = storage(`${level}.${index}.gate_up_proj`, block.gateUp);
      const downWeight = storage(`${level}.${index}.down_proj`, block.down);
      const bound = (op: KernelOp, buffers: GPUBuffer[]): BoundOp => ({
        op,
        bindGroup: bindOp(gpu, op, buffers),
      });
      return [
        bound(ops.qkv, [hidden, qkvWeight, qkv, rope]),
        ...ops.attention.bind(qkv, attention, probs),
        bound(ops.residualNormO, [attention, oWeight, hidden]),
        bound(ops.swiglu, [hidden, gateUpWeight, mlp, rope]),
        bound(ops.residualNormDown, [mlp, downWeight, hidden]),
      ];
    };

    this.slotStride = ceilToMultiple(
      readoutWords(seq_len) * 4,
      gpu.deviceLimits.minStorageBufferOffsetAlignment,
    );
    this.state = {
      ops,
      buffers,
      tokens,
      puzzleRow,
      e,
      z_H,
      z_L,
      logits,
      hidden,
      lmHead,
      qHead,
      embeddingBinding: bindOp(gpu, ops.embedding, [tokens, embedTokens, puzzleRow, embedPos, e]),
      injectLBinding: bindOp(gpu, ops.injectL, [z_L, z_H, e, hidden]),
      // The H injection has no third term; `e` only fills the binding.
      injectHBinding: bindOp(gpu, ops.injectH, [z_H, z_L, e, hidden]),
      H_blocks: this.plan.H_layers.map((block, i) => bindBlock('H_level', i, block)),
      L_blocks: this.plan.L_layers.map((block, i) => bindBlock('L_level', i, block)),
      readout: null,
    };
  }

  /** Returns readout slots for at least `count` updates, growing the buffers when needed. */
  private readoutSlots(count: number): ReadoutSlots {
    const state = this.requireState();
    if (state.readout && state.readout.slots >= count) {
      return state.readout;
    }
    if (state.readout) {
      this.gpu.destroyBuffer(state.readout.buffer);
      this.gpu.destroyBuffer(state.readout.staging);
    }

    // Grow by doubling, so a long run does not reallocate on every segment.
    const slots = Math.max(count, 2 * (state.readout?.slots ?? 4));
    const bytes = slots * this.slotStride;
    const buffer = this.gpu.createBuffer(
      'readout',
      bytes,
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    );
    const staging = this.gpu.createBuffer(
      'readout staging',
      bytes,
      GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    );

    // The readout slot is always the last binding of the state update and heads kernels.
    const slotBinding = (op: KernelOp, inputs: GPUBuffer[], slot: number) =>
      this.gpu.device.createBindGroup({
        label: op.label,
        layout: op.pipeline.getBindGroupLayout(0),
        entries: [
          ...inputs.map((b, binding) => ({ binding, resource: { buffer: b } })),
          {
            binding: inputs.length,
            resource: {
              buffer,
              offset: slot * this.slotStride,
              size: readoutWords(this.plan.config.seq_len) * 4,
            },
          },
        ],
      });

    const hidden = state.hidden;
    const stateL: GPUBindGroup[] = [];
    const stateH: GPUBindGroup[] = [];
    const heads: GPUBindGroup[] = [];
    for (let slot = 0; slot < slots; slot++) {
      stateL.push(slotBinding(state.ops.stateUpdate, [hidden, state.z_L], slot));
      stateH.push(slotBinding(state.ops.stateUpdate, [hidden, state.z_H], slot));
      heads.push(
        slotBinding(state.ops.heads, [state.z_H, state.lmHead, state.qHead, state.logits], slot),
      );
    }
    state.readout = { buffer, staging, slots, stateL, stateH, heads };
    return state.readout;
  }

  /** Uploads the puzzle and records the embedding and the initial states. */
  private encodeReset(): void {
    const state = this.requireState();
    const { config, dims, parameters } = this.plan;
    const queue = this.gpu.device.queue;
    const inputs = this.inputs as Int32Array;
    queue.writeBuffer(state.tokens, 0, Uint32Array.from(inputs));
    if (dims.puzzle_emb_len > 0 && parameters.puzzleEmbedding) {
      // The puzzle row, zero-padded to puzzle_emb_len whole positions.
      const row = new Float32Array(dims.puzzle_emb_len * config.hidden_size);
      const ndim = config.puzzle_emb_ndim;
      row.set(
        parameters.puzzleEmbedding.subarray(
          this.puzzleIdentifier * ndim,
          (this.puzzleIdentifier + 1) * ndim,
        ),
      );
      queue.writeBuffer(state.puzzleRow, 0, row);
    }
    queue.writeBuffer(state.z_H, 0, this.plan.zHInit);
    queue.writeBuffer(state.z_L, 0, this.plan.zLInit);

    const encoder = this.gpu.device.createCommandEncoder({ label: 'reset' });
    const pass = encoder.beginComputePass();
    dispatchOp(pass, state.ops.embedding, state.embeddingBinding);
    pass.end();
    queue.submit([encoder.finish()]);
  }

  /** Records the dispatches of one update into `pass`; returns how many. */
  private encodeUpdate(
    pass: GPUComputePassEncoder,
    update: PlannedUpdate,
    slot: number,
    readout: ReadoutSlots,
  ): number {
    const state = this.requireState();
    const { ops } = state;
    const isL = update.module === 'L';
    let dispatches = 0;

    dispatchOp(
      pass,
      isL ? ops.injectL : ops.injectH,
      isL ? state.injectLBinding : state.injectHBinding,
    );
    dispatches += 1;
    for (const block of isL ? state.L_blocks : state.H_blocks) {
      for (const { op, bindGroup } of block) {
        dispatchOp(pass, op, bindGroup);
      }
      dispatches += block.length;
    }
    dispatchOp(pass, ops.stateUpdate, isL ? readout.stateL[slot] : readout.stateH[slot]);
    dispatches += 1;
    if (update.decode || update.q) {
      dispatchOp(pass, ops.heads, readout.heads[slot]);
      dispatches += 1;
    }
    return dispatches;
  }

  private async encodeAndRead(plan: PlannedUpdate[]): Promise<UpdateReadout[]> {
    const readout = this.readoutSlots(plan.length);
    const device = this.gpu.device;
    const encoder = device.createCommandEncoder({ label: 'updates' });
    const pass = encoder.beginComputePass();
    let dispatches = 0;
    plan.forEach((update, slot) => {
      dispatches += this.encodeUpdate(pass, update, slot, readout);
    });
    pass.end();
    const bytes = plan.length * this.slotStride;
    encoder.copyBufferToBuffer(readout.buffer, 0, readout.staging, 0, bytes);
    device.queue.submit([encoder.finish()]);
    this.lastDispatchCount = dispatches;

    await readout.staging.mapAsync(GPUMapMode.READ, 0, bytes);
    const words = new Uint32Array(readout.staging.getMappedRange(0, bytes).slice(0));
    readout.staging.unmap();
    return plan.map((update, slot) => this.parseSlot(words, slot, update));
  }

  private parseSlot(words: Uint32Array, slot: number, update: PlannedUpdate): UpdateReadout {
    const seq_len = this.plan.config.seq_len;
    const base = (slot * this.slotStride) / 4;
    const floats = new Float32Array(
      words.buffer,
      words.byteOffset + base * 4,
      readoutWords(seq_len),
    );
    const updateNorm = Math.sqrt(floats[0]);
    const oldNorm = Math.sqrt(floats[1]);
    const result: UpdateReadout = {
      updateNorm,
      relativeUpdate: oldNorm > 0 ? updateNorm / oldNorm : 0,
    };
    if (update.decode) {
      result.prediction = new Int32Array(
        words.buffer,
        words.byteOffset + (base + 4) * 4,
        seq_len,
      ).slice();
      result.confidence = floats.slice(4 + seq_len, 4 + 2 * seq_len);
      result.entropy = floats.slice(4 + 2 * seq_len, 4 + 3 * seq_len);
    }
    if (update.q) {
      result.q = { halt: floats[2], continue: floats[3] };
    }
    return result;
  }

  /** Copies whole buffers to one staging buffer and returns them as f32 arrays. */
  private async readBuffers(sources: GPUBuffer[]): Promise<Float32Array[]> {
    const total = sources.reduce((sum, b) => sum + b.size, 0);
    const staging = this.gpu.createBuffer(
      'state staging',
      total,
      GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    );
    try {
      const encoder = this.gpu.device.createCommandEncoder({ label: 'read buffers' });
      let offset = 0;
      for (const source of sources) {
        encoder.copyBufferToBuffer(source, 0, staging, offset, source.size);
        offset += source.size;
      }
      this.gpu.device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const all = new Float32Array(staging.getMappedRange().slice(0));
      staging.unmap();
      offset = 0;
      return sources.map((source) => {
        const view = all.slice(offset / 4, (offset + source.size) / 4);
        offset += source.size;
        return view;
      });
    } finally {
      this.gpu.destroyBuffer(staging);
    }
  }

  /**
   * Rebuilds everything on the device GpuContext created after a loss, then restores the
   * states by recomputing the embedding and replaying every update since reset.
   */
  private async rebuildAfterLoss(): Promise<void> {
    // The lost device took its buffers with it; forget them without destroy() calls.
    this.state = null;
    await this.build();
    if (!this.inputs) {
      return;
    }
    this.encodeReset();
    if (this.history.length > 0) {
      const readout = this.readoutSlots(1);
      const encoder = this.gpu.device.createCommandEncoder({ label: 'replay' });
      const pass = encoder.beginComputePass();
      for (const module of this.history) {
        this.encodeUpdate(pass, { module, decode: true, q: true }, 0, readout);
      }
      pass.end();
      this.gpu.device.queue.submit([encoder.finish()]);
    }
    await this.gpu.device.queue.onSubmittedWorkDone();
  }
}
