// Harness for tests/browser/engine-*.test.ts: runs the WGSL engine on golden fixtures and on
// random models, next to the plain-TypeScript reference engine, and returns plain results that
// the tests assert on.

import { readGoldenFixture } from '../../../src/engine/golden';
import { checkLimits, type DeviceEvent, GpuContext } from '../../../src/engine/gpu';
import { ReferenceKernel } from '../../../src/engine/reference/kernel';
import { type BackendChoice, chooseBackend, createBackend } from '../../../src/engine/select';
import { Session } from '../../../src/engine/session';
import { compareArrays, formatComparison, PARITY_TOLERANCES } from '../../../src/engine/tolerances';
import type { NumericMode, PlannedUpdate } from '../../../src/engine/types';
import { WebGpuBackend } from '../../../src/engine/webgpu/backend';
import { WebGpuKernel } from '../../../src/engine/webgpu/kernel';
import { planModel } from '../../../src/engine/webgpu/model-plan';
import { deriveDims, type HrmConfig } from '../../../src/model/config';
import { loadModel } from '../../../src/model/load-model';
import { createRandomWeights, SMALL_CONFIG } from '../../unit/engine/random-model';
import { seededRandom } from './harness';

export interface StageResult {
  stage: string;
  ok: boolean;
  line: string;
}

export interface GoldenResult {
  stages: StageResult[];
  /** Cells where the WGSL engine's prediction differs from the reference's, per puzzle and segment. */
  predictionMismatches: PredictionMismatch[];
}

export interface PredictionMismatch {
  stage: string;
  /** Cells where the predictions differ although the reference separates the two tokens. */
  cells: number;
  /**
   * Cells where they differ at a near-tie: the reference's logits for both predicted tokens lie
   * within the parity tolerance of each other, so rounding noise may pick either.
   */
  nearTies: number;
  details: string[];
}

/** Top two logits of one row, for messages about near-ties. */
function topTwo(logits: Float32Array, row: number, vocab_size: number): string {
  const values = Array.from(logits.subarray(row * vocab_size, (row + 1) * vocab_size));
  const order = values.map((v, t) => [v, t]).sort((a, b) => b[0] - a[0]);
  return order
    .slice(0, 2)
    .map(([v, t]) => `token ${t}: ${v}`)
    .join(', ');
}

async function fetchBytes(path: string): Promise<Uint8Array> {
  const response = await fetch(`/${path}`);
  if (!response.ok) {
    throw new Error(`fetching /${path} failed with HTTP ${response.status}`);
  }
  return new Uint8Array(await response.arrayBuffer());
}

