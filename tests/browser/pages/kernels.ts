// Harness for tests/browser/kernels-*.test.ts: runs one WGSL kernel on seeded random data and
// compares it with its plain-TypeScript version from src/engine/webgpu/reference.ts.

import { GpuContext } from '../../../src/engine/gpu';
import { roundArrayToBfloat16 } from '../../../src/engine/reference/precision';
import { buildRopeTables } from '../../../src/engine/reference/rope';
import {
  createAttentionOp,
  createTiledAttentionOps,
} from '../../../src/engine/webgpu/ops/attention';
import {
  createEmbeddingOp,
  createHeadsOp,
  createInjectOp,
  createStateUpdateOp,
  readoutWords,
} from '../../../src/engine/webgpu/ops/elementwise';
import { createMatmulPairsOp } from '../../../src/engine/webgpu/ops/matmul-pairs';
import { createResidualNormOp } from '../../../src/engine/webgpu/ops/matmul-residual-norm';
import {
  bindOp,
  dispatchOp,
  type KernelOp,
  type NumericFlags,
} from '../../../src/engine/webgpu/ops/op';
import {
  attentionReference,
  embeddingReference,
  headsReference,
  injectReference,
  qkvReference,
  residualNormReference,
  ropePairs,
  swigluReference,
} from '../../../src/engine/webgpu/reference';
import { packBfloat16Pairs } from '../../../src/model/convert';
import { compareArrays, type Difference, randomArray, seededRandom } from './harness';

/** Tolerances of GPU f32 arithmetic against the f64 reference, and of bfloat16 rounding flips. */
const F32_ATOL = 1e-4;
const F32_RTOL = 1e-4;
// One bfloat16 step is 2^-8 of the value. A sum that lands on the other side of a rounding
// boundary differs by one step, and later steps can carry that difference.
const BF16_ATOL = 2e-2;
const BF16_RTOL = 2e-2;

export type Mode = 'float32' | 'bfloat16';

let context: GpuContext | undefined;

async function gpu(): Promise<GpuContext> {
  context ??= await GpuContext.create({ maxComputeWorkgroupStorageSize: 16384 });
  return context;
}

function flagsOf(mode: Mode): NumericFlags {
  return { activationsBf16: mode === 'bfloat16', weightsBf16: mode === 'bfloat16' };
}

/** Returns the weight words the GPU reads: packed bf16 in bfloat16 mode, f32 words otherwise. */
function weightWords(values: Float32Array, mode: Mode): Uint32Array {
  return mode === 'bfloat16' ? packBfloat16Pairs(values) : new Uint32Array(values.buffer.slice(0));
}

/** Values the reference should use for those weights. */
function weightValues(values: Float32Array, mode: Mode): Float32Array {
  if (mode === 'float32') {
    return values;
  }
  const rounded = values.slice();
  roundArrayToBfloat16(rounded);
  return rounded;
}

/** Copies `buffer` into a mappable buffer once the queued work is done and returns its contents. */
async function readBack(g: GpuContext, buffer: GPUBuffer): Promise<Float32Array> {
  const staging = g.createBuffer(
    'staging',
    buffer.size,
    GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  );
  const encoder = g.device.createCommandEncoder();
  encoder.copyBufferToBuffer(buffer, 0, staging, 0, buffer.size);
  g.device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const result = new Float32Array(staging.getMappedRange().slice(0));
  staging.unmap();
  g.destroyBuffer(staging);
  return result;
}

/** Runs `op` once with one storage buffer per binding and reads back binding `outputIndex`. */
async function runOp(
  op: KernelOp,
  bindings: ArrayBufferView[],
  outputIndex: number,
): Promise<Float32Array> {
  const g = await gpu();
  const buffers = bindings.map((data, i) =>
    g.createStorage(`${op.label}-binding-${i}`, data, GPUBufferUsage.COPY_SRC),
  );
  const encoder = g.device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  dispatchOp(pass, op, bindOp(g, op, buffers));
  pass.end();
  g.device.queue.submit([encoder.finish()]);
  const result = await readBack(g, buffers[outputIndex]);
  for (const buffer of buffers) {
    g.destroyBuffer(buffer);
  }
  return result;
}

