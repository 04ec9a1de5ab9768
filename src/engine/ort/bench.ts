// Benchmark of the onnxruntime-web backends, run in a browser page
// (tests/browser/pages/ort-bench.ts). Two ways to run a segment are timed on each execution
// provider:
// - `per-update`: OrtKernel as the app uses it, one InferenceSession.run per update with the
//   squared update norms read back after each, and the heads after every H update.
// - `segment-graph`: the whole segment unrolled into one graph, one run per segment, with no
//   readback between updates.
// Each timed segment includes reading back the heads' outputs, so the GPU work has finished.

import type { InferenceSession, Tensor } from 'onnxruntime-web';
import type { HrmConfig } from '../../model/config';
import type { HrmWeights } from '../../model/weights';
import type { PlannedUpdate } from '../types';
import { buildEmbeddingGraph, buildSegmentGraph, NAMES, prepareParameters } from './hrm-graphs';
import { type OrtExecutionProvider, OrtKernel } from './kernel';
import { parameterFloat32 } from './parameters';
import { loadOrt, type OrtModule } from './runtime';

export type OrtBenchVariant = 'per-update' | 'segment-graph';

export interface OrtBenchOptions {
  executionProvider: OrtExecutionProvider;
  weights: HrmWeights;
  /** [seq_len] token ids of the puzzle. */
  inputs: Int32Array;
  puzzleIdentifier?: number;
  /** Segments run before timing starts (shader compilation, allocation). */
  warmupSegments: number;
  /** Segments timed. */
  segments: number;
  /** Ways to run a segment to time; both when absent. */
  variants?: OrtBenchVariant[];
  /** Single L updates timed after the segments, each with its readback (per-update only). */
  updates?: number;
}

/** Summary of the timed segments, in milliseconds. */
export interface TimeSummary {
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
  samples: number[];
}

export interface OrtBenchResult {
  backend: 'ort-webgpu' | 'ort-wasm';
  variant: OrtBenchVariant;
  /** Building the graphs and creating the sessions, in milliseconds. */
  loadMs: number;
  segmentMs: TimeSummary;
  /** Single L updates with their readback; null for segment-graph or when none were asked for. */
  updateMs: TimeSummary | null;
  /** WebGPU compute dispatches in one segment; null on WASM. */
  dispatchesPerSegment: number | null;
  /** WASM threads in use; null on WebGPU. */
  wasmThreads: number | null;
}

/**
 * What the benchmark page runs: a model file on the dev server, or a random model of a released
 * shape, in the same form as the WGSL engine's benchmark page takes.
 */
export type OrtBenchModel =
  | { kind: 'file'; path: string }
  | { kind: 'random'; hidden_size: number; num_heads: number; layers: number; positions: number };

/** A request to the benchmark page (tests/browser/pages/ort-bench.ts). */
export interface OrtBenchRequest {
  executionProvider: OrtExecutionProvider;
  model: OrtBenchModel;
  warmupSegments: number;
  segments: number;
  updates?: number;
  variants?: OrtBenchVariant[];
}

/** What the benchmark page returns for one request. */
export interface OrtBenchReport {
  config: HrmConfig;
  /** Fetching and parsing the weights; 0 for random models, which are built in the page. */
  fetchMs: number;
  adapter: string | null;
  results: OrtBenchResult[];
}

