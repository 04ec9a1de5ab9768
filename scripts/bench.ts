// Benchmarks the WGSL engine in headless Chromium and writes docs/benchmarks.md and
// docs/benchmarks.json.
//
//   npm run bench -- [--segments N] [--warmup N] [--updates N] [--numeric float32,bfloat16]
//                    [--kernel-samples N] [--skip-901] [--from-json FILE] [--help]
//
// Cases: every shipped model in public/models/index.json (when present) and a random model of
// the released size (hidden_size 512, 8 heads, 4 + 4 layers, expansion 4) at 82 and 901
// positions. For each: load time, median and spread of the time per segment and per L update
// (each with its readback), dispatches per segment, and each backend's time over ours in
// float32 (the arithmetic onnxruntime-web uses). Other backends plug in through `BackendBench`
// below: src/engine/ort/bench-runner.ts adds onnxruntime-web. A last section times each kernel
// of one transformer block at the released size, to show where a segment's time goes.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { createServer } from 'vite';
import { launchChromium } from '../tests/browser/chromium';
import type { BenchModel, BenchTimings } from '../tests/browser/pages/engine-bench';
import type { KernelBenchRequest, KernelTiming } from '../tests/browser/pages/kernel-bench';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_PAGE = 'tests/browser/pages/engine-bench.html';
const KERNEL_PAGE = 'tests/browser/pages/kernel-bench.html';

type NumericMode = 'float32' | 'bfloat16';

export interface BenchOptions {
  segments: number;
  /** Untimed segments before the timed ones. */
  warmup: number;
  updates: number;
  /** Numeric modes of the WGSL engine; onnxruntime-web always computes in float32. */
  numerics: NumericMode[];
  /** Timed submissions per kernel in the per-kernel section (0 skips it). */
  kernelSamples: number;
  skip901: boolean;
}

/** One model to benchmark, shared by every backend. */
export interface BenchCase {
  /** Short name for tables, e.g. `sudoku-h128` or `random-512x8 @ 901`. */
  name: string;
  model: BenchModel;
}

/** One measured (backend, case) pair, as docs/benchmarks.json stores it. */
export interface BenchRow {
  backend: string;
  case: string;
  numeric: string;
  positions: number;
  hidden_size: number;
  layers: string;
  fetchMs: number;
  loadMs: number;
  segment: Summary;
  update: Summary | null;
  dispatchesPerSegment: number | null;
}

/** A backend's part of the benchmark: runs every case on `page` and returns one row per case. */
export type BackendBench = (
  page: Page,
  cases: BenchCase[],
  options: BenchOptions,
) => Promise<BenchRow[]>;

export interface Summary {
  median: number;
  min: number;
  max: number;
  samples: number;
}

export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], samples: sorted.length };
}

const USAGE = `Usage: npm run bench -- [options]

Times every backend in headless Chromium on the shipped models and a random model of the released
size, then writes docs/benchmarks.md and docs/benchmarks.json (both overwritten).

  --segments N         timed segments per row (default 5; onnxruntime-web on a CPU-emulated
                       WebGPU adapter times at most 2)
  --warmup N           untimed segments first (default 1)
  --updates N          timed single L updates (default 10)
  --numeric MODES      WGSL engine modes: float32, bfloat16 or both, comma-separated (default both)
  --kernel-samples N   timed submissions per kernel in the per-kernel section; 0 skips it (default 3)
  --skip-901           leave out the 901-position cases
  --from-json FILE     rewrite docs/benchmarks.md from a JSON file this script wrote, without running
  --help               print this text

On SwiftShader with 2 CPU cores a run with the defaults takes about half an hour.`;

