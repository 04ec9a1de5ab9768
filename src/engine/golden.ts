// Reader for golden fixtures: intermediate tensors of the PyTorch forward pass, written by the
// training toolchain, against which every backend checks itself stage by stage.
//
// A fixture is one safetensors file per (model, numeric mode) whose `__metadata__` contains
// format = hrm-golden-fixture, version = 1, mode, model (the weights file, relative to the
// repository root), hrm_config (JSON), puzzles and segments (counts). For puzzle i, segment s,
// H cycle h and L step l it stores, all float32 unless noted (bfloat16 values widened in
// bfloat16 mode):
//   p{i}.inputs            int32 [seq_len]
//   p{i}.puzzle_identifier int32 [1]
//   p{i}.embedding         [positions, hidden_size]   scaled input embedding, prefix included
//   p{i}.s{s}.h{h}.l{l}.z_L [positions, hidden_size]   z_L after that L update
//   p{i}.s{s}.h{h}.z_H     [positions, hidden_size]   z_H after the H update of that cycle
//   p{i}.s{s}.logits       [seq_len, vocab_size]
//   p{i}.s{s}.q            [2]                        (q_halt, q_continue)
// Segment 0 starts from H_init/L_init and the carry passes unchanged between segments.

import { deriveDims, type HrmConfig } from '../model/config';
import { readSafetensors } from '../model/safetensors';
import { formatShape, type HostTensor } from '../model/tensor';
import type { NumericMode } from './types';

export const GOLDEN_FORMAT = 'hrm-golden-fixture';
export const GOLDEN_VERSION = '1';

export interface GoldenCycle {
  /** z_L after each L update of the cycle, L_cycles entries of [positions, hidden_size]. */
  z_L: Float32Array[];
  /** z_H after the H update that ends the cycle. [positions, hidden_size] */
  z_H: Float32Array;
}

export interface GoldenSegment {
  /** H_cycles entries. */
  cycles: GoldenCycle[];
  /** [seq_len, vocab_size] */
  logits: Float32Array;
  q: { halt: number; continue: number };
}

export interface GoldenPuzzle {
  /** [seq_len] */
  inputs: Int32Array;
  puzzleIdentifier: number;
  /** [positions, hidden_size] */
  embedding: Float32Array;
  segments: GoldenSegment[];
}

export interface GoldenFixture {
  mode: NumericMode;
  /** Weights file the fixture was computed from, relative to the repository root. */
  modelPath: string;
  config: HrmConfig;
  puzzles: GoldenPuzzle[];
  segmentCount: number;
}

/** A golden fixture that cannot be read; the message names the file and the problem. */
export class GoldenFixtureError extends Error {
  constructor(fileName: string, message: string) {
    super(`${fileName}: ${message}`);
    this.name = 'GoldenFixtureError';
  }
}

/** Parses a golden fixture, checking its header and every tensor's dtype and shape. */
export function readGoldenFixture(bytes: Uint8Array, fileName: string): GoldenFixture {
  const { metadata, tensors } = readSafetensors(bytes, fileName);
  const fail = (message: string): never => {
    throw new GoldenFixtureError(fileName, message);
  };

  if (metadata.format !== GOLDEN_FORMAT) {
    fail(
      `metadata format is ${JSON.stringify(metadata.format)}, expected "${GOLDEN_FORMAT}"; ` +
        'this is not a golden fixture',
    );
  }
  if (metadata.version !== GOLDEN_VERSION) {
    fail(
      `fixture version ${JSON.stringify(metadata.version)} is not supported (this reader reads ` +
        `version ${GOLDEN_VERSION}); regenerate the fixture with the training toolchain`,
    );
  }
  const mode = metadata.mode;
  if (mode !== 'float32' && mode !== 'bfloat16') {
    return fail(`metadata mode is ${JSON.stringify(mode)}, expected "float32" or "bfloat16"`);
  }
  if (typeof metadata.model !== 'string' || metadata.model.length === 0) {
    fail('metadata model is missing; it must name the weights file the fixture was computed from');
  }

  let config: HrmConfig;
  try {
    config = JSON.parse(metadata.hrm_config ?? '') as HrmConfig;
  } catch (error) {
    return fail(`metadata hrm_config is not valid JSON (${(error as Error).message})`);
  }
  const puzzleCount = parseCount(metadata.puzzles, 'puzzles', fail);
  const segmentCount = parseCount(metadata.segments, 'segments', fail);

  const dims = deriveDims(config);
  const stateShape = [dims.positions, config.hidden_size];

  const take = (name: string, dtype: 'float32' | 'int32', shape: number[]): HostTensor => {
    const tensor = tensors.get(name);
    if (tensor === undefined) {
      return fail(`tensor ${name} is missing (expected ${dtype} ${formatShape(shape)})`);
    }
    if (tensor.dtype !== dtype) {
      fail(`tensor ${name} has dtype ${tensor.dtype}, expected ${dtype}`);
    }
    const sameShape =
      tensor.shape.length === shape.length && tensor.shape.every((size, i) => size === shape[i]);
    if (!sameShape) {
      fail(`tensor ${name} has shape ${formatShape(tensor.shape)}, expected ${formatShape(shape)}`);
    }
    return tensor;
  };
  const floats = (name: string, shape: number[]) =>
    take(name, 'float32', shape).data as Float32Array;

  const puzzles: GoldenPuzzle[] = [];
  for (let i = 0; i < puzzleCount; i++) {
    const segments: GoldenSegment[] = [];
    for (let s = 0; s < segmentCount; s++) {
      const cycles: GoldenCycle[] = [];
      for (let h = 0; h < config.H_cycles; h++) {
        const z_L: Float32Array[] = [];
        for (let l = 0; l < config.L_cycles; l++) {
          z_L.push(floats(`p${i}.s${s}.h${h}.l${l}.z_L`, stateShape));
        }
        cycles.push({ z_L, z_H: floats(`p${i}.s${s}.h${h}.z_H`, stateShape) });
      }
      const q = floats(`p${i}.s${s}.q`, [2]);
      segments.push({
        cycles,
        logits: floats(`p${i}.s${s}.logits`, [config.seq_len, config.vocab_size]),
        q: { halt: q[0], continue: q[1] },
      });
    }

    puzzles.push({
      inputs: take(`p${i}.inputs`, 'int32', [config.seq_len]).data as Int32Array,
      puzzleIdentifier: (take(`p${i}.puzzle_identifier`, 'int32', [1]).data as Int32Array)[0],
      embedding: floats(`p${i}.embedding`, stateShape),
      segments,
    });
  }

  return { mode, modelPath: metadata.model, config, puzzles, segmentCount };
}

function parseCount(value: string | undefined, key: string, fail: (message: string) => never) {
  const count = Number(value);
  if (value === undefined || !Number.isInteger(count) || count < 1) {
    fail(`metadata ${key} is ${JSON.stringify(value)}; it must be a positive integer`);
  }
  return count;
}
