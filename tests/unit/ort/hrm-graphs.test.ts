import onnxProto from 'onnx-proto';
import { describe, expect, test } from 'vitest';
import {
  buildEmbeddingGraph,
  buildHeadsGraph,
  buildSegmentGraph,
  buildUpdateGraph,
  NAMES,
  prepareParameters,
  rotaryTables,
} from '../../../src/engine/ort/hrm-graphs';
import { argmaxTokens } from '../../../src/engine/ort/kernel';
import type { BuiltGraph } from '../../../src/engine/ort/onnx-graph';
import { deriveDims, type HrmConfig } from '../../../src/model/config';
import { createRandomWeights, SMALL_CONFIG } from '../engine/random-model';

const { onnx } = onnxProto;

const CONFIG: HrmConfig = { ...SMALL_CONFIG, forward_dtype: 'float32' };
const LEARNED: HrmConfig = { ...CONFIG, pos_encodings: 'learned' };
const DIMS = deriveDims(CONFIG);
const D = CONFIG.hidden_size;

function opCounts(graph: BuiltGraph): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const node of graph.nodes) {
    counts[node.opType] = (counts[node.opType] ?? 0) + 1;
  }
  return counts;
}

function initializerShape(graph: BuiltGraph, name: string): number[] | undefined {
  return graph.initializers.find((initializer) => initializer.name === name)?.shape;
}

/** Lists node inputs that are no graph input, initializer or earlier node's output. */
function undefinedInputs(graph: BuiltGraph): string[] {
  const known = new Set([
    ...graph.inputs.map((input) => input.name),
    ...graph.initializers.map((initializer) => initializer.name),
  ]);
  const missing: string[] = [];
  for (const node of graph.nodes) {
    for (const input of node.inputs) {
      if (!known.has(input)) missing.push(`${node.opType}:${input}`);
    }
    for (const output of node.outputs) known.add(output);
  }
  return missing;
}

// One post-norm block with RoPE: qkv MatMul, Split, 2 RotaryEmbedding, MultiHeadAttention,
// o_proj MatMul, SkipSimplifiedLayerNormalization, gate_up MatMul, Split, Sigmoid, 2 Mul,
// down MatMul, SkipSimplifiedLayerNormalization.
const ROPE_BLOCK_NODES = 14;
const LEARNED_BLOCK_NODES = 12;

