// Parity of the reference engine with the PyTorch forward pass (training/), stage by stage, on
// every golden fixture under tests/fixtures/golden.

import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type GoldenFixture, readGoldenFixture } from '../../../src/engine/golden';
import { ReferenceBackend } from '../../../src/engine/reference/backend';
import { decodeLogits } from '../../../src/engine/reference/heads';
import {
  formatComparison,
  PARITY_TOLERANCES,
  REFERENCE_BFLOAT16_PER_UPDATE_TOLERANCE,
  REFERENCE_FLOAT32_TOLERANCE,
  type Tolerance,
} from '../../../src/engine/tolerances';
import type { NumericMode } from '../../../src/engine/types';
import { loadModel } from '../../../src/model/load-model';
import type { HrmWeights } from '../../../src/model/weights';
import { checkReferenceParity, type ParityReport } from './parity';
import { createRandom, randomValues } from './random-model';

const ROOT = resolve(import.meta.dirname, '../../..');
const GOLDEN_DIRECTORY = 'tests/fixtures/golden';
const FIXTURE_FILES = readdirSync(resolve(ROOT, GOLDEN_DIRECTORY))
  .filter((name) => name.endsWith('.safetensors'))
  .sort();
/** Fixtures of the test models, which must stay present so the parity tests always run. */
const REQUIRED_FIXTURES = [
  'tiny-bfloat16.safetensors',
  'tiny-float32.safetensors',
  'tiny-learned-bfloat16.safetensors',
  'tiny-learned-float32.safetensors',
];

/** Tolerance when every update starts from the fixture's states. */
const PER_UPDATE_TOLERANCES: Record<NumericMode, Tolerance> = {
  float32: REFERENCE_FLOAT32_TOLERANCE,
  bfloat16: REFERENCE_BFLOAT16_PER_UPDATE_TOLERANCE,
};

/**
 * Largest mean share of values that may differ at all over the bfloat16 state stages, each run
 * from the fixture's states. With the authors' rounding points it was 0.002 to 0.19 on random
 * models of hidden_size 64 and 128. Moving a single rounding point (the residual sum, or SiLU
 * rounded once) raised it to 0.36 to 0.73, although every difference stayed within tolerance.
 */
const MAX_BFLOAT16_MISMATCH_SHARE = 0.3;

/** Share of cells whose bfloat16 prediction may differ after 2 segments (2.5% measured). */
const MAX_BFLOAT16_PREDICTION_MISMATCHES = 0.05;

function readFixture(fileName: string): GoldenFixture {
  const path = `${GOLDEN_DIRECTORY}/${fileName}`;
  return readGoldenFixture(new Uint8Array(readFileSync(resolve(ROOT, path))), path);
}

async function loadWeights(paths: string[]): Promise<HrmWeights> {
  const files = paths.map((path) => {
    const bytes = readFileSync(resolve(ROOT, path));
    return new File([bytes], path.split('/').pop() as string);
  });
  return loadModel(files, { cache: false });
}

/** Explains a failed parity check: the first wrong stage, then every stage. */
function describeFailure(report: ParityReport): string {
  const first = report.firstFailure;
  if (first === null) return 'all stages within tolerance';
  return (
    `first wrong stage: ${formatComparison(first.stage, first.comparison)}\n` +
    `all stages:\n${report.summary}`
  );
}

describe('golden fixtures', () => {
  it('include the test models', () => {
    for (const name of REQUIRED_FIXTURES) {
      expect(FIXTURE_FILES, `${GOLDEN_DIRECTORY}/${name}`).toContain(name);
    }
  });
});

