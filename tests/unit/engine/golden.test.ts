import { describe, expect, it } from 'vitest';
import { GoldenFixtureError, readGoldenFixture } from '../../../src/engine/golden';
import { writeSafetensors } from '../../../src/model/safetensors';
import type { HostTensor } from '../../../src/model/tensor';
import { SMALL_CONFIG } from './random-model';

// SMALL_CONFIG: seq_len 9 plus one puzzle position, hidden_size 32, 2 H and 2 L cycles.
const POSITIONS = 10;

function floats(shape: number[], fill = 0.5): HostTensor {
  const count = shape.reduce((a, b) => a * b, 1);
  return { dtype: 'float32', shape, data: new Float32Array(count).fill(fill) };
}

/** Writes a valid one-puzzle, one-segment fixture for SMALL_CONFIG, with optional edits. */
function buildFixture(
  edit: (tensors: Map<string, HostTensor>, metadata: Record<string, string>) => void = () => {},
): Uint8Array {
  const { hidden_size, seq_len, vocab_size } = SMALL_CONFIG;
  const tensors = new Map<string, HostTensor>();
  tensors.set('p0.inputs', {
    dtype: 'int32',
    shape: [seq_len],
    data: new Int32Array(seq_len).fill(1),
  });
  tensors.set('p0.puzzle_identifier', { dtype: 'int32', shape: [1], data: Int32Array.of(1) });
  tensors.set('p0.embedding', floats([POSITIONS, hidden_size], 0.25));
  for (let h = 0; h < 2; h++) {
    for (let l = 0; l < 2; l++)
      tensors.set(`p0.s0.h${h}.l${l}.z_L`, floats([POSITIONS, hidden_size], h + l));
    tensors.set(`p0.s0.h${h}.z_H`, floats([POSITIONS, hidden_size], 10 + h));
  }
  tensors.set('p0.s0.logits', floats([seq_len, vocab_size]));
  tensors.set('p0.s0.q', { dtype: 'float32', shape: [2], data: Float32Array.of(-1, 2) });
  const metadata: Record<string, string> = {
    format: 'hrm-golden-fixture',
    version: '1',
    mode: 'bfloat16',
    model: 'tests/fixtures/models/small/model.safetensors',
    hrm_config: JSON.stringify(SMALL_CONFIG),
    puzzles: '1',
    segments: '1',
  };
  edit(tensors, metadata);
  return writeSafetensors(tensors, metadata);
}

describe('readGoldenFixture', () => {
  it('reads every stage', () => {
    const fixture = readGoldenFixture(buildFixture(), 'small-bfloat16.safetensors');
    expect(fixture.mode).toBe('bfloat16');
    expect(fixture.modelPath).toBe('tests/fixtures/models/small/model.safetensors');
    expect(fixture.config.hidden_size).toBe(32);
    expect(fixture.segmentCount).toBe(1);
    const [puzzle] = fixture.puzzles;
    expect(puzzle.puzzleIdentifier).toBe(1);
    expect(puzzle.inputs.length).toBe(9);
    expect(puzzle.embedding[0]).toBe(0.25);
    const [segment] = puzzle.segments;
    expect(segment.cycles.map((cycle) => cycle.z_L.map((z) => z[0]))).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(segment.cycles.map((cycle) => cycle.z_H[0])).toEqual([10, 11]);
    expect(segment.q).toEqual({ halt: -1, continue: 2 });
  });

  it('rejects another format', () => {
    const bytes = buildFixture((_, metadata) => {
      metadata.format = 'hrm';
    });
    expect(() => readGoldenFixture(bytes, 'model.safetensors')).toThrow(GoldenFixtureError);
    expect(() => readGoldenFixture(bytes, 'model.safetensors')).toThrow(
      /model.safetensors: metadata format is "hrm", expected "hrm-golden-fixture"/,
    );
  });

  it('rejects an unknown version', () => {
    const bytes = buildFixture((_, metadata) => {
      metadata.version = '2';
    });
    expect(() => readGoldenFixture(bytes, 'f.safetensors')).toThrow(
      /fixture version "2" is not supported \(this reader reads version 1\); regenerate/,
    );
  });

  it('rejects an unknown mode', () => {
    const bytes = buildFixture((_, metadata) => {
      metadata.mode = 'float16';
    });
    expect(() => readGoldenFixture(bytes, 'f')).toThrow(/metadata mode is "float16"/);
  });

  it('rejects a bad config or count', () => {
    const badConfig = buildFixture((_, metadata) => {
      metadata.hrm_config = '{hidden_size:';
    });
    expect(() => readGoldenFixture(badConfig, 'f')).toThrow(/hrm_config is not valid JSON/);
    const badCount = buildFixture((_, metadata) => {
      metadata.segments = '0';
    });
    expect(() => readGoldenFixture(badCount, 'f')).toThrow(
      /metadata segments is "0"; it must be a positive integer/,
    );
  });

  it('names a missing stage', () => {
    const bytes = buildFixture((tensors) => {
      tensors.delete('p0.s0.h1.l0.z_L');
    });
    expect(() => readGoldenFixture(bytes, 'f')).toThrow(
      /tensor p0.s0.h1.l0.z_L is missing \(expected float32 \[10, 32\]\)/,
    );
  });

  it('names a wrong shape or dtype', () => {
    const wrongShape = buildFixture((tensors) => {
      tensors.set('p0.embedding', floats([9, 32]));
    });
    expect(() => readGoldenFixture(wrongShape, 'f')).toThrow(
      /tensor p0.embedding has shape \[9, 32\], expected \[10, 32\]/,
    );
    const wrongDtype = buildFixture((tensors) => {
      tensors.set('p0.inputs', floats([9]));
    });
    expect(() => readGoldenFixture(wrongDtype, 'f')).toThrow(
      /tensor p0.inputs has dtype float32, expected int32/,
    );
  });
});