function tolerance(mode: Mode): [number, number] {
  return mode === 'bfloat16' ? [BF16_ATOL, BF16_RTOL] : [F32_ATOL, F32_RTOL];
}

function activations(random: () => number, length: number, mode: Mode, scale = 1): Float32Array {
  const values = randomArray(random, length, scale);
  if (mode === 'bfloat16') {
    roundArrayToBfloat16(values);
  }
  return values;
}

export interface QkvCase {
  rows: number;
  hidden_size: number;
  num_heads: number;
  rope: boolean;
  mode: Mode;
}

async function checkQkv(c: QkvCase): Promise<Difference> {
  const random = seededRandom(1);
  const head_dim = c.hidden_size / c.num_heads;
  const x = activations(random, c.rows * c.hidden_size, c.mode);
  const w = randomArray(random, 3 * c.hidden_size * c.hidden_size, 1 / Math.sqrt(c.hidden_size));
  // Without RoPE the table only fills its binding; odd head_dim has no RoPE table.
  const table = c.rope ? ropePairs(buildRopeTables(c.rows, head_dim, 10000)) : new Float32Array(2);
  const op = await createMatmulPairsOp(
    await gpu(),
    {
      epilogue: 'qkv',
      rows: c.rows,
      inputWidth: c.hidden_size,
      pairs: (3 * c.hidden_size) / 2,
      hidden_size: c.hidden_size,
      head_dim,
      rope: c.rope,
    },
    flagsOf(c.mode),
  );
  const actual = await runOp(
    op,
    [x, weightWords(w, c.mode), new Float32Array(c.rows * 3 * c.hidden_size), table],
    2,
  );
  const expected = qkvReference(
    x,
    weightValues(w, c.mode),
    c.rows,
    c.hidden_size,
    head_dim,
    c.rope ? table : null,
    c.mode === 'bfloat16',
  );
  return compareArrays(actual, expected, ...tolerance(c.mode));
}

export interface SwigluCase {
  rows: number;
  hidden_size: number;
  inter: number;
  mode: Mode;
}

async function checkSwiglu(c: SwigluCase): Promise<Difference> {
  const random = seededRandom(2);
  const x = activations(random, c.rows * c.hidden_size, c.mode);
  const w = randomArray(random, 2 * c.inter * c.hidden_size, 1 / Math.sqrt(c.hidden_size));
  const op = await createMatmulPairsOp(
    await gpu(),
    {
      epilogue: 'swiglu',
      rows: c.rows,
      inputWidth: c.hidden_size,
      pairs: c.inter,
      hidden_size: c.hidden_size,
      head_dim: 2,
      rope: false,
    },
    flagsOf(c.mode),
  );
  const actual = await runOp(
    op,
    [x, weightWords(w, c.mode), new Float32Array(c.rows * c.inter), new Float32Array(2)],
    2,
  );
  const expected = swigluReference(
    x,
    weightValues(w, c.mode),
    c.rows,
    c.hidden_size,
    c.inter,
    c.mode === 'bfloat16',
  );
  return compareArrays(actual, expected, ...tolerance(c.mode));
}

export interface ResidualNormCase {
  rows: number;
  inputWidth: number;
  hidden_size: number;
  mode: Mode;
}

async function checkResidualNorm(c: ResidualNormCase): Promise<Difference> {
  const random = seededRandom(3);
  const x = activations(random, c.rows * c.inputWidth, c.mode);
  const w = randomArray(random, c.hidden_size * c.inputWidth, 1 / Math.sqrt(c.inputWidth));
  const h = activations(random, c.rows * c.hidden_size, c.mode);
  const op = await createResidualNormOp(
    await gpu(),
    { rows: c.rows, inputWidth: c.inputWidth, outputWidth: c.hidden_size, rms_norm_eps: 1e-5 },
    flagsOf(c.mode),
  );
  const actual = await runOp(op, [x, weightWords(w, c.mode), h], 2);
  const expected = residualNormReference(
    x,
    weightValues(w, c.mode),
    h,
    c.rows,
    c.inputWidth,
    c.hidden_size,
    1e-5,
    c.mode === 'bfloat16',
  );
  return compareArrays(actual, expected, ...tolerance(c.mode));
}