for (const fileName of FIXTURE_FILES) {
  describe(`golden parity ${fileName}`, () => {
    const fixture = readFixture(fileName);
    const mode: NumericMode = fixture.mode;

    it('names its mode', () => {
      expect(fileName.endsWith(`-${mode}.safetensors`), `mode ${mode}`).toBe(true);
      expect(fixture.puzzles.length).toBeGreaterThan(0);
    });

    it('matches every stage with carried states', async () => {
      const weights = await loadWeights([fixture.modelPath]);
      const report = await checkReferenceParity(weights, fixture, {
        tolerance: PARITY_TOLERANCES.reference[mode],
        states: 'free',
      });
      expect(report.firstFailure === null, describeFailure(report)).toBe(true);
      expect(report.haltingMismatches, 'segments with another halting decision').toBe(0);

      const cells = fixture.puzzles.length * fixture.segmentCount * fixture.config.seq_len;
      const allowed = mode === 'float32' ? 0 : MAX_BFLOAT16_PREDICTION_MISMATCHES * cells;
      expect(
        report.predictionMismatches,
        `cells predicted differently of ${cells}`,
      ).toBeLessThanOrEqual(allowed);
    });

    it('matches every stage from fixture states', async () => {
      const weights = await loadWeights([fixture.modelPath]);
      const report = await checkReferenceParity(weights, fixture, {
        tolerance: PER_UPDATE_TOLERANCES[mode],
        states: 'per_update',
      });
      expect(report.firstFailure === null, describeFailure(report)).toBe(true);
      expect(report.stages[0].stage).toBe('p0.embedding');
      expect(report.stages[0].comparison.maxDifference, 'embedding').toBe(0);

      if (mode === 'bfloat16') {
        const states = report.stages.filter((result) => /z_[HL]$/.test(result.stage));
        const shares = states.map(({ comparison }) => comparison.mismatches / comparison.count);
        const meanShare = shares.reduce((sum, share) => sum + share, 0) / shares.length;
        expect(
          meanShare,
          'mean share of differing state values (a misplaced bfloat16 rounding raises it)',
        ).toBeLessThanOrEqual(MAX_BFLOAT16_MISMATCH_SHARE);
      }
    });

    it('fails with random H_init and L_init', async () => {
      const weights = await loadWeights([fixture.modelPath]);
      const random = createRandom(3);
      for (const name of ['H_init', 'L_init']) {
        const tensor = weights.tensors.get(name);
        if (tensor === undefined) throw new Error(`${fixture.modelPath} has no ${name}`);
        weights.tensors.set(name, {
          dtype: 'float32',
          shape: tensor.shape,
          data: randomValues(random, tensor.shape[0], 1.5),
        });
      }
      const report = await checkReferenceParity(weights, fixture, {
        tolerance: PER_UPDATE_TOLERANCES[mode],
        states: 'per_update',
      });
      expect(report.firstFailure?.stage).toBe('p0.s0.h0.l0.z_L');
    });

    it('runs the same schedule in a session', async () => {
      // The session's own schedule (not the test's) must reproduce the fixture's Q values
      // and predictions after every segment.
      const weights = await loadWeights([fixture.modelPath]);
      const session = await new ReferenceBackend().createSession(weights, { numeric: mode });
      const { config } = fixture;
      const tolerance = PARITY_TOLERANCES.reference[mode];
      const cells = fixture.puzzles.length * fixture.segmentCount * config.seq_len;
      let differingCells = 0;
      for (const puzzle of fixture.puzzles) {
        await session.reset(puzzle.inputs, puzzle.puzzleIdentifier);
        const result = await session.run({ maxSegments: fixture.segmentCount, halting: 'fixed' });
        const segmentEnds = result.events.filter((event) => event.q !== undefined);
        expect(segmentEnds.length).toBe(fixture.segmentCount);

        for (const [s, event] of segmentEnds.entries()) {
          const expected = puzzle.segments[s];
          const q = event.q as { halt: number; continue: number };
          const allowed = (value: number) =>
            tolerance.absolute + tolerance.relative * Math.abs(value);
          expect(Math.abs(q.halt - expected.q.halt), `q_halt of segment ${s}`).toBeLessThanOrEqual(
            allowed(expected.q.halt),
          );
          expect(
            Math.abs(q.continue - expected.q.continue),
            `q_continue of segment ${s}`,
          ).toBeLessThanOrEqual(allowed(expected.q.continue));
          const theirs = decodeLogits(
            expected.logits,
            config.seq_len,
            config.vocab_size,
          ).prediction;
          differingCells += event.prediction.filter((token, cell) => token !== theirs[cell]).length;
        }
      }
      expect(differingCells, `cells predicted differently of ${cells}`).toBeLessThanOrEqual(
        mode === 'float32' ? 0 : MAX_BFLOAT16_PREDICTION_MISMATCHES * cells,
      );
      session.dispose();
    });
  });
}

describe('golden parity authors checkpoint', () => {
  it('gives the same states as the safetensors file', async () => {
    const fixture = readFixture('tiny-float32.safetensors');
    const weights = await loadWeights([
      'tests/fixtures/models/tiny-authors/checkpoint',
      'tests/fixtures/models/tiny-authors/all_config.yaml',
    ]);
    const report = await checkReferenceParity(weights, fixture, {
      tolerance: REFERENCE_FLOAT32_TOLERANCE,
      states: 'free',
    });
    expect(report.firstFailure === null, describeFailure(report)).toBe(true);
  });
});
