// Harness for tests/browser/ort-*.test.ts: runs the onnxruntime-web backends in the page on
// random models (against the TypeScript reference kernel) and on the golden fixtures.

import { readGoldenFixture } from '../../../src/engine/golden';
import { createOrtBackend, ortAvailability } from '../../../src/engine/ort';
import { type OrtExecutionProvider, OrtKernel } from '../../../src/engine/ort/kernel';
import { loadOrt } from '../../../src/engine/ort/runtime';
import { ReferenceKernel } from '../../../src/engine/reference/kernel';
import { PARITY_TOLERANCES } from '../../../src/engine/tolerances';
import type { PlannedUpdate, UpdateReadout } from '../../../src/engine/types';
import type { HrmConfig } from '../../../src/model/config';
import { weightsFromSafetensors } from '../../../src/model/safetensors-model';
import { createRandomWeights, randomInputs, SMALL_CONFIG } from '../../unit/engine/random-model';
import { checkGoldenFixture, type StageResult } from '../../unit/ort/golden-parity';
import { compareArrays, type Difference } from './harness';

/** float32 on both sides: differences come from summation order and GPU exp/sin/cos. */
const ATOL = 1e-4;
const RTOL = 1e-4;

const VARIANTS: Record<string, HrmConfig> = {
  rope: { ...SMALL_CONFIG, forward_dtype: 'float32' },
  learned: { ...SMALL_CONFIG, forward_dtype: 'float32', pos_encodings: 'learned' },
};

/** One segment of SMALL_CONFIG (H_cycles 2, L_cycles 2), decoding after each H update. */
const SEGMENT: PlannedUpdate[] = [
  { module: 'L', decode: false, q: false },
  { module: 'L', decode: false, q: false },
  { module: 'H', decode: true, q: false },
  { module: 'L', decode: false, q: false },
  { module: 'L', decode: false, q: false },
  { module: 'H', decode: true, q: true },
];

export interface UpdateComparison {
  module: 'L' | 'H';
  state: Difference;
  updateNorm: { actual: number; expected: number };
  predictionsEqual?: boolean;
  confidence?: Difference;
  entropy?: Difference;
  q?: Difference;
}

export interface RandomParityResult {
  embedding: Difference;
  updates: UpdateComparison[];
}

async function randomParity(
  executionProvider: OrtExecutionProvider,
  variant: keyof typeof VARIANTS,
  segments: number,
  logSeverityLevel: 0 | 2 = 2,
): Promise<RandomParityResult> {
  const config = VARIANTS[variant];
  const weights = createRandomWeights(config, { seed: 11 });
  // Severity 0 (verbose) makes each session log which execution provider runs its nodes.
  const kernel = await OrtKernel.create(await loadOrt(), weights, {
    executionProvider,
    logSeverityLevel,
  });
  const reference = new ReferenceKernel(weights, 'float32');
  try {
    const inputs = randomInputs(config, 5);
    await kernel.reset(inputs, 1);
    await reference.reset(inputs, 1);
    const embedding = compareArrays(
      await kernel.readEmbedding(),
      await reference.readEmbedding(),
      ATOL,
      RTOL,
    );

    const updates: UpdateComparison[] = [];
    for (let segment = 0; segment < segments; segment++) {
      for (const step of SEGMENT) {
        const [actual] = await kernel.runUpdates([step]);
        const [expected] = await reference.runUpdates([step]);
        const states = await kernel.readStates();
        const expectedStates = await reference.readStates();
        const z = step.module === 'L' ? 'z_L' : 'z_H';
        const comparison: UpdateComparison = {
          module: step.module,
          state: compareArrays(states[z], expectedStates[z], ATOL, RTOL),
          updateNorm: { actual: actual.updateNorm, expected: expected.updateNorm },
        };
        if (step.decode && actual.prediction && expected.prediction) {
          comparison.predictionsEqual = actual.prediction.every(
            (token, i) => token === expected.prediction?.[i],
          );
          comparison.confidence = compareArrays(
            actual.confidence ?? [],
            expected.confidence ?? [],
            ATOL,
            RTOL,
          );
          comparison.entropy = compareArrays(
            actual.entropy ?? [],
            expected.entropy ?? [],
            ATOL,
            RTOL,
          );
        }
        if (step.q && actual.q && expected.q) {
          comparison.q = compareArrays(
            [actual.q.halt, actual.q.continue],
            [expected.q.halt, expected.q.continue],
            ATOL,
            RTOL,
          );
        }
        updates.push(comparison);
      }
    }
    return { embedding, updates };
  } finally {
    kernel.dispose();
    reference.dispose();
  }
}

export interface BatchComparison {
  batchUpdates: number;
  updateNorm: Difference;
  predictionsEqual: boolean;
  q: Difference;
}