describe('update graph', () => {
  const params = prepareParameters(createRandomWeights(CONFIG));

  test('L update node count and ops', () => {
    const graph = buildUpdateGraph(params, 'L');
    // Add (z_H + e), Add (z_L + injection), the blocks, Sub and two ReduceSumSquare.
    expect(graph.nodes.length).toBe(2 + ROPE_BLOCK_NODES * CONFIG.L_layers + 3);
    const counts = opCounts(graph);
    expect(counts.MatMul).toBe(4 * CONFIG.L_layers);
    expect(counts.RotaryEmbedding).toBe(2 * CONFIG.L_layers);
    expect(counts.MultiHeadAttention).toBe(CONFIG.L_layers);
    expect(counts.SkipSimplifiedLayerNormalization).toBe(2 * CONFIG.L_layers);
    expect(counts.ReduceSumSquare).toBe(2);
    expect(undefinedInputs(graph)).toEqual([]);
  });

  test('H update uses H weights and H_layers blocks', () => {
    const graph = buildUpdateGraph(params, 'H');
    expect(graph.nodes.length).toBe(1 + ROPE_BLOCK_NODES * CONFIG.H_layers + 3);
    expect(graph.inputs.map((input) => input.name)).toEqual([NAMES.z_H, NAMES.z_L]);
    expect(initializerShape(graph, 'H_level.layers.0.self_attn.qkv_proj.weight.T')).toEqual([
      D,
      3 * D,
    ]);
    expect(initializerShape(graph, 'L_level.layers.0.self_attn.qkv_proj.weight.T')).toBeUndefined();
  });

  test('inputs, outputs and weight shapes', () => {
    const graph = buildUpdateGraph(params, 'L');
    const state = [1, DIMS.positions, D];
    expect(graph.inputs).toEqual([
      { name: NAMES.z_L, type: 'float32', shape: state },
      { name: NAMES.z_H, type: 'float32', shape: state },
      { name: NAMES.embedding, type: 'float32', shape: state },
    ]);
    expect(graph.outputs).toEqual([
      { name: NAMES.zNew, type: 'float32', shape: state },
      { name: NAMES.deltaSquared, type: 'float32', shape: [] },
      { name: NAMES.oldSquared, type: 'float32', shape: [] },
    ]);
    const prefix = 'L_level.layers.1';
    expect(initializerShape(graph, `${prefix}.self_attn.o_proj.weight.T`)).toEqual([D, D]);
    expect(initializerShape(graph, `${prefix}.mlp.gate_up_proj.weight.T`)).toEqual([
      D,
      2 * DIMS.inter,
    ]);
    expect(initializerShape(graph, `${prefix}.mlp.down_proj.weight.T`)).toEqual([DIMS.inter, D]);
    expect(initializerShape(graph, 'rope_cos')).toEqual([DIMS.positions, DIMS.head_dim / 2]);
    expect(initializerShape(graph, 'norm_scale')).toEqual([D]);
  });

  test('transposed weight matches source', () => {
    const weights = createRandomWeights(CONFIG);
    const graph = buildUpdateGraph(prepareParameters(weights), 'L');
    const name = 'L_level.layers.0.self_attn.o_proj.weight';
    const source = weights.tensors.get(name)?.data as Float32Array;
    const transposed = graph.initializers.find((init) => init.name === `${name}.T`)
      ?.data as Float32Array;
    // W[out = 3, in = 5] sits at Wᵀ[in = 5, out = 3].
    expect(transposed[5 * D + 3]).toBe(source[3 * D + 5]);
    expect(transposed[7 * D + 1]).toBe(source[1 * D + 7]);
  });

  test('learned positions have no RotaryEmbedding', () => {
    const graph = buildUpdateGraph(prepareParameters(createRandomWeights(LEARNED)), 'L');
    expect(opCounts(graph).RotaryEmbedding).toBeUndefined();
    expect(initializerShape(graph, 'rope_cos')).toBeUndefined();
    expect(graph.nodes.length).toBe(2 + LEARNED_BLOCK_NODES * LEARNED.L_layers + 3);
  });

  test('fused ops use the com.microsoft domain', () => {
    const graph = buildUpdateGraph(params, 'L');
    for (const node of graph.nodes) {
      const fused = ['RotaryEmbedding', 'MultiHeadAttention', 'SkipSimplifiedLayerNormalization'];
      expect(node.domain, node.opType).toBe(fused.includes(node.opType) ? 'com.microsoft' : '');
    }
    const attention = graph.nodes.find((node) => node.opType === 'MultiHeadAttention');
    expect(attention?.attributes.num_heads).toBe(CONFIG.num_heads);
  });
});

describe('other graphs', () => {
  const params = prepareParameters(createRandomWeights(CONFIG));

  test('embedding graph with puzzle prefix', () => {
    const graph = buildEmbeddingGraph(params);
    expect(graph.inputs.map((input) => [input.name, input.type, input.shape])).toEqual([
      [NAMES.inputs, 'int32', [1, CONFIG.seq_len]],
      [NAMES.puzzleIdentifier, 'int32', [1]],
    ]);
    expect(graph.outputs[0].shape).toEqual([1, DIMS.positions, D]);
    expect(opCounts(graph)).toEqual({ Gather: 2, Reshape: 1, Concat: 1, Mul: 1 });
    expect(initializerShape(graph, 'puzzle_emb.weights.padded')).toEqual([
      CONFIG.num_puzzle_identifiers,
      DIMS.puzzle_emb_len * D,
    ]);
  });

  test('embedding graph without puzzle embedding', () => {
    const config: HrmConfig = { ...CONFIG, puzzle_emb_ndim: 0 };
    const graph = buildEmbeddingGraph(prepareParameters(createRandomWeights(config)));
    expect(opCounts(graph)).toEqual({ Gather: 1, Mul: 1 });
    expect(graph.outputs[0].shape).toEqual([1, CONFIG.seq_len, D]);
  });

  test('embedding graph with learned positions', () => {
    const graph = buildEmbeddingGraph(prepareParameters(createRandomWeights(LEARNED)));
    expect(opCounts(graph).Add).toBe(1);
    expect(initializerShape(graph, 'embed_pos.embedding_weight')).toEqual([DIMS.positions, D]);
    const scale = graph.initializers.find((init) => init.name === 'embed_scale')?.data[0];
    expect(scale).toBeCloseTo(Math.sqrt(D) * Math.SQRT1_2, 5);
  });

  test('heads graph outputs', () => {
    const graph = buildHeadsGraph(params);
    expect(graph.outputs.map((output) => [output.name, output.type, output.shape])).toEqual([
      [NAMES.logits, 'float32', [1, CONFIG.seq_len, CONFIG.vocab_size]],
      [NAMES.confidence, 'float32', [1, CONFIG.seq_len]],
      [NAMES.entropy, 'float32', [1, CONFIG.seq_len]],
      [NAMES.q, 'float32', [1, 2]],
    ]);
    expect(opCounts(graph).ArgMax).toBeUndefined();
    expect(opCounts(graph).Gemm).toBe(1);
    expect(undefinedInputs(graph)).toEqual([]);
  });

  test('segment graph unrolls all updates', () => {
    const graph = buildSegmentGraph(params);
    const lUpdates = CONFIG.H_cycles * CONFIG.L_cycles;
    const blocks = lUpdates * CONFIG.L_layers + CONFIG.H_cycles * CONFIG.H_layers;
    expect(opCounts(graph).MultiHeadAttention).toBe(blocks);
    expect(graph.outputs.map((output) => output.name).slice(0, 2)).toEqual([
      NAMES.z_HOut,
      NAMES.z_LOut,
    ]);
    expect(undefinedInputs(graph)).toEqual([]);
    // Weights are shared by all unrolled updates, not copied per update.
    const qkvCount = graph.initializers.filter((init) =>
      init.name.endsWith('qkv_proj.weight.T'),
    ).length;
    expect(qkvCount).toBe(CONFIG.H_layers + CONFIG.L_layers);
  });
});