function parseOptions(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    segments: 5,
    warmup: 1,
    updates: 10,
    numerics: ['float32', 'bfloat16'],
    kernelSamples: 3,
    skip901: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--kernel-samples') {
      const count = Number(value);
      if (!Number.isInteger(count) || count < 0) {
        throw new Error(`invalid --kernel-samples: ${value}; expected a whole number of 0 or more`);
      }
      options.kernelSamples = count;
      i++;
    } else if (flag === '--segments' || flag === '--updates') {
      const count = Number(value);
      if (!Number.isInteger(count) || count < 1) {
        throw new Error(`invalid ${flag}: ${value}; expected a whole number of 1 or more`);
      }
      options[flag === '--segments' ? 'segments' : 'updates'] = count;
      i++;
    } else if (flag === '--warmup') {
      const count = Number(value);
      if (!Number.isInteger(count) || count < 0) {
        throw new Error(`invalid --warmup: ${value}; expected a whole number of 0 or more`);
      }
      options.warmup = count;
      i++;
    } else if (flag === '--numeric') {
      const modes = (value ?? '').split(',');
      if (modes.length === 0 || modes.some((m) => m !== 'float32' && m !== 'bfloat16')) {
        throw new Error(
          `invalid --numeric: ${value}; expected float32, bfloat16 or both, comma-separated`,
        );
      }
      options.numerics = modes as NumericMode[];
      i++;
    } else if (flag === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else if (flag === '--from-json') {
      // Handled in main() before the options are parsed.
      i++;
    } else if (flag === '--skip-901') {
      options.skip901 = true;
    } else {
      throw new Error(
        `unknown option ${flag}; valid options: --segments N, --warmup N, --updates N, ` +
          '--numeric float32,bfloat16, --kernel-samples N, --skip-901, --from-json FILE, --help',
      );
    }
  }
  return options;
}

function shippedCases(): BenchCase[] {
  const indexPath = join(ROOT, 'public/models/index.json');
  if (!existsSync(indexPath)) {
    console.log('[bench] public/models/index.json not found; benchmarking random models only');
    return [];
  }
  const index = JSON.parse(readFileSync(indexPath, 'utf8')) as {
    models: { id: string; path: string }[];
  };
  return index.models.map((entry) => ({
    name: entry.id,
    // Vite serves public/ at the site root, as index.json's paths assume.
    model: { kind: 'file', path: entry.path },
  }));
}

function randomCases(options: BenchOptions): BenchCase[] {
  const positions = options.skip901 ? [82] : [82, 901];
  return positions.map((p) => ({
    name: `random 512x8, 4+4 layers @ ${p}`,
    model: { kind: 'random', hidden_size: 512, num_heads: 8, layers: 4, positions: p },
  }));
}

/** Runs every case on the WGSL engine, once per numeric mode. */
const webGpuBench: BackendBench = async (page, cases, options) => {
  const rows: BenchRow[] = [];
  for (const numeric of options.numerics) {
    for (const benchCase of cases) {
      console.log(`[bench] webgpu ${numeric}: ${benchCase.name}`);
      const timings: BenchTimings = await page.evaluate(
        (request) => window.engineBench.runWebGpu(request),
        {
          model: benchCase.model,
          numeric,
          segments: options.segments,
          warmup: options.warmup,
          updates: options.updates,
        },
      );
      const { config } = timings;
      rows.push({
        backend: `webgpu ${numeric}`,
        case: benchCase.name,
        numeric,
        positions: config.seq_len + Math.ceil(config.puzzle_emb_ndim / config.hidden_size),
        hidden_size: config.hidden_size,
        layers: `${config.H_layers}+${config.L_layers}`,
        fetchMs: timings.fetchMs,
        loadMs: timings.uploadMs,
        segment: summarize(timings.segmentMs),
        update: summarize(timings.updateMs),
        dispatchesPerSegment: timings.dispatchesPerSegment,
      });
    }
  }
  return rows;
};

/** One kernel's share of a released-size segment. */
interface KernelRow {
  positions: number;
  kernel: string;
  dispatch: Summary;
  dispatchesPerSegment: number;
}

/**
 * Times each kernel of one transformer block of the released size in float32. A segment runs
 * H_cycles * (L_cycles * L_layers + H_layers) = 2 * (2 * 4 + 4) = 24 blocks.
 */
async function kernelBreakdown(page: Page, options: BenchOptions): Promise<KernelRow[]> {
  if (options.kernelSamples === 0) {
    return [];
  }
  const blocksPerSegment = 24;
  const rows: KernelRow[] = [];
  for (const positions of options.skip901 ? [82] : [82, 901]) {
    console.log(`[bench] kernels of one released-size block at ${positions} positions`);
    const request: KernelBenchRequest = {
      positions,
      hidden_size: 512,
      num_heads: 8,
      inter: 1536,
      numeric: 'float32',
      repeats: positions > 100 ? 1 : 4,
      samples: options.kernelSamples,
    };
    const timings: KernelTiming[] = await page.evaluate(
      (r) => window.kernelBench.runKernels(r),
      request,
    );
    for (const timing of timings) {
      rows.push({
        positions,
        kernel: timing.kernel,
        dispatch: summarize(timing.ms),
        dispatchesPerSegment: blocksPerSegment,
      });
    }
  }
  return rows;
}