/** Runs the WGSL engine along one golden fixture and compares every stage. */
async function goldenParity(fixturePath: string): Promise<GoldenResult> {
  const fixture = readGoldenFixture(await fetchBytes(fixturePath), fixturePath);
  // Vite serves public/ at the site root and the rest of the repository under its own path.
  const modelUrl = `/${fixture.modelPath.replace(/^public\//, '')}`;
  const weights = await loadModel(modelUrl, { cache: false });
  const tolerance = PARITY_TOLERANCES.webgpu[fixture.mode];
  const { config } = fixture;
  const dims = deriveDims(config);
  const stateShape = [dims.positions, config.hidden_size];
  const kernel = await WebGpuKernel.create(planModel(weights, fixture.mode));
  const reference = new ReferenceKernel(weights, fixture.mode);
  const stages: StageResult[] = [];
  const predictionMismatches: GoldenResult['predictionMismatches'] = [];
  const compare = (
    stage: string,
    expected: ArrayLike<number>,
    actual: ArrayLike<number>,
    shape: number[],
  ) => {
    const comparison = compareArrays(expected, actual, tolerance, shape);
    stages.push({ stage, ok: comparison.ok, line: formatComparison(stage, comparison) });
  };

  try {
    for (const [i, puzzle] of fixture.puzzles.entries()) {
      await kernel.reset(puzzle.inputs, puzzle.puzzleIdentifier);
      await reference.reset(puzzle.inputs, puzzle.puzzleIdentifier);
      compare(`p${i}.embedding`, puzzle.embedding, await kernel.readEmbedding(), stateShape);

      for (const [s, segment] of puzzle.segments.entries()) {
        let q: { halt: number; continue: number } | undefined;
        let prediction: Int32Array | undefined;
        let referencePrediction: Int32Array | undefined;
        for (const [h, cycle] of segment.cycles.entries()) {
          for (const [l, z_L] of cycle.z_L.entries()) {
            const update: PlannedUpdate = { module: 'L', decode: false, q: false };
            await kernel.runUpdates([update]);
            reference.runUpdate(update);
            compare(
              `p${i}.s${s}.h${h}.l${l}.z_L`,
              z_L,
              (await kernel.readStates()).z_L,
              stateShape,
            );
          }
          const last = h === segment.cycles.length - 1;
          const update: PlannedUpdate = { module: 'H', decode: last, q: last };
          const [readout] = await kernel.runUpdates([update]);
          const referenceReadout = reference.runUpdate(update);
          compare(`p${i}.s${s}.h${h}.z_H`, cycle.z_H, (await kernel.readStates()).z_H, stateShape);
          if (last) {
            q = readout.q;
            prediction = readout.prediction;
            referencePrediction = referenceReadout.prediction;
          }
        }
        compare(`p${i}.s${s}.logits`, segment.logits, await kernel.readLogits(), [
          config.seq_len,
          config.vocab_size,
        ]);
        compare(
          `p${i}.s${s}.q`,
          [segment.q.halt, segment.q.continue],
          [q?.halt ?? Number.NaN, q?.continue ?? Number.NaN],
          [2],
        );
        let cells = 0;
        let nearTies = 0;
        const details: string[] = [];
        const gpuLogits = await kernel.readLogits();
        const referenceLogits = reference.readLogits();
        for (let c = 0; c < config.seq_len; c++) {
          const gpuToken = prediction?.[c] ?? -1;
          const referenceToken = referencePrediction?.[c] ?? -1;
          if (gpuToken !== referenceToken) {
            const row = c * config.vocab_size;
            const top = referenceLogits[row + referenceToken];
            const margin = top - referenceLogits[row + gpuToken];
            if (margin <= tolerance.absolute + tolerance.relative * Math.abs(top)) {
              nearTies++;
            } else {
              cells++;
            }
            details.push(
              `cell ${c}: WGSL ${topTwo(gpuLogits, c, config.vocab_size)}; reference ` +
                `${topTwo(referenceLogits, c, config.vocab_size)}; PyTorch ` +
                `${topTwo(segment.logits, c, config.vocab_size)}`,
            );
          }
        }
        predictionMismatches.push({ stage: `p${i}.s${s}`, cells, nearTies, details });
      }
    }
  } finally {
    kernel.dispose();
    reference.dispose();
  }
  return { stages, predictionMismatches };
}

function randomInputs(config: HrmConfig, seed: number): Int32Array {
  const random = seededRandom(seed);
  return Int32Array.from(
    { length: config.seq_len },
    () => 1 + Math.floor(random() * (config.vocab_size - 1)),
  );
}

export interface RandomParityResult {
  segments: number;
  /** Per segment: cells where the predictions differ. */
  predictionMismatches: number[];
  /** Per segment: largest |q_gpu - q_reference|. */
  qDifferences: number[];
  statesLine: string;
  statesOk: boolean;
  dispatchesPerSegment: number;
  /** Dispatches of one L update, less its injection and state update, per L block. */
  dispatchesPerBlock: number;
  eventsPerSegment: number;
}

/** Runs the WGSL engine and the reference engine through the shared Session on one random model. */
async function randomModelParity(
  config: HrmConfig,
  numeric: NumericMode,
  segments: number,
): Promise<RandomParityResult> {
  const weights = createRandomWeights(config, { seed: 11 });
  const kernel = await WebGpuKernel.create(planModel(weights, numeric));
  const gpuSession = new Session(kernel, config, 'webgpu');
  const referenceSession = new Session(new ReferenceKernel(weights, numeric), config, 'reference');
  const inputs = randomInputs(config, 5);
  const identifier = config.puzzle_emb_ndim > 0 ? config.num_puzzle_identifiers - 1 : 0;
  const result: RandomParityResult = {
    segments,
    predictionMismatches: [],
    qDifferences: [],
    statesLine: '',
    statesOk: false,
    dispatchesPerSegment: 0,
    dispatchesPerBlock: (kernel.dispatchesPerUpdate('L') - 2) / config.L_layers,
    eventsPerSegment: 0,
  };
  try {
    await gpuSession.reset(inputs, identifier);
    await referenceSession.reset(inputs, identifier);
    for (let s = 0; s < segments; s++) {
      const gpuEvents = await gpuSession.advance('segment');
      result.dispatchesPerSegment = kernel.lastDispatchCount;
      result.eventsPerSegment = gpuEvents.length;
      const referenceEvents = await referenceSession.advance('segment');
      const a = gpuEvents[gpuEvents.length - 1];
      const b = referenceEvents[referenceEvents.length - 1];
      let cells = 0;
      for (let c = 0; c < config.seq_len; c++) {
        if (a.prediction[c] !== b.prediction[c]) cells++;
      }
      result.predictionMismatches.push(cells);
      result.qDifferences.push(
        Math.max(
          Math.abs((a.q?.halt ?? Number.NaN) - (b.q?.halt ?? Number.NaN)),
          Math.abs((a.q?.continue ?? Number.NaN) - (b.q?.continue ?? Number.NaN)),
        ),
      );
    }
    const gpuStates = await gpuSession.readStates();
    const referenceStates = await referenceSession.readStates();
    const comparison = compareArrays(
      referenceStates.z_H,
      gpuStates.z_H,
      PARITY_TOLERANCES.webgpu[numeric],
    );
    result.statesOk = comparison.ok;
    result.statesLine = formatComparison('z_H after the last segment', comparison);
  } finally {
    gpuSession.dispose();
    referenceSession.dispose();
  }
  return result;
}

