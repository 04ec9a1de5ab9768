// ONNX graphs of HRM's computation, built in TypeScript from loaded HrmWeights so that any model
// the page can load also runs on onnxruntime-web. States travel between graphs as
// [1, positions, hidden_size] float32 tensors; the leading batch axis is what the com.microsoft
// attention and rotary operators expect.
//
// The graphs use standard ONNX operators (MatMul, Split, Sigmoid, Mul, Add, Sub, Gather, Concat,
// Reshape, Slice, Gemm, ReduceMax, ReduceSum, ReduceSumSquare, Exp, Log, Div). They also
// use three fused com.microsoft operators: RotaryEmbedding, MultiHeadAttention and
// SkipSimplifiedLayerNormalization. In onnxruntime-web 1.31 both the WebGPU (JSEP) and the CPU
// execution provider implement all of them. HRM's RMSNorm has no learned scale, so the norm gets
// a constant scale of ones.

import { deriveDims, type HrmConfig, type HrmDims } from '../../model/config';
import type { HrmWeights } from '../../model/weights';
import type { UpdateModule } from '../types';
import { type BuiltGraph, GraphBuilder, MS_DOMAIN } from './onnx-graph';
import { parameterFloat32 } from './parameters';

/** Graph input and output names shared by the graphs and the kernel that feeds them. */
export const NAMES = {
  inputs: 'inputs',
  puzzleIdentifier: 'puzzle_identifier',
  embedding: 'embedding',
  z_H: 'z_H',
  z_L: 'z_L',
  zNew: 'z_new',
  deltaSquared: 'delta_squared',
  oldSquared: 'old_squared',
  logits: 'logits',
  confidence: 'confidence',
  entropy: 'entropy',
  q: 'q',
  z_HOut: 'z_H_out',
  z_LOut: 'z_L_out',
} as const;

/** The model's parameters as float32 in the layouts the graphs need, converted once per model. */
export interface GraphParameters {
  config: HrmConfig;
  dims: HrmDims;
  weights: HrmWeights;
  /** Transposed copies, [in, out], keyed by parameter name; filled on first use. */
  transposed: Map<string, Float32Array>;
}

export function prepareParameters(weights: HrmWeights): GraphParameters {
  const { config } = weights;
  if (config.hidden_size % config.num_heads !== 0) {
    throw new Error(
      `Invalid config: hidden_size ${config.hidden_size} is not a multiple of num_heads ${config.num_heads}.`,
    );
  }
  return { config, dims: deriveDims(config), weights, transposed: new Map() };
}

/** Adds the transpose of a [rows, cols] parameter as a [cols, rows] initializer (MatMul's B). */
function transposedWeight(
  builder: GraphBuilder,
  params: GraphParameters,
  name: string,
  rows: number,
  cols: number,
): string {
  let data = params.transposed.get(name);
  if (!data) {
    const source = parameterFloat32(params.weights, name, [rows, cols]);
    data = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        data[c * rows + r] = source[r * cols + c];
      }
    }
    params.transposed.set(name, data);
  }
  return builder.initializer(`${name}.T`, 'float32', [cols, rows], data);
}

/**
 * Computes the cos and sin tables of RotaryEmbedding, [positions, head_dim / 2] each, in float32
 * like the authors.
 */
export function rotaryTables(
  config: HrmConfig,
  positions: number,
): { cos: Float32Array; sin: Float32Array } {
  const headDim = config.hidden_size / config.num_heads;
  const half = headDim / 2;
  const cos = new Float32Array(positions * half);
  const sin = new Float32Array(positions * half);
  for (let i = 0; i < half; i++) {
    const inverseFrequency = Math.fround(1 / Math.fround(config.rope_theta ** ((2 * i) / headDim)));
    for (let p = 0; p < positions; p++) {
      const angle = Math.fround(p * inverseFrequency);
      cos[p * half + i] = Math.cos(angle);
      sin[p * half + i] = Math.sin(angle);
    }
  }
  return { cos, sin };
}

/** Constants every block of a graph shares: the norm's unit scale and the RoPE tables. */
function addBlockConstants(builder: GraphBuilder, params: GraphParameters): void {
  const { config, dims } = params;
  builder.initializer(
    'norm_scale',
    'float32',
    [config.hidden_size],
    new Float32Array(config.hidden_size).fill(1),
  );
  builder.int64s('qkv_split', [config.hidden_size, config.hidden_size, config.hidden_size]);
  builder.int64s('gate_up_split', [dims.inter, dims.inter]);
  if (config.pos_encodings === 'rope') {
    const { cos, sin } = rotaryTables(config, dims.positions);
    const half = dims.head_dim / 2;
    builder.initializer('rope_cos', 'float32', [dims.positions, half], cos);
    builder.initializer('rope_sin', 'float32', [dims.positions, half], sin);
    builder.initializer(
      'position_ids',
      'int64',
      [1, dims.positions],
      BigInt64Array.from({ length: dims.positions }, (_, p) => BigInt(p)),
    );
  }
}

