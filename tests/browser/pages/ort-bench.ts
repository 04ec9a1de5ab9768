// Benchmark page for the onnxruntime-web backends: loads a model (a file on the dev server or a
// random model of a given shape) and runs benchmarkOrt from src/engine/ort/bench.ts on it.
// src/engine/ort/bench-runner.ts drives it for scripts/bench.ts. It also runs by hand from URL
// parameters (see requestFromUrl).

import {
  benchmarkOrt,
  type OrtBenchModel,
  type OrtBenchReport,
  type OrtBenchRequest,
} from '../../../src/engine/ort/bench';
import { loadOrt } from '../../../src/engine/ort/runtime';
import type { HrmConfig } from '../../../src/model/config';
import { loadModel } from '../../../src/model/load-model';
import type { HrmWeights } from '../../../src/model/weights';
import { createRandomWeights, SMALL_CONFIG } from '../../unit/engine/random-model';
import { seededRandom } from './harness';

/**
 * Returns the random model of `model`'s shape, built like the WGSL engine's benchmark page
 * (tests/browser/pages/engine-bench.ts) builds it, so both backends run the same weights.
 */
function randomWeights(model: Extract<OrtBenchModel, { kind: 'random' }>): HrmWeights {
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

/** Returns the random puzzle engine-bench.ts uses: seq_len tokens from seed 3. */
function benchInputs(config: HrmConfig): Int32Array {
  const random = seededRandom(3);
  return Int32Array.from(
    { length: config.seq_len },
    () => 1 + Math.floor(random() * (config.vocab_size - 1)),
  );
}

async function adapterDescription(): Promise<string | null> {
  if (!('gpu' in navigator)) return null;
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) return null;
  const { vendor, architecture, device, description } = adapter.info;
  return [vendor, architecture, device, description].filter((part) => part).join(' / ');
}

async function run(request: OrtBenchRequest): Promise<OrtBenchReport> {
  const fetchStarted = performance.now();
  const weights =
    request.model.kind === 'file'
      ? await loadModel(`/${request.model.path}`, { cache: false })
      : randomWeights(request.model);
  const fetchMs = request.model.kind === 'file' ? performance.now() - fetchStarted : 0;

  const results = await benchmarkOrt({
    executionProvider: request.executionProvider,
    weights,
    inputs: benchInputs(weights.config),
    warmupSegments: request.warmupSegments,
    segments: request.segments,
    updates: request.updates,
    variants: request.variants,
  });
  return { config: weights.config, fetchMs, adapter: await adapterDescription(), results };
}

/**
 * Reads a benchmark request from the page URL, e.g.
 * `?positions=82&provider=wasm&warmup=1&segments=3` (a random model of the released size,
 * hidden_size 512 with 8 heads and 4 + 4 layers) or
 * `?model=public/models/<id>/model.safetensors&provider=webgpu`. Returns null without
 * `positions` or `model`, so the page waits for a script to call window.ortBench.run.
 */
function requestFromUrl(search: string): OrtBenchRequest | null {
  const params = new URLSearchParams(search);
  const positions = params.get('positions');
  const path = params.get('model');
  if (positions === null && path === null) return null;

  const provider = params.get('provider') ?? 'wasm';
  if (provider !== 'wasm' && provider !== 'webgpu') {
    throw new Error(`Invalid provider ${provider}; expected wasm or webgpu.`);
  }
  let model: OrtBenchModel;
  if (path !== null) {
    model = { kind: 'file', path };
  } else {
    const count = Number(positions);
    if (!Number.isInteger(count) || count < 2) {
      throw new Error(`Invalid positions ${positions}; expected a whole number of 2 or more.`);
    }
    model = { kind: 'random', hidden_size: 512, num_heads: 8, layers: 4, positions: count };
  }
  return {
    executionProvider: provider,
    model,
    warmupSegments: Number(params.get('warmup') ?? 1),
    segments: Number(params.get('segments') ?? 3),
    updates: Number(params.get('updates') ?? 0),
  };
}

/** Loads a model and returns its config, so a script can see its size before timing it. */
async function modelConfig(model: OrtBenchModel): Promise<HrmConfig> {
  return model.kind === 'file'
    ? (await loadModel(`/${model.path}`, { cache: false })).config
    : randomWeights(model).config;
}

const ortBench = {
  run,
  modelConfig,
  adapterDescription,
  load: async () => (await loadOrt()).env.versions.web ?? '',
};

export type OrtBench = typeof ortBench;

declare global {
  interface Window {
    ortBench: OrtBench;
  }
}

window.ortBench = ortBench;
const status = document.getElementById('status');
let request: OrtBenchRequest | null = null;
try {
  request = requestFromUrl(window.location.search);
} catch (error) {
  status?.replaceChildren(`failed: ${error instanceof Error ? error.message : String(error)}`);
}
if (request === null) {
  if (status?.textContent === 'loading') status.replaceChildren('ready');
} else {
  status?.replaceChildren('running');
  run(request)
    .then((report) => {
      const output = document.createElement('pre');
      output.textContent = JSON.stringify(report, null, 2);
      document.body.append(output);
      status?.replaceChildren('done');
    })
    .catch((error: unknown) => {
      status?.replaceChildren(`failed: ${error instanceof Error ? error.message : String(error)}`);
    });
}
