// Reader for state_dicts saved by torch.save (PyTorch 1.6 and later): a zip archive holding
// `<top>/data.pkl`, a protocol-2 pickle of an OrderedDict of tensors, and one raw little-endian
// storage per tensor under `<top>/data/<key>`. Only the globals a state_dict needs are allowed.

import { ModelLoadError } from './errors';
import { PickleCallable, unpickle } from './pickle';
import { DTYPE_BYTES, type DType, formatShape, type HostTensor, numel, viewAs } from './tensor';
import { isZip, readZip, type ZipArchive } from './zip';

/** torch.<Name>Storage classes and the dtypes they hold; null marks dtypes we cannot hold. */
const STORAGE_DTYPES: Readonly<Record<string, DType | null>> = {
  FloatStorage: 'float32',
  BFloat16Storage: 'bfloat16',
  HalfStorage: 'float16',
  IntStorage: 'int32',
  LongStorage: 'int64',
  ByteStorage: 'uint8',
  DoubleStorage: null,
  ShortStorage: null,
  CharStorage: null,
  BoolStorage: null,
  ComplexFloatStorage: null,
  ComplexDoubleStorage: null,
};

interface StorageType {
  name: string;
  dtype: DType | null;
}

interface StorageRef {
  type: StorageType;
  key: string;
  /** Length in elements. */
  numel: number;
}

/** A tensor as the pickle describes it; its bytes are read once the key is known. */
interface TensorRef {
  storage: StorageRef;
  offset: number;
  shape: number[];
  stride: number[];
}

function isIntegerTuple(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => Number.isSafeInteger(item) && item >= 0);
}

/**
 * Reads a torch.save'd state_dict. Returns the tensors under their keys as saved (prefixes
 * such as `_orig_mod.` kept). Throws ModelLoadError naming `fileName` for a file that is not a
 * zip checkpoint, a pickle with a forbidden global or opcode, an unsupported storage dtype, a
 * non-contiguous tensor or storage bytes that are missing or too short.
 */
export function readTorchCheckpoint(bytes: Uint8Array, fileName: string): Map<string, HostTensor> {
  if (!isZip(bytes)) {
    throw new ModelLoadError(
      fileName,
      'not a zip archive, so not a checkpoint written by torch.save in PyTorch 1.6 or later; ' +
        're-save it with torch.save(state_dict, path) in a current PyTorch',
    );
  }
  const archive = readZip(bytes, fileName);
  const top = findTopFolder(archive, fileName);

  const byteOrder = archive.entries.get(`${top}/byteorder`);
  if (byteOrder !== undefined) {
    const order = new TextDecoder().decode(archive.read(byteOrder)).trim();
    if (order !== 'little') {
      throw new ModelLoadError(
        fileName,
        `byteorder is "${order}"; only little-endian checkpoints are supported`,
      );
    }
  }

  const pickleEntry = archive.entries.get(`${top}/data.pkl`);
  if (pickleEntry === undefined) throw new Error('unreachable: findTopFolder found data.pkl');
  const root = unpickle(archive.read(pickleEntry), `${fileName} (${top}/data.pkl)`, {
    resolveGlobal: (module, name) => resolveStateDictGlobal(module, name, fileName),
    persistentLoad: (id) => parseStorageId(id, fileName),
    build: (target, _state) => {
      // OrderedDict state is the `_metadata` attribute (module versions), which we do not need.
      if (!(target instanceof Map)) {
        throw new ModelLoadError(fileName, 'pickle BUILD on a value that is not an OrderedDict');
      }
    },
  });

  if (!(root instanceof Map)) {
    throw new ModelLoadError(
      fileName,
      'the pickle does not hold a dict of tensors; save model.state_dict(), not the model or a training state',
    );
  }

  const tensors = new Map<string, HostTensor>();
  for (const [key, value] of root) {
    if (typeof key !== 'string') {
      throw new ModelLoadError(fileName, `state_dict key ${String(key)} is not a string`);
    }
    if (!isTensorRef(value)) {
      throw new ModelLoadError(fileName, `state_dict entry ${key} is not a tensor`);
    }
    tensors.set(key, materialize(key, value, archive, top, fileName));
  }
  return tensors;
}

/** Finds the one top folder that contains data.pkl, named after the file at save time. */
function findTopFolder(archive: ZipArchive, fileName: string): string {
  const tops = [...archive.entries.keys()]
    .filter((name) => /^[^/]+\/data\.pkl$/.test(name))
    .map((name) => name.slice(0, -'/data.pkl'.length));
  if (tops.length !== 1) {
    throw new ModelLoadError(
      fileName,
      `zip archive holds ${tops.length} <folder>/data.pkl entries, but a torch.save checkpoint ` +
        'holds exactly one; pick the checkpoint file itself',
    );
  }
  return tops[0];
}

