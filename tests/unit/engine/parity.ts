// Runs the reference kernel along a golden fixture and compares every stage: the embedding, each
// z_L and z_H, and each segment's logits and Q values.

import type { GoldenFixture } from '../../../src/engine/golden';
import { decodeLogits } from '../../../src/engine/reference/heads';
import { ReferenceKernel } from '../../../src/engine/reference/kernel';
import {
  type Comparison,
  compareArrays,
  formatComparison,
  type Tolerance,
} from '../../../src/engine/tolerances';
import { deriveDims } from '../../../src/model/config';
import type { HrmWeights } from '../../../src/model/weights';

export interface StageResult {
  /** Fixture tensor name, e.g. `p0.s1.h0.l1.z_L`. */
  stage: string;
  comparison: Comparison;
}

export interface ParityReport {
  stages: StageResult[];
  /** Cells, over all puzzles and segments, whose argmax over our logits differs from the fixture's. */
  predictionMismatches: number;
  /** Segments whose halting decision (q_halt > q_continue) differs from the fixture's. */
  haltingMismatches: number;
  /** First stage outside tolerance, or null when all pass. */
  firstFailure: StageResult | null;
  /** One line per stage: its largest difference, and whether it passed. */
  summary: string;
}

export interface ParityOptions {
  tolerance: Tolerance;
  /**
   * `free` runs the recurrence from H_init/L_init on the kernel's own states, so differences
   * accumulate over updates. `per_update` loads the fixture's states before every update
   * (teacher forcing), so each stage measures the error of one update only.
   */
  states: 'free' | 'per_update';
}

/** Checks the reference kernel in the fixture's numeric mode against every fixture stage. */
export async function checkReferenceParity(
  weights: HrmWeights,
  fixture: GoldenFixture,
  options: ParityOptions,
): Promise<ParityReport> {
  const { tolerance } = options;
  const { config } = fixture;
  const dims = deriveDims(config);
  const stateShape = [dims.positions, config.hidden_size];
  const kernel = new ReferenceKernel(weights, fixture.mode);
  const stages: StageResult[] = [];
  let predictionMismatches = 0;
  let haltingMismatches = 0;
  const compare = (
    stage: string,
    expected: ArrayLike<number>,
    actual: ArrayLike<number>,
    shape: number[],
  ) => {
    stages.push({ stage, comparison: compareArrays(expected, actual, tolerance, shape) });
  };

  for (const [i, puzzle] of fixture.puzzles.entries()) {
    await kernel.reset(puzzle.inputs, puzzle.puzzleIdentifier);
    compare(`p${i}.embedding`, puzzle.embedding, await kernel.readEmbedding(), stateShape);

    // The fixture's states before the next update; null until the first update has run.
    let fixture_z_H: Float32Array | null = null;
    let fixture_z_L: Float32Array | null = null;
    const loadFixtureStates = () => {
      if (options.states === 'per_update' && fixture_z_H !== null && fixture_z_L !== null) {
        kernel.writeStates(fixture_z_H, fixture_z_L);
      }
    };

    for (const [s, segment] of puzzle.segments.entries()) {
      let q: { halt: number; continue: number } | undefined;
      for (const [h, cycle] of segment.cycles.entries()) {
        for (const [l, z_L] of cycle.z_L.entries()) {
          loadFixtureStates();
          kernel.runUpdate({ module: 'L', decode: false, q: false });
          compare(`p${i}.s${s}.h${h}.l${l}.z_L`, z_L, (await kernel.readStates()).z_L, stateShape);
          fixture_z_L = z_L;
          // Before the first H update, z_H is still H_init, which the kernel set itself.
          fixture_z_H ??= (await kernel.readStates()).z_H;
        }
        loadFixtureStates();
        const last = h === segment.cycles.length - 1;
        const readout = kernel.runUpdate({ module: 'H', decode: last, q: last });
        compare(`p${i}.s${s}.h${h}.z_H`, cycle.z_H, (await kernel.readStates()).z_H, stateShape);
        fixture_z_H = cycle.z_H;
        q = readout.q;
      }
      const logits = kernel.readLogits();
      compare(`p${i}.s${s}.logits`, segment.logits, logits, [config.seq_len, config.vocab_size]);
      const ours = decodeLogits(logits, config.seq_len, config.vocab_size).prediction;
      const theirs = decodeLogits(segment.logits, config.seq_len, config.vocab_size).prediction;
      predictionMismatches += ours.filter((token, cell) => token !== theirs[cell]).length;
      if (q === undefined || q.halt > q.continue !== segment.q.halt > segment.q.continue) {
        haltingMismatches++;
      }
      compare(
        `p${i}.s${s}.q`,
        [segment.q.halt, segment.q.continue],
        [q?.halt ?? Number.NaN, q?.continue ?? Number.NaN],
        [2],
      );
    }
  }
  kernel.dispose();

  const firstFailure = stages.find((result) => !result.comparison.ok) ?? null;
  const summary = stages
    .map((result) => formatComparison(result.stage, result.comparison))
    .join('\n');
  return { stages, predictionMismatches, haltingMismatches, firstFailure, summary };
}
