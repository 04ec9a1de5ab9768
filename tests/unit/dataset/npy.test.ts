import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../../src/dataset/npy.ts';

const folder = mkdtempSync(join(tmpdir(), 'npy-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function loadWithNumpy(bytes: Uint8Array): { dtype: string; shape: number[]; values: unknown } {
  const path = join(folder, 'array.npy');
  writeFileSync(path, bytes);
  const script =
    'import json, sys, numpy as np\n' +
    'a = np.load(sys.argv[1])\n' +
    'print(json.dumps({"dtype": str(a.dtype), "shape": list(a.shape), "values": a.tolist()}))';

  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, path], { encoding: 'utf8' }));
}

describe('encodeNpy', () => {
  it('writes uint8 matrices numpy reads', () => {
    const loaded = loadWithNumpy(encodeNpy(Uint8Array.from([1, 2, 3, 4, 5, 255]), [2, 3]));

    expect(loaded.dtype).toBe('uint8');
    expect(loaded.shape).toEqual([2, 3]);
    expect(loaded.values).toEqual([
      [1, 2, 3],
      [4, 5, 255],
    ]);
  });

  it('writes little-endian int32 vectors', () => {
    const loaded = loadWithNumpy(encodeNpy(Int32Array.from([0, -1, 2 ** 31 - 1, 70000]), [4]));

    expect(loaded.dtype).toBe('int32');
    expect(loaded.shape).toEqual([4]);
    expect(loaded.values).toEqual([0, -1, 2 ** 31 - 1, 70000]);
  });

  it('writes empty arrays', () => {
    const loaded = loadWithNumpy(encodeNpy(new Uint8Array(0), [0, 81]));

    expect(loaded.shape).toEqual([0, 81]);
  });

  it('aligns data to 64 bytes', () => {
    const bytes = encodeNpy(new Int32Array(3), [3]);
    const headerLength = bytes[8] | (bytes[9] << 8);

    expect((10 + headerLength) % 64).toBe(0);
    expect(bytes[10 + headerLength - 1]).toBe(0x0a);
    expect(bytes.length).toBe(10 + headerLength + 12);
  });

  it('rejects a shape that does not match the data', () => {
    expect(() => encodeNpy(new Uint8Array(10), [3, 3])).toThrow(
      'invalid .npy shape [3, 3] for 10 elements',
    );
  });
});