export interface AttentionCase {
  positions: number;
  hidden_size: number;
  num_heads: number;
  mode: Mode;
  /** 'tiled' needs head_dim % 8 == 0; 'streaming' runs any head_dim. */
  path: 'tiled' | 'streaming';
}

/** Runs the tiled pair: scores and softmax into a probabilities buffer, then the values. */
async function runTiledAttention(c: AttentionCase, qkv: Float32Array): Promise<Float32Array> {
  const g = await gpu();
  const { scores, values, probsBytes } = await createTiledAttentionOps(g, c, flagsOf(c.mode));
  const qkvBuffer = g.createStorage('qkv', qkv, GPUBufferUsage.COPY_SRC);
  const probs = g.createBuffer('probs', probsBytes, GPUBufferUsage.STORAGE);
  const out = g.createStorage(
    'out',
    new Float32Array(c.positions * c.hidden_size),
    GPUBufferUsage.COPY_SRC,
  );
  const encoder = g.device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  dispatchOp(pass, scores, bindOp(g, scores, [qkvBuffer, probs]));
  dispatchOp(pass, values, bindOp(g, values, [probs, qkvBuffer, out]));
  pass.end();
  g.device.queue.submit([encoder.finish()]);
  const result = await readBack(g, out);
  for (const buffer of [qkvBuffer, probs, out]) {
    g.destroyBuffer(buffer);
  }
  return result;
}

async function checkAttention(c: AttentionCase): Promise<Difference> {
  const random = seededRandom(4);
  // Scale 2 makes the softmax peaked enough that the online rescaling matters.
  const qkv = activations(random, c.positions * 3 * c.hidden_size, c.mode, 2);
  const actual =
    c.path === 'tiled'
      ? await runTiledAttention(c, qkv)
      : await runOp(
          await createAttentionOp(await gpu(), c, flagsOf(c.mode)),
          [qkv, new Float32Array(c.positions * c.hidden_size)],
          1,
        );
  const expected = attentionReference(
    qkv,
    c.positions,
    c.hidden_size,
    c.num_heads,
    c.mode === 'bfloat16',
  );
  return compareArrays(actual, expected, ...tolerance(c.mode));
}

export interface EmbeddingCase {
  seq_len: number;
  hidden_size: number;
  puzzle_emb_len: number;
  vocab_size: number;
  learnedPositions: boolean;
  mode: Mode;
}

async function checkEmbedding(c: EmbeddingCase): Promise<Difference> {
  const random = seededRandom(5);
  const positions = c.seq_len + c.puzzle_emb_len;
  const tokens = Uint32Array.from({ length: c.seq_len }, () => Math.floor(random() * c.vocab_size));
  const embedTokens = activations(random, c.vocab_size * c.hidden_size, c.mode);
  const puzzleRow = activations(random, Math.max(1, c.puzzle_emb_len * c.hidden_size), c.mode);
  const embedPos = activations(random, positions * c.hidden_size, c.mode);
  const op = await createEmbeddingOp(await gpu(), { ...c, positions }, flagsOf(c.mode));
  const actual = await runOp(
    op,
    [tokens, embedTokens, puzzleRow, embedPos, new Float32Array(positions * c.hidden_size)],
    4,
  );
  const expected = embeddingReference(
    tokens,
    embedTokens,
    puzzleRow,
    c.learnedPositions ? embedPos : null,
    positions,
    c.hidden_size,
    c.puzzle_emb_len,
    c.mode === 'bfloat16',
  );
  // Gathers and one or two products: only f32 rounding differences are allowed.
  return compareArrays(actual, expected, 1e-6, 1e-6);
}

