import { describe, expect, test } from 'vitest';
import { ModelLoadError } from '../../../src/model/errors';
import { readSafetensors, writeSafetensors } from '../../../src/model/safetensors';
import type { HostTensor } from '../../../src/model/tensor';
import { fixtureBytes, thrownBy } from './fixtures';

/** Builds a safetensors file from a raw header object and a data section. */
function rawFile(header: unknown, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const file = new Uint8Array(8 + json.length + data.length);
  new DataView(file.buffer).setBigUint64(0, BigInt(json.length), true);
  file.set(json, 8);
  file.set(data, 8 + json.length);
  return file;
}

function messageOf(bytes: Uint8Array): string {
  const error = thrownBy(() => readSafetensors(bytes, 'bad.safetensors'));
  expect(error).toBeInstanceOf(ModelLoadError);
  return error.message;
}

describe('writeSafetensors and readSafetensors', () => {
  test('round trip keeps every dtype', () => {
    const tensors = new Map<string, HostTensor>([
      ['f32', { dtype: 'float32', shape: [2, 2], data: new Float32Array([1, -2, 3.5, 1e-8]) }],
      ['bf16', { dtype: 'bfloat16', shape: [3], data: new Uint16Array([0x3f80, 0xc040, 0x7f80]) }],
      ['f16', { dtype: 'float16', shape: [1], data: new Uint16Array([0x3c00]) }],
      ['i32', { dtype: 'int32', shape: [2], data: new Int32Array([-7, 2 ** 30]) }],
      ['i64', { dtype: 'int64', shape: [2], data: new BigInt64Array([-1n, 2n ** 40n]) }],
      ['u8', { dtype: 'uint8', shape: [3], data: new Uint8Array([0, 128, 255]) }],
      ['scalar', { dtype: 'float32', shape: [], data: new Float32Array([4]) }],
      ['empty', { dtype: 'float32', shape: [0, 3], data: new Float32Array(0) }],
    ]);
    const file = writeSafetensors(tensors, { format: 'hrm', note: 'ünïcode' });
    const { metadata, tensors: read } = readSafetensors(file, 'round-trip.safetensors');

    expect(metadata).toEqual({ format: 'hrm', note: 'ünïcode' });
    expect([...read.keys()].sort()).toEqual([...tensors.keys()].sort());
    for (const [name, tensor] of tensors) {
      const copy = read.get(name) as HostTensor;
      expect(copy.dtype, name).toBe(tensor.dtype);
      expect(copy.shape, name).toEqual(tensor.shape);
      expect(Array.from(copy.data as ArrayLike<number | bigint>), name).toEqual(
        Array.from(tensor.data as ArrayLike<number | bigint>),
      );
    }
  });

  test('header is padded to 8 bytes', () => {
    const tensors = new Map<string, HostTensor>([
      ['a', { dtype: 'int64', shape: [1], data: new BigInt64Array([5n]) }],
    ]);
    const file = writeSafetensors(tensors);
    const headerLength = Number(new DataView(file.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
  });

  test('write rejects data that disagrees with the shape', () => {
    const tensors = new Map<string, HostTensor>([
      ['a', { dtype: 'float32', shape: [3], data: new Float32Array(2) }],
    ]);
    expect(() => writeSafetensors(tensors)).toThrow(/tensor a has shape \[3\].*holds 8 bytes/);
  });

  test('unaligned data is copied into an aligned array', () => {
    // A 1-byte tensor first puts the float32 tensor at an odd offset.
    const data = new Uint8Array(5);
    data[0] = 9;
    new DataView(data.buffer).setFloat32(1, 1.5, true);
    const header = {
      u: { dtype: 'U8', shape: [1], data_offsets: [0, 1] },
      f: { dtype: 'F32', shape: [1], data_offsets: [1, 5] },
    };
    const { tensors } = readSafetensors(rawFile(header, data), 'unaligned.safetensors');
    expect(Array.from(tensors.get('f')?.data as Float32Array)).toEqual([1.5]);
    expect(Array.from(tensors.get('u')?.data as Uint8Array)).toEqual([9]);
  });

  test('reads the single-file fixture', () => {
    const { metadata, tensors } = readSafetensors(
      fixtureBytes('single/model.safetensors'),
      'model.safetensors',
    );
    expect(metadata.format).toBe('hrm');
    expect(JSON.parse(metadata.hrm_config).hidden_size).toBe(16);
    expect(tensors.get('model.inner.lm_head.weight')?.shape).toEqual([11, 16]);
    expect(tensors.get('model.inner.H_init')?.dtype).toBe('bfloat16');
  });
});

describe('readSafetensors rejects bad files', () => {
  test('file shorter than the length field', () => {
    expect(messageOf(new Uint8Array(5))).toMatch(/^bad\.safetensors: file is 5 bytes long/);
  });

  test('header length past the end', () => {
    const file = rawFile({});
    new DataView(file.buffer).setBigUint64(0, 1000n, true);
    expect(messageOf(file)).toMatch(/header length 1000 exceeds the 2 bytes/);
  });

  test('header that is not JSON', () => {
    const file = rawFile({});
    file.set(new TextEncoder().encode('{x'), 8);
    expect(messageOf(file)).toMatch(/header is not valid UTF-8 JSON/);
  });

  test('header that is a JSON array', () => {
    expect(messageOf(rawFile([1, 2]))).toMatch(/header must be a JSON object/);
  });

  test('unknown dtype', () => {
    const header = { w: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } };
    const message = messageOf(rawFile(header, new Uint8Array(1)));
    expect(message).toMatch(/tensor w has dtype "F8_E4M3", which is not supported/);
    expect(message).toMatch(/F32, BF16, F16, I32, I64, U8/);
  });

  test('float64 dtype', () => {
    const header = { w: { dtype: 'F64', shape: [1], data_offsets: [0, 8] } };
    expect(messageOf(rawFile(header, new Uint8Array(8)))).toMatch(/tensor w has dtype "F64"/);
  });

  test('negative or fractional shape', () => {
    const header = { w: { dtype: 'F32', shape: [-1, 2], data_offsets: [0, 0] } };
    expect(messageOf(rawFile(header))).toMatch(/tensor w has shape \[-1,2\]/);
    const fractional = { w: { dtype: 'F32', shape: [1.5], data_offsets: [0, 0] } };
    expect(messageOf(rawFile(fractional))).toMatch(/tensor w has shape \[1\.5\]/);
  });

  test('offsets reversed', () => {
    const header = { w: { dtype: 'U8', shape: [1], data_offsets: [1, 0] } };
    expect(messageOf(rawFile(header, new Uint8Array(1)))).toMatch(/data_offsets \[1,0\]/);
  });

  test('offsets past the data', () => {
    const header = { w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } };
    expect(messageOf(rawFile(header, new Uint8Array(8)))).toMatch(
      /tensor w has data_offsets \[0, 16\] past the end of the data \(8 bytes\)/,
    );
  });

  test('byte span that disagrees with the shape', () => {
    const header = { w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } };
    expect(messageOf(rawFile(header, new Uint8Array(8)))).toMatch(
      /tensor w \(F32 \[3\]\) needs 12 bytes, but its data_offsets \[0, 8\] span 8/,
    );
  });

  test('overlapping tensors', () => {
    const header = {
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
    };
    expect(messageOf(rawFile(header, new Uint8Array(8)))).toMatch(
      /tensor b starts at data offset 4, inside tensor a/,
    );
  });

  test('hole between tensors', () => {
    const header = {
      a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
      b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
    };
    expect(messageOf(rawFile(header, new Uint8Array(12)))).toMatch(
      /bytes 4\.\.8 of the data belong to no tensor/,
    );
  });

  test('trailing bytes after the last tensor', () => {
    const header = { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } };
    expect(messageOf(rawFile(header, new Uint8Array(6)))).toMatch(
      /data is 6 bytes long but the tensors cover only 4/,
    );
  });

  test('metadata value that is not a string', () => {
    const header = { __metadata__: { hrm_config: { hidden_size: 16 } } };
    expect(messageOf(rawFile(header))).toMatch(
      /__metadata__ value of "hrm_config" is \{"hidden_size":16\}/,
    );
  });

  test('truncated fixture', () => {
    const bytes = fixtureBytes('single/model.safetensors');
    expect(messageOf(bytes.subarray(0, bytes.length - 100))).toMatch(/past the end of the data/);
  });
});