/** Runs one segment as one batch and again update by update, and compares the readouts. */
async function batchParity(executionProvider: OrtExecutionProvider): Promise<BatchComparison> {
  const config = VARIANTS.rope;
  const kernel = await OrtKernel.create(
    await loadOrt(),
    createRandomWeights(config, { seed: 12 }),
    {
      executionProvider,
    },
  );
  try {
    const inputs = randomInputs(config, 6);
    await kernel.reset(inputs, 0);
    const batch = await kernel.runUpdates(SEGMENT);
    await kernel.reset(inputs, 0);
    const single: UpdateReadout[] = [];
    for (const step of SEGMENT) {
      single.push(...(await kernel.runUpdates([step])));
    }
    const last = (readouts: typeof batch) => readouts[readouts.length - 1];
    return {
      batchUpdates: batch.length,
      updateNorm: compareArrays(
        batch.map((readout) => readout.updateNorm),
        single.map((readout) => readout.updateNorm),
        ATOL,
        RTOL,
      ),
      predictionsEqual: batch.every((readout, i) =>
        (readout.prediction ?? []).every((token, cell) => token === single[i].prediction?.[cell]),
      ),
      q: compareArrays(
        [last(batch).q?.halt ?? Number.NaN, last(batch).q?.continue ?? Number.NaN],
        [last(single).q?.halt ?? Number.NaN, last(single).q?.continue ?? Number.NaN],
        ATOL,
        RTOL,
      ),
    };
  } finally {
    kernel.dispose();
  }
}

export interface SolveResult {
  description: string;
  crossOriginIsolated: boolean;
  events: number;
  segments: number;
  stop: string;
  prediction: number[];
  finiteNorms: boolean;
}

/** Runs a random Sudoku-sized model through createOrtBackend and the shared Session. */
async function solve(kind: 'ort-webgpu' | 'ort-wasm', maxSegments: number): Promise<SolveResult> {
  // Sudoku-sized: 81 cells plus one puzzle-embedding position.
  const config: HrmConfig = {
    ...SMALL_CONFIG,
    forward_dtype: 'float32',
    seq_len: 81,
    hidden_size: 64,
    puzzle_emb_ndim: 64,
  };
  const backend = await createOrtBackend(kind);
  try {
    const session = await backend.createSession(createRandomWeights(config, { seed: 3 }), {
      numeric: 'float32',
    });
    await session.reset(randomInputs(config, 9), 0);
    const result = await session.run({ maxSegments, halting: 'fixed' });
    const last = result.events.at(-1);
    session.dispose();
    return {
      description: backend.description,
      crossOriginIsolated,
      events: result.events.length,
      segments: result.segments,
      stop: result.stop,
      prediction: Array.from(last?.prediction ?? []),
      finiteNorms: result.events.every((event) => Number.isFinite(event.updateNorm)),
    };
  } finally {
    backend.dispose();
  }
}

/** Fetches a file the dev server serves from the repository root. */
async function fetchBytes(path: string): Promise<Uint8Array> {
  const response = await fetch(`/${path}`);
  if (!response.ok) {
    throw new Error(`Fetching ${path} failed: HTTP ${response.status}`);
  }
  return new Uint8Array(await response.arrayBuffer());
}

/** Runs one golden fixture (tests/fixtures/golden/<name>.safetensors) stage by stage. */
async function goldenParity(
  executionProvider: OrtExecutionProvider,
  name: string,
): Promise<StageResult[]> {
  const fixturePath = `tests/fixtures/golden/${name}.safetensors`;
  const fixture = readGoldenFixture(await fetchBytes(fixturePath), fixturePath);
  const weights = weightsFromSafetensors(
    [{ name: fixture.modelPath, bytes: await fetchBytes(fixture.modelPath) }],
    undefined,
    { id: name, name, source: fixture.modelPath },
  );
  const kind = executionProvider === 'webgpu' ? 'ort-webgpu' : 'ort-wasm';
  const kernel = await OrtKernel.create(await loadOrt(), weights, { executionProvider });
  try {
    return await checkGoldenFixture(kernel, fixture, PARITY_TOLERANCES[kind][fixture.mode]);
  } finally {
    kernel.dispose();
  }
}

/** Returns the message of the error that creating a backend of `kind` throws, or null. */
async function backendError(kind: 'ort-webgpu' | 'ort-wasm'): Promise<string | null> {
  try {
    (await createOrtBackend(kind)).dispose();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Imports onnxruntime-web and returns its version. */
async function load(): Promise<string> {
  const ort = await loadOrt();
  return ort.env.versions.web ?? 'unknown';
}

const ortChecks = {
  load,
  availability: ortAvailability,
  backendError,
  goldenParity,
  randomParity,
  batchParity,
  solve,
};

export type OrtChecks = typeof ortChecks;

declare global {
  interface Window {
    ortChecks: OrtChecks;
  }
}

window.ortChecks = ortChecks;
document.getElementById('status')?.replaceChildren('ready');
