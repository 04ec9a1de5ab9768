// OrtKernel: HRM's update operations on onnxruntime-web, one InferenceSession per graph
// (embedding, L update, H update, heads). On the WebGPU execution provider the states stay in GPU
// buffers between runs (preferredOutputLocation 'gpu-buffer'). Only the squared update norms and
// the heads' outputs come back to the CPU.

import type { InferenceSession, Tensor } from 'onnxruntime-web';
import type { HrmConfig, HrmDims } from '../../model/config';
import type { HrmWeights } from '../../model/weights';
import { validatePuzzleInputs } from '../session';
import type { PlannedUpdate, UpdateKernel, UpdateModule, UpdateReadout } from '../types';
import {
  buildEmbeddingGraph,
  buildHeadsGraph,
  buildUpdateGraph,
  type GraphParameters,
  NAMES,
  prepareParameters,
} from './hrm-graphs';
import { parameterFloat32 } from './parameters';

/** The parts of onnxruntime-web (its browser or its Node.js build) that the kernel uses. */
export interface OrtApi {
  InferenceSession: typeof InferenceSession;
  Tensor: typeof Tensor;
}

export type OrtExecutionProvider = 'webgpu' | 'wasm';

export interface OrtKernelOptions {
  executionProvider: OrtExecutionProvider;
  /** ORT's session log level, 0 (verbose) to 4 (fatal). Verbose logs each node's placement. */
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

/** The heads' outputs for the current z_H. */
export interface HeadsReadout {
  /** [seq_len, vocab_size] */
  logits: Float32Array;
  /** [seq_len] each */
  prediction: Int32Array;
  confidence: Float32Array;
  entropy: Float32Array;
  q: { halt: number; continue: number };
}

/** Creates one InferenceSession from a built graph's bytes. */
async function createSession(
  ort: OrtApi,
  model: Uint8Array,
  options: OrtKernelOptions,
  gpuOutputs: string[],
): Promise<InferenceSession> {
  const sessionOptions: InferenceSession.SessionOptions = {
    executionProviders: [options.executionProvider],
    graphOptimizationLevel: 'all',
    logSeverityLevel: options.logSeverityLevel ?? 2,
  };
  if (options.executionProvider === 'webgpu' && gpuOutputs.length > 0) {
    sessionOptions.preferredOutputLocation = Object.fromEntries(
      gpuOutputs.map((name) => [name, 'gpu-buffer' as const]),
    );
  }
  return ort.InferenceSession.create(model, sessionOptions);
}

/** Copies a tensor's float32 data to the CPU, which for a GPU tensor is a readback. */
async function readFloat32(tensor: Tensor): Promise<Float32Array> {
  const data = await tensor.getData();
  if (!(data instanceof Float32Array)) {
    throw new Error(`Invalid graph output: expected a float32 tensor, got ${tensor.type}.`);
  }
  // getData on a CPU tensor returns the tensor's own array. Callers may keep or modify the
  // result, so they get a copy.
  return data.slice();
}

/** Releases a tensor that owns a GPU buffer; CPU tensors are left to the garbage collector. */
function release(tensor: Tensor | undefined): void {
  if (tensor && tensor.location === 'gpu-buffer') {
    tensor.dispose();
  }
}

function releaseAll(tensors: Tensor[]): void {
  for (const tensor of tensors) {
    release(tensor);
  }
}

/** The output tensors of one update that runUpdates has run but not read yet. */
interface PendingUpdate {
  step: PlannedUpdate;
  norms: { deltaSquared: Tensor; oldSquared: Tensor };
  heads?: InferenceSession.OnnxValueMapType;
}

/** Returns the most likely token per cell of logits [cells, vocab_size]; the first one on a tie, as ONNX ArgMax. */
export function argmaxTokens(logits: Float32Array, vocab_size: number): Int32Array {
  const cells = logits.length / vocab_size;
  const tokens = new Int32Array(cells);
  for (let cell = 0; cell < cells; cell++) {
    let best = 0;
    for (let token = 1; token < vocab_size; token++) {
      if (logits[cell * vocab_size + token] > logits[cell * vocab_size + best]) best = token;
    }
    tokens[cell] = best;
  }
  return tokens;
}

async function readHeadsOutputs(
  outputs: InferenceSession.OnnxValueMapType,
  vocab_size: number,
): Promise<HeadsReadout> {
  const [logits, confidence, entropy, q] = await Promise.all([
    readFloat32(outputs[NAMES.logits]),
    readFloat32(outputs[NAMES.confidence]),
    readFloat32(outputs[NAMES.entropy]),
    readFloat32(outputs[NAMES.q]),
  ]);
  return {
    logits,
    prediction: argmaxTokens(logits, vocab_size),
    confidence,
    entropy,
    q: { halt: q[0], continue: q[1] },
  };
}

async function readPendingUpdate(
  { step, norms, heads }: PendingUpdate,
  vocab_size: number,
): Promise<UpdateReadout> {
  const [deltaSquared, oldSquared] = await Promise.all([
    readFloat32(norms.deltaSquared),
    readFloat32(norms.oldSquared),
  ]);
  const updateNorm = Math.sqrt(deltaSquared[0]);
  const oldNorm = Math.sqrt(oldSquared[0]);
  const readout: UpdateReadout = {
    updateNorm,
    relativeUpdate: oldNorm > 0 ? updateNorm / oldNorm : 0,
  };
  if (heads) {
    const values = await readHeadsOutputs(heads, vocab_size);
    if (step.decode) {
      readout.prediction = values.prediction;
      readout.confidence = values.confidence;
      readout.entropy = values.entropy;
    }
    if (step.q) {
      readout.q = values.q;
    }
  }
  return readout;
}

export class OrtKernel implements UpdateKernel {
  private z_H: Tensor | undefined;
  private z_L: Tensor | undefined;
  private embedding: Tensor | undefined;
  private disposed = false;