/** x = rms_norm(x + skip) over hidden_size, with no learned scale. */
function addAndNorm(
  builder: GraphBuilder,
  params: GraphParameters,
  x: string,
  skip: string,
): string {
  return builder.node('SkipSimplifiedLayerNormalization', [x, skip, 'norm_scale'], {
    domain: MS_DOMAIN,
    attributes: { epsilon: { float: params.config.rms_norm_eps } },
  })[0];
}

/** Appends one post-norm transformer block on x [1, positions, hidden_size]. */
function appendBlock(
  builder: GraphBuilder,
  params: GraphParameters,
  prefix: string,
  x: string,
): string {
  const { config, dims } = params;
  const D = config.hidden_size;

  // Attention: qkv [1, P, 3D] split into query, key and value heads, RoPE on q and k.
  const qkv = builder.op('MatMul', [
    x,
    transposedWeight(builder, params, `${prefix}.self_attn.qkv_proj.weight`, 3 * D, D),
  ]);
  let [q, k, v] = builder.node('Split', [qkv, 'qkv_split'], {
    outputs: 3,
    attributes: { axis: 2 },
  });
  if (config.pos_encodings === 'rope') {
    q = builder.op(
      'RotaryEmbedding',
      [q, 'position_ids', 'rope_cos', 'rope_sin'],
      { interleaved: 0 },
      MS_DOMAIN,
    );
    k = builder.op(
      'RotaryEmbedding',
      [k, 'position_ids', 'rope_cos', 'rope_sin'],
      { interleaved: 0 },
      MS_DOMAIN,
    );
  }
  // Non-causal attention over all positions with the default scale 1/sqrt(head_dim).
  const attention = builder.op(
    'MultiHeadAttention',
    [q, k, v],
    { num_heads: config.num_heads },
    MS_DOMAIN,
  );
  const projected = builder.op('MatMul', [
    attention,
    transposedWeight(builder, params, `${prefix}.self_attn.o_proj.weight`, D, D),
  ]);
  const afterAttention = addAndNorm(builder, params, x, projected);

  // SwiGLU MLP: the first `inter` outputs of gate_up_proj are the gate.
  const gateUp = builder.op('MatMul', [
    afterAttention,
    transposedWeight(builder, params, `${prefix}.mlp.gate_up_proj.weight`, 2 * dims.inter, D),
  ]);
  const [gate, up] = builder.node('Split', [gateUp, 'gate_up_split'], {
    outputs: 2,
    attributes: { axis: 2 },
  });
  const silu = builder.op('Mul', [gate, builder.op('Sigmoid', [gate])]);
  const down = builder.op('MatMul', [
    builder.op('Mul', [silu, up]),
    transposedWeight(builder, params, `${prefix}.mlp.down_proj.weight`, D, dims.inter),
  ]);
  return addAndNorm(builder, params, afterAttention, down);
}

/** z' = module(z + injection): the sum, then the module's blocks in order. */
function appendModule(
  builder: GraphBuilder,
  params: GraphParameters,
  module: UpdateModule,
  z: string,
  injection: string,
): string {
  const layers = module === 'H' ? params.config.H_layers : params.config.L_layers;
  let x = builder.op('Add', [z, injection]);
  for (let layer = 0; layer < layers; layer++) {
    x = appendBlock(builder, params, `${module}_level.layers.${layer}`, x);
  }
  return x;
}

function stateShape(dims: HrmDims, config: HrmConfig): number[] {
  return [1, dims.positions, config.hidden_size];
}

/**
 * Builds the input embedding graph: inputs int32 [1, seq_len] and puzzle_identifier int32 [1] to
 * embedding [1, positions, hidden_size], scaled by sqrt(hidden_size).
 */