describe('encoding', () => {
  test('ModelProto round trip', () => {
    const graph = buildUpdateGraph(prepareParameters(createRandomWeights(CONFIG)), 'H');
    const model = onnx.ModelProto.decode(graph.encode());
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map((opset) => [opset.domain, Number(opset.version)])).toEqual([
      ['', 18],
      ['com.microsoft', 1],
    ]);
    expect(model.graph?.node?.length).toBe(graph.nodes.length);
    expect(model.graph?.initializer?.length).toBe(graph.initializers.length);
    const qkv = model.graph?.initializer?.find(
      (init) => init.name === 'H_level.layers.0.self_attn.qkv_proj.weight.T',
    );
    expect(qkv?.dims?.map(Number)).toEqual([D, 3 * D]);
    expect(qkv?.rawData?.length).toBe(D * 3 * D * 4);
  });

  test('rotary tables at position 0 and 1', () => {
    const { cos, sin } = rotaryTables(CONFIG, DIMS.positions);
    const half = DIMS.head_dim / 2;
    expect(cos[0]).toBe(1);
    expect(sin[0]).toBe(0);
    // Position 1, frequency index 0: angle 1.
    expect(cos[half]).toBeCloseTo(Math.cos(1), 6);
    // Position 1, last index: angle theta^(-2(half-1)/head_dim).
    const angle = CONFIG.rope_theta ** ((-2 * (half - 1)) / DIMS.head_dim);
    expect(sin[2 * half - 1]).toBeCloseTo(Math.sin(angle), 6);
  });
});

describe('parameter errors', () => {
  test('missing parameter is named', () => {
    const weights = createRandomWeights(CONFIG);
    weights.tensors.delete('L_level.layers.1.mlp.down_proj.weight');
    expect(() => buildUpdateGraph(prepareParameters(weights), 'L')).toThrow(
      /no parameter L_level\.layers\.1\.mlp\.down_proj\.weight/,
    );
  });

  test('wrong shape names both shapes', () => {
    const weights = createRandomWeights(CONFIG);
    const tensor = weights.tensors.get('lm_head.weight');
    if (!tensor) throw new Error('random model lacks lm_head.weight');
    weights.tensors.set('lm_head.weight', { ...tensor, shape: [D, CONFIG.vocab_size] });
    expect(() => buildHeadsGraph(prepareParameters(weights))).toThrow(
      /lm_head\.weight .* shape \[32, 11\], but its config implies \[11, 32\]/,
    );
  });

  test('hidden_size not divisible by num_heads', () => {
    const weights = createRandomWeights(CONFIG);
    weights.config = { ...CONFIG, num_heads: 3 };
    expect(() => prepareParameters(weights)).toThrow(
      /hidden_size 32 is not a multiple of num_heads 3/,
    );
  });
});

describe('argmaxTokens', () => {
  test('first maximum per cell', () => {
    // Two cells of vocabulary 3: a clear maximum, then a tie that goes to the lower token.
    const logits = Float32Array.of(0.1, 2.5, -1, 4, 1, 4);
    expect(Array.from(argmaxTokens(logits, 3))).toEqual([1, 0]);
  });
});