function quantile(sorted: number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

export function summarizeTimes(samples: number[]): TimeSummary {
  if (samples.length === 0) {
    throw new Error('No timed segments; set segments to 1 or more.');
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    samples,
  };
}

/**
 * Counts compute dispatches that `work` records by wrapping
 * GPUComputePassEncoder.prototype.dispatchWorkgroups while it runs. This counts every dispatch
 * in the page, so nothing else may run on the GPU meanwhile.
 */
async function countDispatches(work: () => Promise<void>): Promise<number | null> {
  if (typeof GPUComputePassEncoder === 'undefined') {
    return null;
  }
  const prototype = GPUComputePassEncoder.prototype;
  const original = prototype.dispatchWorkgroups;
  let count = 0;
  prototype.dispatchWorkgroups = function (this: GPUComputePassEncoder, ...args) {
    count++;
    return original.apply(this, args);
  };
  try {
    await work();
  } finally {
    prototype.dispatchWorkgroups = original;
  }
  return count;
}

/**
 * Returns one segment's updates in the order Session runs them: decode after each H update, and
 * q after the last.
 */
function segmentPlan(weights: HrmWeights): PlannedUpdate[] {
  const { H_cycles, L_cycles } = weights.config;
  const plan: PlannedUpdate[] = [];
  for (let hCycle = 0; hCycle < H_cycles; hCycle++) {
    for (let lStep = 0; lStep < L_cycles; lStep++) {
      plan.push({ module: 'L', decode: false, q: false });
    }
    plan.push({ module: 'H', decode: true, q: hCycle === H_cycles - 1 });
  }
  return plan;
}

async function timeSegments(
  options: OrtBenchOptions,
  runSegment: () => Promise<void>,
): Promise<{ segmentMs: TimeSummary; dispatchesPerSegment: number | null }> {
  for (let i = 0; i < options.warmupSegments; i++) {
    await runSegment();
  }
  const dispatchesPerSegment =
    options.executionProvider === 'webgpu' ? await countDispatches(runSegment) : null;
  const samples: number[] = [];
  for (let i = 0; i < options.segments; i++) {
    const started = performance.now();
    await runSegment();
    samples.push(performance.now() - started);
  }
  return { segmentMs: summarizeTimes(samples), dispatchesPerSegment };
}

async function benchmarkPerUpdate(
  ort: OrtModule,
  options: OrtBenchOptions,
): Promise<OrtBenchResult> {
  const loadStarted = performance.now();
  const kernel = await OrtKernel.create(ort, options.weights, {
    executionProvider: options.executionProvider,
  });
  const loadMs = performance.now() - loadStarted;
  try {
    await kernel.reset(options.inputs, options.puzzleIdentifier ?? 0);
    const plan = segmentPlan(options.weights);
    const timing = await timeSegments(options, async () => {
      await kernel.runUpdates(plan);
    });

    const updateSamples: number[] = [];
    for (let i = 0; i < (options.updates ?? 0); i++) {
      const started = performance.now();
      await kernel.runUpdates([{ module: 'L', decode: false, q: false }]);
      updateSamples.push(performance.now() - started);
    }
    const updateMs = updateSamples.length > 0 ? summarizeTimes(updateSamples) : null;
    return { ...resultHeader(ort, options, 'per-update'), loadMs, updateMs, ...timing };
  } finally {
    kernel.dispose();
  }
}

/** Broadcasts a [hidden_size] vector to a [1, positions, hidden_size] tensor. */
function broadcastState(ort: OrtModule, vector: Float32Array, positions: number): Tensor {
  const data = new Float32Array(positions * vector.length);
  for (let p = 0; p < positions; p++) {
    data.set(vector, p * vector.length);
  }
  return new ort.Tensor('float32', data, [1, positions, vector.length]);
}

async function benchmarkSegmentGraph(
  ort: OrtModule,
  options: OrtBenchOptions,
): Promise<OrtBenchResult> {
  const { weights, executionProvider } = options;
  const { config } = weights;
  const onGpu = executionProvider === 'webgpu';
  const sessionOptions = (gpuOutputs: string[]): InferenceSession.SessionOptions => ({
    executionProviders: [executionProvider],
    graphOptimizationLevel: 'all',
    ...(onGpu
      ? {
          preferredOutputLocation: Object.fromEntries(
            gpuOutputs.map((name) => [name, 'gpu-buffer' as const]),
          ),
        }
      : {}),
  });

  const loadStarted = performance.now();
  const params = prepareParameters(weights);
  const embeddingSession = await ort.InferenceSession.create(
    buildEmbeddingGraph(params).encode(),
    sessionOptions([NAMES.embedding]),
  );
  const segmentSession = await ort.InferenceSession.create(
    buildSegmentGraph(params).encode(),
    sessionOptions([NAMES.z_HOut, NAMES.z_LOut]),
  );
  const loadMs = performance.now() - loadStarted;

  const { embedding } = await embeddingSession.run({
    [NAMES.inputs]: new ort.Tensor('int32', Int32Array.from(options.inputs), [1, config.seq_len]),
    [NAMES.puzzleIdentifier]: new ort.Tensor(
      'int32',
      Int32Array.of(options.puzzleIdentifier ?? 0),
      [1],
    ),
  });
  const positions = params.dims.positions;
  let z_H = broadcastState(
    ort,
    parameterFloat32(weights, 'H_init', [config.hidden_size]),
    positions,
  );
  let z_L = broadcastState(
    ort,
    parameterFloat32(weights, 'L_init', [config.hidden_size]),
    positions,
  );

  const runSegment = async (): Promise<void> => {
    const outputs = await segmentSession.run({
      [NAMES.z_H]: z_H,
      [NAMES.z_L]: z_L,
      [NAMES.embedding]: embedding,
    });
    // Reading q waits for the segment's GPU work to finish.
    await outputs[NAMES.q].getData();
    if (z_H.location === 'gpu-buffer') z_H.dispose();
    if (z_L.location === 'gpu-buffer') z_L.dispose();
    z_H = outputs[NAMES.z_HOut];
    z_L = outputs[NAMES.z_LOut];
  };

  try {
    const timing = await timeSegments(options, runSegment);
    return { ...resultHeader(ort, options, 'segment-graph'), loadMs, updateMs: null, ...timing };
  } finally {
    for (const tensor of [z_H, z_L, embedding]) {
      if (tensor.location === 'gpu-buffer') tensor.dispose();
    }
    await embeddingSession.release();
    await segmentSession.release();
  }
}

function resultHeader(
  ort: OrtModule,
  options: OrtBenchOptions,
  variant: OrtBenchVariant,
): Pick<OrtBenchResult, 'backend' | 'variant' | 'wasmThreads'> {
  const onGpu = options.executionProvider === 'webgpu';
  return {
    backend: onGpu ? 'ort-webgpu' : 'ort-wasm',
    variant,
    wasmThreads: onGpu ? null : (ort.env.wasm.numThreads ?? null),
  };
}

/**
 * Times one model and puzzle on one onnxruntime-web execution provider, per update and with the
 * unrolled segment graph. Runs in a browser page; the caller records the adapter.
 */
export async function benchmarkOrt(options: OrtBenchOptions): Promise<OrtBenchResult[]> {
  if (!Number.isInteger(options.segments) || options.segments < 1) {
    throw new Error(`Invalid segments ${options.segments}; time at least 1 segment.`);
  }
  const updates = options.updates ?? 0;
  if (!Number.isInteger(updates) || updates < 0) {
    throw new Error(`Invalid updates ${updates}; use 0 or more.`);
  }
  if (!Number.isInteger(options.warmupSegments) || options.warmupSegments < 0) {
    throw new Error(`Invalid warmupSegments ${options.warmupSegments}; use 0 or more.`);
  }
  const variants = options.variants ?? ['per-update', 'segment-graph'];
  const unknown = variants.filter(
    (variant) => variant !== 'per-update' && variant !== 'segment-graph',
  );
  if (unknown.length > 0) {
    throw new Error(
      `Invalid variants ${unknown.join(', ')}; expected 'per-update' or 'segment-graph'.`,
    );
  }

  const ort = await loadOrt();
  const results: OrtBenchResult[] = [];
  for (const variant of variants) {
    const run = variant === 'per-update' ? benchmarkPerUpdate : benchmarkSegmentGraph;
    results.push(await run(ort, options));
  }
  return results;
}