function resolveStateDictGlobal(module: string, name: string, fileName: string): unknown {
  const qualifiedName = `${module}.${name}`;
  if (qualifiedName === 'collections.OrderedDict') {
    return new PickleCallable(qualifiedName, (args) => {
      // OrderedDict() or OrderedDict([(key, value), ...]).
      const map = new Map<unknown, unknown>();
      const pairs = args[0];
      if (Array.isArray(pairs)) {
        for (const pair of pairs) if (Array.isArray(pair)) map.set(pair[0], pair[1]);
      }
      return map;
    });
  }
  if (qualifiedName === 'torch._utils._rebuild_tensor_v2') {
    return new PickleCallable(qualifiedName, (args) => rebuildTensor(args, fileName));
  }
  if (module === 'torch' && name in STORAGE_DTYPES) {
    return { name, dtype: STORAGE_DTYPES[name] } satisfies StorageType;
  }
  throw new ModelLoadError(
    fileName,
    `pickle global ${qualifiedName} is not allowed: a state_dict needs only ` +
      'collections.OrderedDict, torch._utils._rebuild_tensor_v2 and torch.*Storage. The file ' +
      'may run code when opened with torch.load, so do not open it in Python either',
  );
}

function isStorageType(value: unknown): value is StorageType {
  return typeof value === 'object' && value !== null && 'name' in value && 'dtype' in value;
}

/** Parses the persistent id ('storage', torch.<Type>Storage, key, location, numel). */
function parseStorageId(id: unknown, fileName: string): StorageRef {
  if (
    Array.isArray(id) &&
    id.length === 5 &&
    id[0] === 'storage' &&
    isStorageType(id[1]) &&
    typeof id[2] === 'string' &&
    Number.isSafeInteger(id[4])
  ) {
    return { type: id[1], key: id[2], numel: id[4] };
  }
  throw new ModelLoadError(
    fileName,
    `pickle persistent id ${JSON.stringify(id)} is not a ('storage', type, key, location, numel) tuple`,
  );
}

function rebuildTensor(args: readonly unknown[], fileName: string): TensorRef {
  // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
  const [storage, offset, shape, stride] = args;
  if (
    args.length < 4 ||
    typeof storage !== 'object' ||
    storage === null ||
    !('key' in storage) ||
    !Number.isSafeInteger(offset) ||
    (offset as number) < 0 ||
    !isIntegerTuple(shape) ||
    !isIntegerTuple(stride) ||
    shape.length !== stride.length
  ) {
    throw new ModelLoadError(fileName, 'pickle calls _rebuild_tensor_v2 with invalid arguments');
  }
  return {
    storage: storage as StorageRef,
    offset: offset as number,
    shape: [...shape],
    stride: [...stride],
  };
}

function isTensorRef(value: unknown): value is TensorRef {
  return typeof value === 'object' && value !== null && 'storage' in value && 'stride' in value;
}

/** Row-major strides of a shape; dimensions of size 1 may have any stride, as in PyTorch. */
function isContiguous(shape: number[], stride: number[]): boolean {
  let expected = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    if (shape[axis] !== 1 && stride[axis] !== expected) return false;
    expected *= shape[axis];
  }
  return true;
}

function materialize(
  key: string,
  tensor: TensorRef,
  archive: ZipArchive,
  top: string,
  fileName: string,
): HostTensor {
  const { storage, offset, shape, stride } = tensor;
  const where = `tensor ${key}`;
  const dtype = storage.type.dtype;
  if (dtype === null) {
    throw new ModelLoadError(
      fileName,
      `${where} is stored as torch.${storage.type.name}, which is not supported; convert it ` +
        'to float32 (or bfloat16) before saving',
    );
  }

  const count = numel(shape);
  if (count > 0 && !isContiguous(shape, stride)) {
    throw new ModelLoadError(
      fileName,
      `${where} has shape ${formatShape(shape)} with strides ${formatShape(stride)}, which is not ` +
        'contiguous; save tensor.contiguous() instead',
    );
  }
  if (offset + count > storage.numel) {
    throw new ModelLoadError(
      fileName,
      `${where} needs elements ${offset}..${offset + count} of storage ${storage.key}, which ` +
        `holds ${storage.numel}`,
    );
  }

  const entryName = `${top}/data/${storage.key}`;
  const entry = archive.entries.get(entryName);
  if (entry === undefined) {
    throw new ModelLoadError(
      fileName,
      `${where}: storage entry ${entryName} is missing; the file is damaged`,
    );
  }
  const elementBytes = DTYPE_BYTES[dtype];
  if (entry.size < storage.numel * elementBytes) {
    throw new ModelLoadError(
      fileName,
      `${where}: storage ${entryName} is ${entry.size} bytes, but ${storage.numel} elements of ` +
        `${dtype} need ${storage.numel * elementBytes}; the file is damaged`,
    );
  }
  const storageBytes = archive.read(entry);
  const data = viewAs(dtype, storageBytes, offset * elementBytes, count * elementBytes);
  return { dtype, shape, data };
}
