// Benchmark page for scripts/bench.ts: loads a model (a shipped file or a random model of a
// given shape), runs segments and single L updates on the WGSL engine, and returns raw timings.
// The script computes medians and spreads. Inputs are random tokens, since the work per update
// does not depend on the puzzle.

import { Session } from '../../../src/engine/session';
import type { NumericMode } from '../../../src/engine/types';
import { WebGpuKernel } from '../../../src/engine/webgpu/kernel';
import { planModel } from '../../../src/engine/webgpu/model-plan';
import type { HrmConfig } from '../../../src/model/config';
import { loadModel } from '../../../src/model/load-model';
import type { HrmWeights } from '../../../src/model/weights';
import { createRandomWeights, SMALL_CONFIG } from '../../unit/engine/random-model';
import { seededRandom } from './harness';

/** What to benchmark: a model file on the dev server, or a random model of a released shape. */
export type BenchModel =
  | { kind: 'file'; path: string }
  | { kind: 'random'; hidden_size: number; num_heads: number; layers: number; positions: number };

export interface BenchRequest {
  model: BenchModel;
  numeric: NumericMode;
  /** Timed segments. */
  segments: number;
  /** Untimed segments first; the first submission may compile shaders lazily. */
  warmup: number;
  /** Timed single L updates, each with its own readback. */
  updates: number;
}

export interface BenchTimings {
  config: HrmConfig;
  /** Fetching and parsing the weights (0 for random models, which are built in the page). */
  fetchMs: number;
  /** Planning, device creation, pipeline builds and weight upload. */
  uploadMs: number;
  segmentMs: number[];
  updateMs: number[];
  dispatchesPerSegment: number;
}

function randomWeights(model: Extract<BenchModel, { kind: 'random' }>): HrmWeights {
  const config: HrmConfig = {
    ...SMALL_CONFIG,
    hidden_size: model.hidden_size,
    num_heads: model.num_heads,
    expansion: 4,
    H_layers: model.layers,
    L_layers: model.layers,
    H_cycles: 2,
    L_cycles: 2,
    puzzle_emb_ndim: model.hidden_size,
    num_puzzle_identifiers: 1,
    vocab_size: model.positions > 100 ? 6 : 11,
    seq_len: model.positions - 1,
  };
  return createRandomWeights(config, { seed: 7 });
}

async function runWebGpu(request: BenchRequest): Promise<BenchTimings> {
  const fetchStart = performance.now();
  const weights =
    request.model.kind === 'file'
      ? await loadModel(`/${request.model.path}`, { cache: false })
      : randomWeights(request.model);
  const fetchMs = request.model.kind === 'file' ? performance.now() - fetchStart : 0;

  const uploadStart = performance.now();
  const kernel = await WebGpuKernel.create(planModel(weights, request.numeric));
  const config = weights.config;
  const session = new Session(kernel, config, 'webgpu');
  const random = seededRandom(3);
  const inputs = Int32Array.from(
    { length: config.seq_len },
    () => 1 + Math.floor(random() * (config.vocab_size - 1)),
  );
  await session.reset(inputs, 0);
  const uploadMs = performance.now() - uploadStart;

  try {
    for (let s = 0; s < request.warmup; s++) {
      await session.advance('segment');
    }
    const segmentMs: number[] = [];
    let dispatchesPerSegment = 0;
    for (let s = 0; s < request.segments; s++) {
      const start = performance.now();
      await session.advance('segment');
      segmentMs.push(performance.now() - start);
      dispatchesPerSegment = kernel.lastDispatchCount;
    }
    const updateMs: number[] = [];
    for (let u = 0; u < request.updates; u++) {
      const start = performance.now();
      await kernel.runUpdates([{ module: 'L', decode: false, q: false }]);
      updateMs.push(performance.now() - start);
    }
    return { config, fetchMs, uploadMs, segmentMs, updateMs, dispatchesPerSegment };
  } finally {
    session.dispose();
  }
}

async function adapterDescription(): Promise<string> {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) {
    return 'no WebGPU adapter';
  }
  const info = adapter.info;
  return (
    [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') ||
    'unnamed adapter'
  );
}

const engineBench = { runWebGpu, adapterDescription };

export type EngineBench = typeof engineBench;

declare global {
  interface Window {
    engineBench: EngineBench;
  }
}

window.engineBench = engineBench;
const status = document.getElementById('status');
if (status) {
  status.textContent = 'ready';
}