/**
 * Loads the optional backends. src/engine/ort/bench-runner.ts runs in Node (under tsx), so it
 * must not import browser-only modules, and exports `runOrtBench: BackendBench`, which drives
 * the page it is given. A missing or failing module is skipped with a log line.
 */
async function extraBackends(): Promise<BackendBench[]> {
  const runner = join(ROOT, 'src/engine/ort/bench-runner.ts');
  if (!existsSync(runner)) {
    console.log(
      '[bench] src/engine/ort/bench-runner.ts not found; benchmarking the WGSL engine only',
    );
    return [];
  }
  try {
    const module = (await import(runner)) as { runOrtBench?: BackendBench };
    if (typeof module.runOrtBench === 'function') {
      return [module.runOrtBench];
    }
    console.warn(
      '[bench] src/engine/ort/bench-runner.ts exports no runOrtBench function; skipping it',
    );
  } catch (error) {
    console.warn(
      `[bench] loading src/engine/ort/bench-runner.ts failed, so it is skipped: ${String(error)}`,
    );
  }
  return [];
}

/** Returns e.g. `1 timed segment` or `2 timed segments`. */
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

const format = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

/** CPU count and one-minute load averages at the start and end, since other work skews times. */
interface MachineLoad {
  cpus: number;
  loadStart: number;
  loadEnd: number;
}

/** Finds the WGSL engine's float32 row of the same case, since onnxruntime-web computes in float32. */
function oursInFloat32(rows: BenchRow[], row: BenchRow): BenchRow | undefined {
  return rows.find((r) => r.backend === 'webgpu float32' && r.case === row.case);
}