/** Returns the released architecture (hidden 512, 8 heads, expansion 4, 4 + 4 layers) at `positions`. */
function releasedConfig(positions: number): HrmConfig {
  return {
    ...SMALL_CONFIG,
    hidden_size: 512,
    num_heads: 8,
    expansion: 4,
    H_layers: 4,
    L_layers: 4,
    H_cycles: 2,
    L_cycles: 2,
    puzzle_emb_ndim: 512,
    num_puzzle_identifiers: 1,
    vocab_size: positions > 100 ? 6 : 11,
    seq_len: positions - 1,
  };
}

export interface SegmentRunResult {
  events: number;
  dispatches: number;
  allFinite: boolean;
  predictionsInVocabulary: boolean;
  q: { halt: number; continue: number } | null;
  uncapturedErrors: number;
}

/** Runs one update or one segment of a random released-size model; returns what it produced. */
async function releasedSizeRun(
  positions: number,
  numeric: NumericMode,
  unit: 'update' | 'segment',
): Promise<SegmentRunResult> {
  const config = releasedConfig(positions);
  const kernel = await WebGpuKernel.create(
    planModel(createRandomWeights(config, { seed: 3 }), numeric),
  );
  const session = new Session(kernel, config, 'webgpu');
  try {
    await session.reset(randomInputs(config, 9), 0);
    const events = await session.advance(unit);
    const last = events[events.length - 1];
    const finite = (values: ArrayLike<number>) => Array.from(values).every(Number.isFinite);
    return {
      events: events.length,
      dispatches: kernel.lastDispatchCount,
      allFinite:
        events.every((e) => Number.isFinite(e.updateNorm)) &&
        finite(last.confidence) &&
        finite(last.entropy),
      predictionsInVocabulary: Array.from(last.prediction).every(
        (t) => t >= 0 && t < config.vocab_size,
      ),
      q: last.q ?? null,
      uncapturedErrors: kernel.gpu.uncapturedErrors,
    };
  } finally {
    session.dispose();
  }
}

export interface AccountingResult {
  baseline: number;
  /** Backend bytes while each model was loaded. */
  loaded: number[];
  /** Backend bytes after each model was disposed. */
  afterDispose: number[];
  /** The kernel's own count after dispose: 0 when every buffer was destroyed. */
  kernelAfterDispose: number[];
}

/** Loads `count` models one after another through the backend and records GPU bytes. */
async function bufferAccounting(count: number): Promise<AccountingResult> {
  const backend = await WebGpuBackend.create();
  const result: AccountingResult = {
    baseline: backend.allocatedBytes,
    loaded: [],
    afterDispose: [],
    kernelAfterDispose: [],
  };
  const config: HrmConfig = { ...SMALL_CONFIG };
  for (let i = 0; i < count; i++) {
    const session = await backend.createSession(createRandomWeights(config, { seed: 100 + i }), {
      numeric: i % 2 === 0 ? 'float32' : 'bfloat16',
    });
    const kernel = backend.liveKernels[0];
    await session.reset(randomInputs(config, i), 0);
    await session.advance('update');
    result.loaded.push(backend.allocatedBytes);
    session.dispose();
    result.afterDispose.push(backend.allocatedBytes);
    result.kernelAfterDispose.push(kernel.allocatedBytes);
  }
  backend.dispose();
  return result;
}