export function buildEmbeddingGraph(params: GraphParameters): BuiltGraph {
  const { config, dims } = params;
  const D = config.hidden_size;
  const builder = new GraphBuilder('hrm_embedding');
  const inputs = builder.input(NAMES.inputs, 'int32', [1, config.seq_len]);
  const puzzleIdentifier = builder.input(NAMES.puzzleIdentifier, 'int32', [1]);

  const tokenTable = builder.initializer(
    'embed_tokens.embedding_weight',
    'float32',
    [config.vocab_size, D],
    parameterFloat32(params.weights, 'embed_tokens.embedding_weight', [config.vocab_size, D]),
  );
  let embedded = builder.op('Gather', [tokenTable, inputs], { axis: 0 }); // [1, seq_len, D]

  if (dims.puzzle_emb_len > 0) {
    // The puzzle row, zero-padded to whole positions, becomes the first puzzle_emb_len positions.
    const rows = config.num_puzzle_identifiers;
    const source = parameterFloat32(params.weights, 'puzzle_emb.weights', [
      rows,
      config.puzzle_emb_ndim,
    ]);
    const width = dims.puzzle_emb_len * D;
    const padded = new Float32Array(rows * width);
    for (let row = 0; row < rows; row++) {
      padded.set(
        source.subarray(row * config.puzzle_emb_ndim, (row + 1) * config.puzzle_emb_ndim),
        row * width,
      );
    }
    const puzzleTable = builder.initializer(
      'puzzle_emb.weights.padded',
      'float32',
      [rows, width],
      padded,
    );
    // [1, puzzle_emb_len * hidden_size]
    const puzzleRow = builder.op('Gather', [puzzleTable, puzzleIdentifier], { axis: 0 });
    const prefix = builder.op('Reshape', [
      puzzleRow,
      builder.int64s('puzzle_prefix_shape', [1, dims.puzzle_emb_len, D]),
    ]);
    embedded = builder.op('Concat', [prefix, embedded], { axis: 1 }); // [1, positions, D]
  }

  let scale = Math.sqrt(D);
  if (config.pos_encodings === 'learned') {
    const positionTable = builder.initializer(
      'embed_pos.embedding_weight',
      'float32',
      [dims.positions, D],
      parameterFloat32(params.weights, 'embed_pos.embedding_weight', [dims.positions, D]),
    );
    embedded = builder.op('Add', [embedded, positionTable]);
    // The authors scale the sum of token and position embeddings by 1/sqrt(2) (0.707106781) first.
    scale *= Math.SQRT1_2;
  }
  builder.node('Mul', [embedded, builder.scalar('embed_scale', scale)], {
    outputs: [NAMES.embedding],
  });
  builder.output(NAMES.embedding, 'float32', stateShape(dims, config));
  return builder.build();
}

/** Appends ‖z_new − z_old‖² and ‖z_old‖² as float32 scalars under the given output names. */
function appendSquaredNorms(
  builder: GraphBuilder,
  zNew: string,
  zOld: string,
  deltaName: string,
  oldName: string,
): void {
  const delta = builder.op('Sub', [zNew, zOld]);
  builder.node('ReduceSumSquare', [delta], { outputs: [deltaName], attributes: { keepdims: 0 } });
  builder.node('ReduceSumSquare', [zOld], { outputs: [oldName], attributes: { keepdims: 0 } });
  builder.output(deltaName, 'float32', []);
  builder.output(oldName, 'float32', []);
}

/**
 * Builds the graph of one update of the L-module (z_L, z_H, embedding → z_L' = L(z_L, z_H + e))
 * or of the H-module (z_H, z_L → z_H' = H(z_H, z_L)). Outputs z_new [1, positions, hidden_size]
 * and the squared norms that give the update norm without reading the states back.
 */
export function buildUpdateGraph(params: GraphParameters, module: UpdateModule): BuiltGraph {
  const { config, dims } = params;
  const builder = new GraphBuilder(`hrm_${module}_update`);
  const shape = stateShape(dims, config);
  addBlockConstants(builder, params);

  let zOld: string;
  let injection: string;
  if (module === 'L') {
    zOld = builder.input(NAMES.z_L, 'float32', shape);
    const z_H = builder.input(NAMES.z_H, 'float32', shape);
    const embedding = builder.input(NAMES.embedding, 'float32', shape);
    injection = builder.op('Add', [z_H, embedding]);
  } else {
    zOld = builder.input(NAMES.z_H, 'float32', shape);
    injection = builder.input(NAMES.z_L, 'float32', shape);
  }

  builder.rename(appendModule(builder, params, module, zOld, injection), NAMES.zNew);
  builder.output(NAMES.zNew, 'float32', shape);
  appendSquaredNorms(builder, NAMES.zNew, zOld, NAMES.deltaSquared, NAMES.oldSquared);
  return builder.build();
}

/**
 * Appends the output heads on z_H [1, positions, hidden_size]. Outputs: logits
 * [1, seq_len, vocab_size] of the puzzle positions, the probability of the most likely token and
 * the entropy in nats [1, seq_len], and q [1, 2] = (q_halt, q_continue) from position 0.
 */