function renderMarkdown(
  rows: BenchRow[],
  kernels: KernelRow[],
  adapter: string,
  options: BenchOptions,
  date: string,
  machine: MachineLoad,
): string {
  const swiftShader = /swiftshader/i.test(adapter);
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (scripts/bench.ts) on ${date}. Adapter: ${adapter}.`,
    `Machine: ${machine.cpus} CPU cores, one-minute load average ${machine.loadStart.toFixed(1)} at the start and ${machine.loadEnd.toFixed(1)} at the end.`,
    '',
  ];
  if (swiftShader) {
    lines.push(
      '**These are CPU-emulation figures**: the adapter is SwiftShader, which runs WebGPU on the',
      'CPU. They compare backends and sizes on this machine only and say nothing about GPU speed.',
      '',
    );
  }
  lines.push(
    '## How to read the table',
    '',
    `- The WGSL engine ran in ${options.numerics.join(' and ')}; onnxruntime-web always computes in float32.`,
    `- Each row: ${count(options.segments, 'timed segment')} after ${count(options.warmup, 'warm-up segment')}, and ${count(options.updates, 'timed single L update')}. On a CPU-emulated adapter, onnxruntime-web's WebGPU rows time at most 2 segments and no single updates, and skip cases above 100 positions (so it has no 901-position row), because one released-size segment takes about a minute there.`,
    '- Times are wall-clock milliseconds in headless Chromium, each including the readback that ends the call. With so few samples, the median and the min–max spread describe this run only; differences of 20% or less between rows are within the noise of a shared machine.',
    '- "× ours" is the row\'s median segment time over the WGSL engine\'s float32 median on the same case: above 1, ours is faster.',
    '- Load, for the WGSL engine: planning, device creation, pipeline builds and weight upload. For onnxruntime-web: building the ONNX graphs and creating the sessions (four for the per-update rows, two for the segment graph). The first onnxruntime-web row of a page also starts the WebAssembly runtime. Fetch is reading the model file (0 for random models, built in the page).',
    '- The TypeScript reference engine, the last fallback, is not measured here.',
    '',
  );
  lines.push(
    '| backend | case | positions | load ms | fetch ms | segment ms, median (min–max) | × ours | L update ms, median (min–max) | dispatches / segment |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const row of rows) {
    const update = row.update
      ? `${format(row.update.median)} (${format(row.update.min)}–${format(row.update.max)})`
      : '–';
    const ours = oursInFloat32(rows, row);
    const ratio = ours ? (row.segment.median / ours.segment.median).toFixed(2) : '–';
    lines.push(
      `| ${row.backend} | ${row.case} | ${row.positions} | ${format(row.loadMs)} | ${format(row.fetchMs)} | ` +
        `${format(row.segment.median)} (${format(row.segment.min)}–${format(row.segment.max)}) | ${ratio} | ${update} | ` +
        `${row.dispatchesPerSegment ?? '–'} |`,
    );
  }
  lines.push('');

  if (kernels.length > 0) {
    lines.push(
      "## Where a segment's time goes (WGSL engine, released size, float32)",
      '',
      'Each kernel of one transformer block, dispatched on its own at hidden_size 512, 8 heads, inter 1536, and timed',
      `over ${count(options.kernelSamples, 'submission')} (median, min–max per dispatch). A segment runs 24 blocks. These timings come from a`,
      'separate part of the run, and each submission of a lone kernel adds its own overhead. Their sum can therefore exceed',
      'the segment time above, so read the shares here and take totals from the segment table.',
      '',
      '| positions | kernel | ms per dispatch, median (min–max) | dispatches / segment | ms / segment | share of the blocks |',
      '|---|---|---|---|---|---|',
    );
    for (const positions of [...new Set(kernels.map((k) => k.positions))]) {
      const group = kernels.filter((k) => k.positions === positions);
      const total = group.reduce((sum, k) => sum + k.dispatch.median * k.dispatchesPerSegment, 0);
      for (const k of group) {
        const perSegment = k.dispatch.median * k.dispatchesPerSegment;
        lines.push(
          `| ${positions} | ${k.kernel} | ${format(k.dispatch.median)} (${format(k.dispatch.min)}–${format(k.dispatch.max)}) | ` +
            `${k.dispatchesPerSegment} | ${format(perSegment)} | ${((100 * perSegment) / total).toFixed(0)}% |`,
        );
      }
      lines.push(`| ${positions} | all block kernels | | | ${format(total)} | 100% |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** The JSON file the script writes, read back by --from-json. */
interface BenchReport {
  date: string;
  adapter: string;
  machine: MachineLoad;
  options: BenchOptions;
  rows: BenchRow[];
  kernels: KernelRow[];
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const fromJson = argv.indexOf('--from-json');
  if (fromJson >= 0) {
    const file = argv[fromJson + 1];
    if (!file || !existsSync(file)) {
      throw new Error(`--from-json: file not found: ${file}; pass the path of a benchmarks.json`);
    }
    const report = JSON.parse(readFileSync(file, 'utf8')) as BenchReport;
    const { date, adapter, machine, options, rows, kernels } = report;
    writeFileSync(
      join(ROOT, 'docs/benchmarks.md'),
      renderMarkdown(rows, kernels ?? [], adapter, options, date, machine),
    );
    console.log(`[bench] rewrote docs/benchmarks.md from ${file}`);
    return;
  }
  const options = parseOptions(argv);
  const loadStart = loadavg()[0];
  const cases = [...shippedCases(), ...randomCases(options)];

  const server = await createServer({
    root: ROOT,
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
  });
  await server.listen();
  const address = server.httpServer?.address() as AddressInfo | null | undefined;
  if (!address) {
    throw new Error('the Vite dev server did not report a listening address');
  }
  const port = address.port;
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') console.error(`[page] ${message.text()}`);
    });
    await page.goto(`http://127.0.0.1:${port}/${BENCH_PAGE}`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    const adapter = await page.evaluate(() => window.engineBench.adapterDescription());
    console.log(`[bench] adapter: ${adapter}`);

    const rows: BenchRow[] = [];
    for (const backend of [webGpuBench, ...(await extraBackends())]) {
      rows.push(...(await backend(page, cases, options)));
    }

    const kernelPage = await browser.context.newPage();
    await kernelPage.goto(`http://127.0.0.1:${port}/${KERNEL_PAGE}`);
    await kernelPage.waitForFunction(
      () => document.getElementById('status')?.textContent === 'ready',
    );
    const kernels = await kernelBreakdown(kernelPage, options);

    const date = new Date().toISOString();
    const machine: MachineLoad = { cpus: cpus().length, loadStart, loadEnd: loadavg()[0] };
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    writeFileSync(
      join(ROOT, 'docs/benchmarks.json'),
      `${JSON.stringify({ date, adapter, cpuEmulation: /swiftshader/i.test(adapter), machine, options, rows, kernels }, null, 2)}\n`,
    );
    writeFileSync(
      join(ROOT, 'docs/benchmarks.md'),
      renderMarkdown(rows, kernels, adapter, options, date, machine),
    );
    console.log('[bench] wrote docs/benchmarks.md and docs/benchmarks.json');
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