  private constructor(
    private readonly ort: OrtApi,
    readonly executionProvider: OrtExecutionProvider,
    private readonly config: HrmConfig,
    private readonly dims: HrmDims,
    private readonly initialStates: { H_init: Float32Array; L_init: Float32Array },
    private readonly sessions: {
      embedding: InferenceSession;
      L: InferenceSession;
      H: InferenceSession;
      heads: InferenceSession;
    },
  ) {}

  /** Builds the four graphs from `weights` and creates their sessions on one execution provider. */
  static async create(
    ort: OrtApi,
    weights: HrmWeights,
    options: OrtKernelOptions,
  ): Promise<OrtKernel> {
    const params: GraphParameters = prepareParameters(weights);
    const { config } = params;
    const initialStates = {
      H_init: parameterFloat32(weights, 'H_init', [config.hidden_size]),
      L_init: parameterFloat32(weights, 'L_init', [config.hidden_size]),
    };

    // Sessions are created one after another: each encodes a copy of its weights, and creating
    // them in parallel would hold all copies at once.
    const embedding = await createSession(ort, buildEmbeddingGraph(params).encode(), options, [
      NAMES.embedding,
    ]);
    // Every output stays on the GPU until read, so runUpdates can queue a whole batch first.
    const updateOutputs = [NAMES.zNew, NAMES.deltaSquared, NAMES.oldSquared];
    const L = await createSession(
      ort,
      buildUpdateGraph(params, 'L').encode(),
      options,
      updateOutputs,
    );
    const H = await createSession(
      ort,
      buildUpdateGraph(params, 'H').encode(),
      options,
      updateOutputs,
    );
    const headsGraph = buildHeadsGraph(params);
    const heads = await createSession(
      ort,
      headsGraph.encode(),
      options,
      headsGraph.outputs.map((output) => output.name),
    );
    params.transposed.clear();

    return new OrtKernel(ort, options.executionProvider, config, params.dims, initialStates, {
      embedding,
      L,
      H,
      heads,
    });
  }

  private stateTensor(vector: Float32Array): Tensor {
    const { positions } = this.dims;
    const D = this.config.hidden_size;
    const data = new Float32Array(positions * D); // [positions, hidden_size]
    for (let p = 0; p < positions; p++) {
      data.set(vector, p * D);
    }
    return new this.ort.Tensor('float32', data, [1, positions, D]);
  }

  private checkUsable(): void {
    if (this.disposed) {
      throw new Error('This onnxruntime kernel was disposed; create a new session.');
    }
  }

  private requireStates(): { z_H: Tensor; z_L: Tensor; embedding: Tensor } {
    this.checkUsable();
    if (!this.z_H || !this.z_L || !this.embedding) {
      throw new Error('No puzzle is loaded; call reset(inputs) before running updates.');
    }
    return { z_H: this.z_H, z_L: this.z_L, embedding: this.embedding };
  }