function appendHeads(builder: GraphBuilder, params: GraphParameters, z_H: string): void {
  const { config, dims } = params;
  const D = config.hidden_size;

  const puzzleCells = builder.op('Slice', [
    z_H,
    builder.int64s('cells_start', [dims.puzzle_emb_len]),
    builder.int64s('cells_end', [dims.positions]),
    builder.int64s('cells_axis', [1]),
  ]);
  builder.node(
    'MatMul',
    [puzzleCells, transposedWeight(builder, params, 'lm_head.weight', config.vocab_size, D)],
    { outputs: [NAMES.logits] },
  );
  // NOTE: no ArgMax node. onnxruntime-web 1.31's WebGPU ArgMax returned tokens of the previous
  // model's vocabulary after a model switch in the same page (maze tokens up to 10), so
  // OrtKernel takes the argmax of the logits it reads back anyway.

  // Softmax statistics from logits shifted by their max, so exp cannot overflow:
  // confidence = 1 / Σ exp(shifted), entropy = log Σ exp(shifted) − Σ p · shifted.
  const lastAxis = builder.int64s('last_axis', [2]);
  const maxLogit = builder.op('ReduceMax', [NAMES.logits, lastAxis], { keepdims: 1 });
  const shifted = builder.op('Sub', [NAMES.logits, maxLogit]);
  const expShifted = builder.op('Exp', [shifted]);
  const sumExp = builder.op('ReduceSum', [expShifted, lastAxis], { keepdims: 0 }); // [1, seq_len]
  builder.node('Reciprocal', [sumExp], { outputs: [NAMES.confidence] });
  const probabilities = builder.op('Div', [
    expShifted,
    builder.op('Unsqueeze', [sumExp, lastAxis]),
  ]);
  const expectedShifted = builder.op(
    'ReduceSum',
    [builder.op('Mul', [probabilities, shifted]), lastAxis],
    {
      keepdims: 0,
    },
  );
  builder.node('Sub', [builder.op('Log', [sumExp]), expectedShifted], { outputs: [NAMES.entropy] });

  // [1, 1, D]
  const first = builder.op('Gather', [z_H, builder.int64s('first_position', [0])], { axis: 1 });
  const firstRow = builder.op('Reshape', [first, builder.int64s('row_shape', [1, D])]);
  const qWeight = builder.initializer(
    'q_head.weight',
    'float32',
    [2, D],
    parameterFloat32(params.weights, 'q_head.weight', [2, D]),
  );
  const qBias = builder.initializer(
    'q_head.bias',
    'float32',
    [2],
    parameterFloat32(params.weights, 'q_head.bias', [2]),
  );
  builder.node('Gemm', [firstRow, qWeight, qBias], {
    outputs: [NAMES.q],
    attributes: { transB: 1 },
  });

  builder.output(NAMES.logits, 'float32', [1, config.seq_len, config.vocab_size]);
  builder.output(NAMES.confidence, 'float32', [1, config.seq_len]);
  builder.output(NAMES.entropy, 'float32', [1, config.seq_len]);
  builder.output(NAMES.q, 'float32', [1, 2]);
}

/** Builds the graph of the output heads alone, on z_H [1, positions, hidden_size]. */
export function buildHeadsGraph(params: GraphParameters): BuiltGraph {
  const builder = new GraphBuilder('hrm_heads');
  const z_H = builder.input(NAMES.z_H, 'float32', stateShape(params.dims, params.config));
  appendHeads(builder, params, z_H);
  return builder.build();
}

/**
 * Builds a whole segment with its loops unrolled: H_cycles × (L_cycles L updates, then one H
 * update), then the heads. Inputs are z_H, z_L and embedding. Outputs are z_H_out, z_L_out and the
 * heads' outputs. The benchmark uses it to time onnxruntime with one run per segment.
 */
export function buildSegmentGraph(params: GraphParameters): BuiltGraph {
  const { config, dims } = params;
  const builder = new GraphBuilder('hrm_segment');
  const shape = stateShape(dims, config);
  addBlockConstants(builder, params);
  let z_H = builder.input(NAMES.z_H, 'float32', shape);
  let z_L = builder.input(NAMES.z_L, 'float32', shape);
  const embedding = builder.input(NAMES.embedding, 'float32', shape);

  for (let hCycle = 0; hCycle < config.H_cycles; hCycle++) {
    for (let lStep = 0; lStep < config.L_cycles; lStep++) {
      z_L = appendModule(builder, params, 'L', z_L, builder.op('Add', [z_H, embedding]));
    }
    z_H = appendModule(builder, params, 'H', z_H, z_L);
  }

  builder.rename(z_H, NAMES.z_HOut);
  builder.rename(z_L, NAMES.z_LOut);
  builder.output(NAMES.z_HOut, 'float32', shape);
  builder.output(NAMES.z_LOut, 'float32', shape);
  appendHeads(builder, params, NAMES.z_HOut);
  return builder.build();
}
