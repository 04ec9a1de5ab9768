import { unzipSync, zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { ModelLoadError } from '../../../src/model/errors';
import { PickleCallable, unpickle } from '../../../src/model/pickle';
import type { HostTensor } from '../../../src/model/tensor';
import { readTorchCheckpoint } from '../../../src/model/torch-checkpoint';
import { fixtureBytes, thrownBy } from './fixtures';

function values(tensor: HostTensor | undefined): (number | bigint)[] {
  return Array.from((tensor?.data ?? []) as ArrayLike<number | bigint>);
}

function checkpointError(bytes: Uint8Array, name = 'checkpoint'): string {
  const error = thrownBy(() => readTorchCheckpoint(bytes, name));
  expect(error).toBeInstanceOf(ModelLoadError);
  return error.message;
}

/** Checks the tensors that scripts/make-loader-fixtures.py saves in checkpoints/offsets.pt. */
function expectOffsetsFixture(tensors: Map<string, HostTensor>): void {
  expect([...tensors.keys()]).toEqual([
    'row',
    'whole',
    'scalar',
    'steps',
    'half',
    'bf16',
    'ids',
    'mask',
  ]);

  const row = tensors.get('row');
  expect(row?.shape).toEqual([2, 3]);
  expect(values(row)).toEqual([6, 7, 8, 9, 10, 11]);
  expect(tensors.get('whole')?.shape).toEqual([4, 6]);
  expect(values(tensors.get('whole'))).toEqual(Array.from({ length: 24 }, (_, i) => i));

  expect(tensors.get('scalar')?.shape).toEqual([]);
  expect(values(tensors.get('scalar'))).toEqual([2.5]);
  expect(tensors.get('steps')?.dtype).toBe('int64');
  expect(values(tensors.get('steps'))).toEqual([1n, -2n, 3n]);
  expect(tensors.get('half')?.dtype).toBe('float16');
  expect(values(tensors.get('half'))).toEqual([0x3c00, 0xb800, 0x7bff]);
  expect(tensors.get('bf16')?.dtype).toBe('bfloat16');
  expect(values(tensors.get('bf16'))).toEqual([0x3f80, 0xc040, 0x3e20]);
  expect(values(tensors.get('ids'))).toEqual([7, 8]);
  expect(tensors.get('mask')?.dtype).toBe('uint8');
  expect(values(tensors.get('mask'))).toEqual([0, 1, 255]);
}

describe('readTorchCheckpoint', () => {
  test('reads offsets, shared storages and every dtype', () => {
    expectOffsetsFixture(readTorchCheckpoint(fixtureBytes('checkpoints/offsets.pt'), 'offsets.pt'));
  });

  test('reads the PyTorch 2.x archive layout', () => {
    const bytes = fixtureBytes('checkpoints/torch2-layout.pt');
    const names = Object.keys(unzipSync(bytes));
    expect(names).toContain('archive/byteorder');
    expect(names).toContain('archive/.data/serialization_id');
    expectOffsetsFixture(readTorchCheckpoint(bytes, 'torch2-layout.pt'));
  });

  test('reads ZIP64 records', () => {
    const bytes = fixtureBytes('checkpoints/zip64.pt');
    // The ZIP64 end-of-central-directory locator signature, PK\x06\x07.
    expect(Buffer.from(bytes).includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(true);
    expectOffsetsFixture(readTorchCheckpoint(bytes, 'zip64.pt'));
  });

  test('reads pickle protocol 4', () => {
    expectOffsetsFixture(
      readTorchCheckpoint(fixtureBytes('checkpoints/protocol4.pt'), 'protocol4.pt'),
    );
  });

  test('reads deflated entries under another top folder', () => {
    const entries = unzipSync(fixtureBytes('checkpoints/offsets.pt'));
    const renamed: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
    for (const [name, data] of Object.entries(entries)) {
      renamed[name.replace(/^offsets\//, 'my run/')] = [data, { level: 6 }];
    }
    expectOffsetsFixture(readTorchCheckpoint(zipSync(renamed), 'deflated.pt'));
  });

  test('reads the authors-format fixture with prefixed keys', () => {
    const tensors = readTorchCheckpoint(fixtureBytes('authors/checkpoint'), 'checkpoint');
    expect(tensors.get('_orig_mod.model.inner.H_init')?.dtype).toBe('bfloat16');
    expect(tensors.get('_orig_mod.model.inner.lm_head.weight')?.shape).toEqual([11, 16]);
    expect(tensors.get('_orig_mod.model.inner.lm_head.weight')?.dtype).toBe('float32');
  });
});

describe('readTorchCheckpoint rejects bad files', () => {
  test('forbidden global os.system', () => {
    const message = checkpointError(fixtureBytes('checkpoints/forbidden-global.pt'), 'evil.pt');
    expect(message).toMatch(/^evil\.pt: pickle global posix\.system is not allowed/);
  });

  test('non-contiguous tensor', () => {
    expect(checkpointError(fixtureBytes('checkpoints/non-contiguous.pt'))).toMatch(
      /tensor transposed has shape \[6, 4\] with strides \[1, 6\], which is not contiguous/,
    );
  });

  test('unsupported storage dtype', () => {
    expect(checkpointError(fixtureBytes('checkpoints/float64.pt'))).toMatch(
      /tensor weight is stored as torch\.DoubleStorage, which is not supported/,
    );
  });

  test('truncated archive', () => {
    const bytes = fixtureBytes('authors/checkpoint');
    expect(checkpointError(bytes.subarray(0, bytes.length / 2))).toMatch(
      /no zip end-of-central-directory record/,
    );
  });

  test('archive cut inside the central directory', () => {
    const bytes = fixtureBytes('checkpoints/offsets.pt');
    // Keep the end record but drop bytes before it, so the directory offsets point past the end.
    const end = bytes.length - 22;
    const damaged = new Uint8Array(bytes.length - 200);
    damaged.set(bytes.subarray(0, end - 200));
    damaged.set(bytes.subarray(end), end - 200);
    expect(checkpointError(damaged)).toMatch(/central directory|local header|truncated|damaged/);
  });

  test('file that is not a zip archive', () => {
    expect(checkpointError(fixtureBytes('single/model.safetensors'))).toMatch(/not a zip archive/);
  });

  test('missing storage entry', () => {
    // Renaming data/0 in both zip headers leaves the pickle pointing at a storage that is gone.
    const bytes = fixtureBytes('checkpoints/offsets.pt').slice();
    const from = new TextEncoder().encode('offsets/data/0');
    for (let i = 0; i + from.length <= bytes.length; i++) {
      if (from.every((byte, j) => bytes[i + j] === byte))
        bytes[i + from.length - 1] = 'Z'.charCodeAt(0);
    }
    expect(checkpointError(bytes)).toMatch(/tensor row: storage entry offsets\/data\/0 is missing/);
  });

  test('archive without data.pkl', () => {
    const archive = zipSync({ 'a/version': new TextEncoder().encode('3\n') });
    expect(checkpointError(archive)).toMatch(/holds 0 <folder>\/data\.pkl entries/);
  });

  test('big-endian byte order', () => {
    const entries = unzipSync(fixtureBytes('checkpoints/torch2-layout.pt'));
    entries['archive/byteorder'] = new TextEncoder().encode('big');
    expect(checkpointError(zipSync(entries))).toMatch(/byteorder is "big"/);
  });

  test('pickle that is not a dict', () => {
    // PROTO 2, EMPTY_LIST, STOP
    const archive = zipSync({ 'a/data.pkl': new Uint8Array([0x80, 2, 0x5d, 0x2e]) });
    expect(checkpointError(archive)).toMatch(/does not hold a dict of tensors/);
  });
});

/** Encodes a pickle from opcode bytes and strings (written as raw Latin-1 bytes). */
function pickleOf(...parts: (number | string)[]): Uint8Array {
  const bytes: number[] = [];
  for (const part of parts) {
    if (typeof part === 'number') bytes.push(part);
    else for (const char of part) bytes.push(char.charCodeAt(0));
  }
  return new Uint8Array(bytes);
}

const noGlobals = {
  resolveGlobal: (module: string, name: string): unknown => {
    throw new ModelLoadError('test.pkl', `global ${module}.${name} is not allowed`);
  },
  persistentLoad: (id: unknown) => ({ persistent: id }),
  build: () => {
    throw new ModelLoadError('test.pkl', 'BUILD is not allowed');
  },
};

function pickleError(bytes: Uint8Array, options = noGlobals): string {
  const error = thrownBy(() => unpickle(bytes, 'test.pkl', options));
  expect(error).toBeInstanceOf(ModelLoadError);
  return error.message;
}

describe('unpickle', () => {
  test('reads numbers, strings, tuples and memo', () => {
    const opcodes: (number | string)[][] = [
      [0x80, 2], // PROTO 2
      [0x28], // MARK
      [0x4b, 7], // BININT1 7
      [0x4d, 0x34, 0x12], // BININT2 0x1234
      [0x4a, 0xff, 0xff, 0xff, 0xff], // BININT -1
      [0x8a, 2, 0x00, 0x80], // LONG1 -32768
      [0x47, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0], // BINFLOAT 1.5
      [0x58, 3, 0, 0, 0, 'abc'], // BINUNICODE 'abc'
      [0x71, 0], // BINPUT 0
      [0x68, 0], // BINGET 0
      [0x4e, 0x88, 0x89], // NONE, NEWTRUE, NEWFALSE
      [0x74], // TUPLE
      [0x2e], // STOP
    ];
    const bytes = pickleOf(...opcodes.flat());
    expect(unpickle(bytes, 'test.pkl', noGlobals)).toEqual([
      7,
      0x1234,
      -1,
      -32768,
      1.5,
      'abc',
      'abc',
      null,
      true,
      false,
    ]);
  });

  test('calls only resolved callables', () => {
    const options = {
      ...noGlobals,
      resolveGlobal: (module: string, name: string) =>
        new PickleCallable(`${module}.${name}`, (args) => `called with ${args.length}`),
    };
    const bytes = pickleOf(0x80, 2, 0x63, 'collections\nOrderedDict\n', 0x29, 0x52, 0x2e);
    expect(unpickle(bytes, 'test.pkl', options)).toBe('called with 0');
  });

  test('GLOBAL goes through the resolver', () => {
    const bytes = pickleOf(0x80, 2, 0x63, 'builtins\neval\n', 0x2e);
    expect(pickleError(bytes)).toMatch(/global builtins\.eval is not allowed/);
  });

  test('STACK_GLOBAL goes through the resolver', () => {
    const bytes = pickleOf(0x80, 4, 0x8c, 2, 'os', 0x8c, 6, 'system', 0x93, 0x2e);
    expect(pickleError(bytes)).toMatch(/global os\.system is not allowed/);
  });

  test('REDUCE on a value that is not callable', () => {
    const bytes = pickleOf(0x80, 2, 0x29, 0x29, 0x52, 0x2e);
    expect(pickleError(bytes)).toMatch(
      /REDUCE on a value that is not an allowed callable \(at byte 4\)/,
    );
  });

  test('rejected opcodes name themselves', () => {
    expect(pickleError(pickleOf(0x80, 2, 0x69, 'os\nsystem\n', 0x2e))).toMatch(
      /opcode INST \(0x69\) is not allowed/,
    );
    expect(pickleError(pickleOf(0x80, 2, 0x81, 0x2e))).toMatch(
      /opcode NEWOBJ \(0x81\) is not allowed/,
    );
    expect(pickleError(pickleOf(0x80, 2, 0x6f, 0x2e))).toMatch(/opcode OBJ \(0x6f\)/);
    expect(pickleError(pickleOf(0x80, 2, 0xff, 0x2e))).toMatch(/opcode unknown \(0xff\)/);
  });

  test('protocol 5 is rejected', () => {
    expect(pickleError(pickleOf(0x80, 5, 0x4e, 0x2e))).toMatch(/protocol 5 is not supported/);
  });

  test('truncated data', () => {
    expect(pickleError(pickleOf(0x80, 2, 0x58, 100, 0, 0, 0, 'ab'))).toMatch(
      /data ends after 9 bytes/,
    );
    expect(pickleError(pickleOf(0x80, 2, 0x4e))).toMatch(/data ends after 3 bytes/);
  });

  test('memo index never stored', () => {
    expect(pickleError(pickleOf(0x80, 2, 0x68, 9, 0x2e))).toMatch(/memo index 9 was never stored/);
  });

  test('APPEND to a tuple', () => {
    expect(pickleError(pickleOf(0x80, 2, 0x29, 0x4e, 0x61, 0x2e))).toMatch(
      /APPEND on a value that is not a list/,
    );
  });

  test('BUILD goes through the build hook', () => {
    expect(pickleError(pickleOf(0x80, 2, 0x7d, 0x7d, 0x62, 0x2e))).toMatch(/BUILD is not allowed/);
  });
});