  async reset(inputs: Int32Array, puzzleIdentifier: number): Promise<void> {
    this.checkUsable();
    validatePuzzleInputs(this.config, inputs, puzzleIdentifier);
    const { seq_len } = this.config;

    const feeds = {
      [NAMES.inputs]: new this.ort.Tensor('int32', Int32Array.from(inputs), [1, seq_len]),
      [NAMES.puzzleIdentifier]: new this.ort.Tensor('int32', Int32Array.of(puzzleIdentifier), [1]),
    };
    const { embedding } = await this.sessions.embedding.run(feeds);
    this.releaseStates();
    this.embedding = embedding;
    this.z_H = this.stateTensor(this.initialStates.H_init);
    this.z_L = this.stateTensor(this.initialStates.L_init);
  }

  /**
   * Runs one module update, replaces the state, and returns the tensors of ‖Δz‖² and ‖z_old‖²
   * without waiting for their values.
   */
  private async update(module: UpdateModule): Promise<PendingUpdate['norms']> {
    const { z_H, z_L, embedding } = this.requireStates();
    const feeds: Record<string, Tensor> =
      module === 'L'
        ? { [NAMES.z_L]: z_L, [NAMES.z_H]: z_H, [NAMES.embedding]: embedding }
        : { [NAMES.z_H]: z_H, [NAMES.z_L]: z_L };
    const session = module === 'L' ? this.sessions.L : this.sessions.H;
    const outputs = await session.run(feeds);

    if (module === 'L') {
      release(this.z_L);
      this.z_L = outputs[NAMES.zNew];
    } else {
      release(this.z_H);
      this.z_H = outputs[NAMES.zNew];
    }
    return { deltaSquared: outputs[NAMES.deltaSquared], oldSquared: outputs[NAMES.oldSquared] };
  }

  /** Runs the heads on the current z_H and returns their output tensors without reading them. */
  private runHeads(): Promise<InferenceSession.OnnxValueMapType> {
    const { z_H } = this.requireStates();
    return this.sessions.heads.run({ [NAMES.z_H]: z_H });
  }

  /** Runs the heads on the current z_H: logits, prediction, confidence, entropy and q. */
  async readHeads(): Promise<HeadsReadout> {
    const outputs = await this.runHeads();
    try {
      return await readHeadsOutputs(outputs, this.config.vocab_size);
    } finally {
      releaseAll(Object.values(outputs));
    }
  }

  /**
   * Runs the planned updates, then reads all their norms and heads at once. On WebGPU the runs
   * only queue GPU work, so reading everything after the last run waits for the GPU once per
   * batch, not once per update.
   */
  async runUpdates(plan: PlannedUpdate[], signal?: AbortSignal): Promise<UpdateReadout[]> {
    const pending: PendingUpdate[] = [];
    try {
      for (const step of plan) {
        if (signal?.aborted) {
          break;
        }
        const norms = await this.update(step.module);
        const heads = step.decode || step.q ? await this.runHeads() : undefined;
        pending.push({ step, norms, heads });
      }
      return await Promise.all(
        pending.map((update) => readPendingUpdate(update, this.config.vocab_size)),
      );
    } finally {
      for (const { norms, heads } of pending) {
        releaseAll([norms.deltaSquared, norms.oldSquared, ...Object.values(heads ?? {})]);
      }
    }
  }

  async readStates(): Promise<{ z_H: Float32Array; z_L: Float32Array }> {
    const { z_H, z_L } = this.requireStates();
    return { z_H: await readFloat32(z_H), z_L: await readFloat32(z_L) };
  }

  async readEmbedding(): Promise<Float32Array> {
    const { embedding } = this.requireStates();
    return readFloat32(embedding);
  }

  private releaseStates(): void {
    release(this.z_H);
    release(this.z_L);
    release(this.embedding);
    this.z_H = undefined;
    this.z_L = undefined;
    this.embedding = undefined;
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.releaseStates();
    this.disposed = true;
    for (const session of Object.values(this.sessions)) {
      // release() returns a promise; a failure here leaves memory to the page's lifetime.
      session.release().catch((error: unknown) => {
        console.warn('[ort] releasing an InferenceSession failed:', error);
      });
    }
  }
}