async function checkInject(count: number, threeTerms: boolean, mode: Mode): Promise<Difference> {
  const random = seededRandom(6);
  const z = activations(random, count, mode);
  const a = activations(random, count, mode);
  const b = activations(random, count, mode);
  const op = await createInjectOp(await gpu(), count, threeTerms, flagsOf(mode));
  const actual = await runOp(op, [z, a, b, new Float32Array(count)], 3);
  const expected = injectReference(z, a, threeTerms ? b : null, mode === 'bfloat16');
  return compareArrays(actual, expected, 0, 0);
}

/** Checks the committed state and both squared norms. */
async function checkStateUpdate(count: number): Promise<{ state: Difference; norms: Difference }> {
  const random = seededRandom(7);
  const x = randomArray(random, count);
  const z = randomArray(random, count);
  const op = await createStateUpdateOp(await gpu(), count, flagsOf('float32'));
  const readout = new Float32Array(2);
  const zAfter = await runOp(op, [x, z, readout], 1);
  const norms = await runOp(op, [x, z, readout], 2);
  let diff = 0;
  let old = 0;
  for (let i = 0; i < count; i++) {
    diff += (x[i] - z[i]) ** 2;
    old += z[i] ** 2;
  }
  return {
    state: compareArrays(zAfter, x, 0, 0),
    norms: compareArrays(norms, [diff, old], 0, 1e-4),
  };
}

export interface HeadsCase {
  seq_len: number;
  hidden_size: number;
  vocab_size: number;
  puzzle_emb_len: number;
  mode: Mode;
}

async function checkHeads(c: HeadsCase): Promise<Record<string, Difference>> {
  const random = seededRandom(8);
  const positions = c.seq_len + c.puzzle_emb_len;
  const z_H = activations(random, positions * c.hidden_size, c.mode);
  const lmHead = activations(random, c.vocab_size * c.hidden_size, c.mode, 0.3);
  const qHead = activations(random, 2 * c.hidden_size + 2, c.mode, 0.3);

  const op = await createHeadsOp(await gpu(), c, flagsOf(c.mode));
  const slot = new Uint32Array(readoutWords(c.seq_len));
  const bindings = [z_H, lmHead, qHead, new Float32Array(c.seq_len * c.vocab_size), slot];
  const logits = await runOp(op, bindings, 3);
  const readout = await runOp(op, bindings, 4);

  const expected = headsReference(
    z_H,
    lmHead,
    qHead,
    c.seq_len,
    c.hidden_size,
    c.vocab_size,
    c.puzzle_emb_len,
    c.mode === 'bfloat16',
  );

  const words = new Int32Array(readout.buffer);
  const s = c.seq_len;
  const [atol, rtol] = tolerance(c.mode);
  return {
    logits: compareArrays(logits, expected.logits, atol, rtol),
    // Exact: the argmax of the GPU's own logits must match the argmax of the reference's
    // logits unless two logits tie within the tolerance, which seeded data avoids.
    prediction: compareArrays(words.subarray(4, 4 + s), expected.prediction, 0, 0),
    confidence: compareArrays(readout.subarray(4 + s, 4 + 2 * s), expected.confidence, atol, rtol),
    entropy: compareArrays(readout.subarray(4 + 2 * s, 4 + 3 * s), expected.entropy, atol, rtol),
    q: compareArrays(readout.subarray(2, 4), expected.q, atol, rtol),
  };
}

/** The checks that kernels-*.test.ts call through page.evaluate. */
const kernelChecks = {
  checkQkv,
  checkSwiglu,
  checkResidualNorm,
  checkAttention,
  checkEmbedding,
  checkInject,
  checkStateUpdate,
  checkHeads,
  /** Builds a pipeline from broken WGSL and returns the error message. */
  async pipelineError(): Promise<string> {
    try {
      await (await gpu()).createPipeline('broken', 'fn main() { let x: u32 = 1.5; }', {});
      return 'no error';
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  },
};

export type KernelChecks = typeof kernelChecks;

declare global {
  interface Window {
    kernelChecks: KernelChecks;
  }
}

window.kernelChecks = kernelChecks;
const status = document.getElementById('status');
if (status) {
  status.textContent = 'ready';
}