export interface RecoveryResult {
  events: string[];
  /** Next position before the loss, as segment and update index. */
  nextBefore: { segment: number; index: number };
  /** Index of the first update run after the loss. */
  firstIndexAfter: number;
  nextAfter: { segment: number; index: number };
  /** Cells where the recovered session's prediction differs from an undisturbed session's. */
  predictionMismatches: number;
  statesLine: string;
  statesOk: boolean;
  bytesBefore: number;
  bytesAfter: number;
}

/** Destroys the device mid-session and checks that the session continues where it was. */
async function deviceLossRecovery(): Promise<RecoveryResult> {
  const config: HrmConfig = { ...SMALL_CONFIG };
  const weights = createRandomWeights(config, { seed: 21 });
  const inputs = randomInputs(config, 4);
  const backend = await WebGpuBackend.create();
  const events: string[] = [];
  backend.subscribe((event: DeviceEvent) => events.push(event.type));

  const session = await backend.createSession(weights, { numeric: 'float32' });
  const control = new Session(
    await WebGpuKernel.create(planModel(weights, 'float32')),
    config,
    'webgpu',
  );
  try {
    await session.reset(inputs, 1);
    await control.reset(inputs, 1);
    await session.advance('segment');
    await control.advance('segment');
    const { segment, index } = session.nextPosition;
    const kernel = backend.liveKernels[0];
    const bytesBefore = backend.allocatedBytes;

    kernel.gpu.device.destroy();

    // advance('h_cycle') rather than a segment, so the position check also covers a partial segment.
    const second = await session.advance('h_cycle');
    const controlSecond = await control.advance('h_cycle');
    const next = session.nextPosition;
    const a = second[second.length - 1];
    const b = controlSecond[controlSecond.length - 1];
    let mismatches = 0;
    for (let c = 0; c < config.seq_len; c++) {
      if (a.prediction[c] !== b.prediction[c]) mismatches++;
    }
    const comparison = compareArrays(
      (await control.readStates()).z_L,
      (await session.readStates()).z_L,
      PARITY_TOLERANCES.webgpu.float32,
    );
    return {
      events,
      nextBefore: { segment, index },
      firstIndexAfter: second[0].position.index,
      nextAfter: { segment: next.segment, index: next.index },
      predictionMismatches: mismatches,
      statesLine: formatComparison('z_L after recovery', comparison),
      statesOk: comparison.ok,
      bytesBefore,
      bytesAfter: backend.allocatedBytes,
    };
  } finally {
    session.dispose();
    control.dispose();
    backend.dispose();
  }
}

/** Returns checkLimits' message for a model that needs 2^40-byte storage bindings. */
async function limitError(): Promise<string> {
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) {
    return 'no adapter';
  }
  try {
    checkLimits(adapter.limits, { maxStorageBufferBindingSize: 2 ** 40 });
    return 'no error';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Causes two uncaptured validation errors and returns the count and the events seen. */
async function uncapturedErrors(): Promise<{ count: number; events: string[] }> {
  const gpu = await GpuContext.create();
  const events: string[] = [];
  gpu.subscribe((event) => events.push(event.type));
  for (let i = 0; i < 2; i++) {
    // MAP_READ may only be combined with COPY_DST, so this is a validation error.
    gpu.device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.STORAGE });
  }
  await gpu.device.queue.onSubmittedWorkDone();
  // Uncaptured errors arrive as events after the call returns.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const count = gpu.uncapturedErrors;
  gpu.dispose();
  return { count, events };
}

/** Chooses a backend and creates it, returning the choice and the backend's kind. */
async function chooseAndCreate(requested: string): Promise<BackendChoice & { created: string }> {
  const choice = await chooseBackend(requested as BackendChoice['kind'] | 'auto');
  const backend = await createBackend(choice.kind);
  const created = backend.kind;
  backend.dispose();
  return { ...choice, created };
}

/** Returns the error message for an unknown backend name. */
async function invalidBackend(): Promise<string> {
  try {
    await chooseBackend('cuda' as BackendChoice['kind']);
    return 'no error';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const engineChecks = {
  limitError,
  uncapturedErrors,
  chooseAndCreate,
  invalidBackend,
  goldenParity,
  randomModelParity,
  releasedSizeRun,
  bufferAccounting,
  deviceLossRecovery,
  smallConfig: (): HrmConfig => ({ ...SMALL_CONFIG }),
};

export type EngineChecks = typeof engineChecks;

declare global {
  interface Window {
    engineChecks: EngineChecks;
  }
}

window.engineChecks = engineChecks;
const status = document.getElementById('status');
if (status) {
  status.textContent = 'ready';
}
