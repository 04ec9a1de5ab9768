// Runs an OrtKernel through a golden fixture stage by stage (embedding, every z_L and z_H, then
// logits, predictions and q per segment) and reports each stage's comparison. Shared by the
// Node.js test (WASM execution provider) and the browser harness page (WebGPU and WASM).

import type { GoldenFixture } from '../../../src/engine/golden';
import type { OrtKernel } from '../../../src/engine/ort/kernel';
import { compareArrays, formatComparison, type Tolerance } from '../../../src/engine/tolerances';

export interface StageResult {
  stage: string;
  ok: boolean;
  /** One line: within tolerance or not, the largest difference and where. */
  detail: string;
}

/** Index of the largest value of each row of a [rows, columns] array. */
function argmaxRows(values: Float32Array, columns: number): Int32Array {
  const rows = values.length / columns;
  const result = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    let best = 0;
    for (let column = 1; column < columns; column++) {
      if (values[row * columns + column] > values[row * columns + best]) best = column;
    }
    result[row] = best;
  }
  return result;
}

export async function checkGoldenFixture(
  kernel: OrtKernel,
  fixture: GoldenFixture,
  tolerance: Tolerance,
): Promise<StageResult[]> {
  const { config } = fixture;
  const results: StageResult[] = [];
  const record = (
    stage: string,
    expected: ArrayLike<number>,
    actual: ArrayLike<number>,
    shape?: number[],
  ) => {
    const comparison = compareArrays(expected, actual, tolerance, shape);
    results.push({ stage, ok: comparison.ok, detail: formatComparison(stage, comparison) });
  };

  for (const [i, puzzle] of fixture.puzzles.entries()) {
    await kernel.reset(puzzle.inputs, puzzle.puzzleIdentifier);
    const stateShape = [puzzle.embedding.length / config.hidden_size, config.hidden_size];
    record(`p${i}.embedding`, puzzle.embedding, await kernel.readEmbedding(), stateShape);

    for (const [s, segment] of puzzle.segments.entries()) {
      for (const [h, cycle] of segment.cycles.entries()) {
        for (const [l, z_L] of cycle.z_L.entries()) {
          await kernel.runUpdates([{ module: 'L', decode: false, q: false }]);
          record(`p${i}.s${s}.h${h}.l${l}.z_L`, z_L, (await kernel.readStates()).z_L, stateShape);
        }
        await kernel.runUpdates([{ module: 'H', decode: false, q: false }]);
        record(`p${i}.s${s}.h${h}.z_H`, cycle.z_H, (await kernel.readStates()).z_H, stateShape);
      }

      const heads = await kernel.readHeads();
      record(`p${i}.s${s}.logits`, segment.logits, heads.logits, [
        config.seq_len,
        config.vocab_size,
      ]);
      record(
        `p${i}.s${s}.q`,
        [segment.q.halt, segment.q.continue],
        [heads.q.halt, heads.q.continue],
      );
      // Predicted tokens compare exactly: the argmax of the fixture's logits.
      const expectedTokens = argmaxRows(segment.logits, config.vocab_size);
      const mismatches = expectedTokens.filter(
        (token, cell) => token !== heads.prediction[cell],
      ).length;
      results.push({
        stage: `p${i}.s${s}.prediction`,
        ok: mismatches === 0,
        detail: `p${i}.s${s}.prediction: ${mismatches} of ${expectedTokens.length} cells differ`,
      });
    }
  }
  return results;
}
