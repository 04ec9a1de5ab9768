// onnxruntime-web's part of `npm run bench` (scripts/bench.ts), which imports this module in
// Node.js and calls runOrtBench. It opens tests/browser/pages/ort-bench.html next to the WGSL
// engine's benchmark page, in the same browser, and times every case on the WASM and the WebGPU
// execution provider. Only types come from browser modules, so nothing here needs a DOM.

import type { Page } from 'playwright-core';
import type {
  BackendBench,
  BenchCase,
  BenchOptions,
  BenchRow,
  Summary,
} from '../../../scripts/bench';
import type { OrtBenchReport, OrtBenchRequest, OrtBenchResult, TimeSummary } from './bench';
import type { OrtExecutionProvider } from './kernel';

const ORT_BENCH_PAGE = 'tests/browser/pages/ort-bench.html';

/** Positions above which ort-webgpu is skipped on a CPU-emulated adapter. */
const MAX_EMULATED_POSITIONS = 100;

/**
 * Segments timed for ort-webgpu on a CPU-emulated adapter, where one segment of the released
 * size took 59 to 95 s (measured on SwiftShader with 2 shared CPU cores).
 */
const MAX_EMULATED_SEGMENTS = 2;

function toSummary(time: TimeSummary): Summary {
  return { median: time.median, min: time.min, max: time.max, samples: time.samples.length };
}

/**
 * Opens the onnxruntime benchmark page and imports onnxruntime-web in it. When the page is the
 * first to import onnxruntime-web or onnx-proto, the dev server bundles the dependency and fails
 * the imports in flight, so a failed first load is followed by one reload.
 */
async function openBenchPage(page: Page, origin: string): Promise<Page> {
  const ortPage = await page.context().newPage();
  ortPage.on('console', (message) => {
    // onnxruntime writes its own info and verbose lines as console errors.
    if (message.type() === 'error' && !/\[[VI]:onnxruntime/.test(message.text())) {
      console.error(`[page] ${message.text()}`);
    }
  });
  const load = async (): Promise<void> => {
    await ortPage.waitForFunction(
      () => document.getElementById('status')?.textContent === 'ready',
      null,
      { timeout: 60_000 },
    );
    await ortPage.evaluate(() => window.ortBench.load());
  };
  await ortPage.goto(`${origin}/${ORT_BENCH_PAGE}`);
  try {
    await load();
  } catch (error) {
    console.warn(
      `[bench] first load of ${ORT_BENCH_PAGE} failed, reloading once: ${String(error)}`,
    );
    await ortPage.reload();
    await load();
  }
  return ortPage;
}

function toRow(benchCase: BenchCase, report: OrtBenchReport, result: OrtBenchResult): BenchRow {
  const { config } = report;
  const positions = config.seq_len + Math.ceil(config.puzzle_emb_ndim / config.hidden_size);
  const variant = result.variant === 'per-update' ? 'per update' : 'segment graph';
  return {
    // These backends compute in float32, whatever numeric mode the benchmark requests.
    backend: `${result.backend} float32 (${variant})`,
    case: benchCase.name,
    numeric: 'float32',
    positions,
    hidden_size: config.hidden_size,
    layers: `${config.H_layers}+${config.L_layers}`,
    fetchMs: report.fetchMs,
    loadMs: result.loadMs,
    segment: toSummary(result.segmentMs),
    update: result.updateMs ? toSummary(result.updateMs) : null,
    dispatchesPerSegment: result.dispatchesPerSegment,
  };
}

/** Times every case on ort-wasm, then on ort-webgpu, each per update and as one segment graph. */
export const runOrtBench: BackendBench = async (
  page: Page,
  cases: BenchCase[],
  options: BenchOptions,
): Promise<BenchRow[]> => {
  const ortPage = await openBenchPage(page, new URL(page.url()).origin);
  const rows: BenchRow[] = [];
  try {
    const adapter = (await ortPage.evaluate(() => window.ortBench.adapterDescription())) ?? '';
    const emulated = /swiftshader/i.test(adapter);

    for (const executionProvider of ['wasm', 'webgpu'] as OrtExecutionProvider[]) {
      if (executionProvider === 'webgpu' && adapter === '') {
        console.log('[bench] ort-webgpu: no WebGPU adapter, skipped');
        continue;
      }
      for (const benchCase of cases) {
        const label = `ort-${executionProvider}: ${benchCase.name}`;
        let segments = options.segments;
        if (executionProvider === 'webgpu' && emulated) {
          const config = await ortPage.evaluate(
            (model) => window.ortBench.modelConfig(model),
            benchCase.model,
          );
          if (config.seq_len + 1 > MAX_EMULATED_POSITIONS) {
            console.log(`[bench] ${label}: skipped on the CPU-emulated adapter (${adapter})`);
            continue;
          }
          segments = Math.min(segments, MAX_EMULATED_SEGMENTS);
          console.log(`[bench] ${label}: ${segments} timed segments on the CPU-emulated adapter`);
        } else {
          console.log(`[bench] ${label}`);
        }

        const request: OrtBenchRequest = {
          executionProvider,
          model: benchCase.model,
          warmupSegments: options.warmup,
          segments,
          updates: executionProvider === 'webgpu' && emulated ? 0 : options.updates,
        };
        const report = await ortPage.evaluate((r) => window.ortBench.run(r), request);
        for (const result of report.results) {
          rows.push(toRow(benchCase, report, result));
        }
      }
    }
  } finally {
    await ortPage.close();
  }
  return rows;
};
