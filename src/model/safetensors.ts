// Reader and writer for the safetensors format (https://github.com/huggingface/safetensors):
// an 8-byte little-endian header length N, N bytes of JSON header, then the tensor data. The
// header maps each tensor name to `{ dtype, shape, data_offsets: [begin, end] }`, with offsets
// relative to the start of the data, and may hold string metadata under `__metadata__`.

import { ModelLoadError } from './errors';
import { DTYPE_BYTES, type DType, formatShape, type HostTensor, numel, viewAs } from './tensor';

/** Safetensors dtype codes this reader supports, mapped to our dtypes. */
const SAFETENSORS_DTYPES: Readonly<Record<string, DType>> = {
  F32: 'float32',
  BF16: 'bfloat16',
  F16: 'float16',
  I32: 'int32',
  I64: 'int64',
  U8: 'uint8',
};

const DTYPE_CODES: Readonly<Record<DType, string>> = {
  float32: 'F32',
  bfloat16: 'BF16',
  float16: 'F16',
  int32: 'I32',
  int64: 'I64',
  uint8: 'U8',
};

/** Largest header the reader accepts, as in the Hugging Face reader (100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

export interface SafetensorsFile {
  metadata: Record<string, string>;
  tensors: Map<string, HostTensor>;
}

interface TensorEntry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Parses a safetensors file. Tensor data are views into `bytes` where the offsets are aligned
 * and copies where they are not. Throws ModelLoadError naming `fileName`, the tensor and the
 * problem for a bad header length, invalid JSON, an unsupported dtype, a bad shape, or offsets
 * that overlap, leave holes, run past the end or disagree with dtype and shape.
 */
export function readSafetensors(bytes: Uint8Array, fileName: string): SafetensorsFile {
  const dataStart = readHeaderLength(bytes, fileName) + 8;
  const header = parseHeaderJson(bytes.subarray(8, dataStart), fileName);
  const metadata = parseMetadata(header.__metadata__, fileName);
  const dataBytes = bytes.length - dataStart;

  const entries: TensorEntry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    entries.push(parseEntry(name, value, dataBytes, fileName));
  }
  checkCoverage(entries, dataBytes, fileName);

  const tensors = new Map<string, HostTensor>();
  for (const entry of entries) {
    const data = viewAs(entry.dtype, bytes, dataStart + entry.begin, entry.end - entry.begin);
    tensors.set(entry.name, { dtype: entry.dtype, shape: entry.shape, data });
  }
  return { metadata, tensors };
}

function readHeaderLength(bytes: Uint8Array, fileName: string): number {
  if (bytes.length < 8) {
    throw new ModelLoadError(
      fileName,
      `file is ${bytes.length} bytes long, shorter than the 8-byte safetensors header length; ` +
        'the file is truncated or not a safetensors file',
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(Math.min(MAX_HEADER_BYTES, bytes.length - 8))) {
    throw new ModelLoadError(
      fileName,
      `safetensors header length ${headerLength} exceeds the ${bytes.length - 8} bytes that ` +
        `follow it (limit ${MAX_HEADER_BYTES}); the file is truncated or not a safetensors file`,
    );
  }
  return Number(headerLength);
}

function parseHeaderJson(headerBytes: Uint8Array, fileName: string): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (error) {
    throw new ModelLoadError(
      fileName,
      `safetensors header is not valid UTF-8 JSON (${(error as Error).message}); ` +
        'the file is corrupt or not a safetensors file',
      { cause: error },
    );
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new ModelLoadError(fileName, 'safetensors header must be a JSON object');
  }
  return header as Record<string, unknown>;
}

function parseMetadata(value: unknown, fileName: string): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelLoadError(fileName, '__metadata__ must be an object of strings');
  }
  const metadata: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') {
      throw new ModelLoadError(
        fileName,
        `__metadata__ value of "${key}" is ${JSON.stringify(item)}, but safetensors metadata ` +
          'values must be strings; write nested values as JSON text',
      );
    }
    metadata[key] = item;
  }
  return metadata;
}

function parseEntry(
  name: string,
  value: unknown,
  dataBytes: number,
  fileName: string,
): TensorEntry {
  const where = `tensor ${name}`;
  if (typeof value !== 'object' || value === null) {
    throw new ModelLoadError(fileName, `${where}: header entry must be an object`);
  }
  const { dtype: code, shape, data_offsets: offsets } = value as Record<string, unknown>;

  const dtype = typeof code === 'string' ? SAFETENSORS_DTYPES[code] : undefined;
  if (dtype === undefined) {
    throw new ModelLoadError(
      fileName,
      `${where} has dtype ${JSON.stringify(code)}, which is not supported; supported dtypes are ` +
        `${Object.keys(SAFETENSORS_DTYPES).join(', ')}; convert the tensor to F32 or BF16`,
    );
  }

  if (!Array.isArray(shape) || !shape.every((size) => Number.isSafeInteger(size) && size >= 0)) {
    throw new ModelLoadError(
      fileName,
      `${where} has shape ${JSON.stringify(shape)}, but a shape must be a list of non-negative integers`,
    );
  }

  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((offset) => Number.isSafeInteger(offset) && offset >= 0) ||
    offsets[0] > offsets[1]
  ) {
    throw new ModelLoadError(
      fileName,
      `${where} has data_offsets ${JSON.stringify(offsets)}, but they must be [begin, end] ` +
        'with 0 <= begin <= end',
    );
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataBytes) {
    throw new ModelLoadError(
      fileName,
      `${where} has data_offsets [${begin}, ${end}] past the end of the data (${dataBytes} bytes); ` +
        'the file is truncated',
    );
  }

  const expectedBytes = numel(shape) * DTYPE_BYTES[dtype];
  if (end - begin !== expectedBytes) {
    throw new ModelLoadError(
      fileName,
      `${where} (${code} ${formatShape(shape)}) needs ${expectedBytes} bytes, but its ` +
        `data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  return { name, dtype, shape: [...shape], begin, end };
}

/** Rejects overlapping tensors and holes, as the format requires the data to be fully indexed. */
function checkCoverage(entries: TensorEntry[], dataBytes: number, fileName: string): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let position = 0;
  let previous = '';
  for (const entry of sorted) {
    if (entry.begin < position) {
      throw new ModelLoadError(
        fileName,
        `tensor ${entry.name} starts at data offset ${entry.begin}, inside tensor ${previous} ` +
          `(which ends at ${position}); tensors must not overlap`,
      );
    }
    if (entry.begin > position) {
      throw new ModelLoadError(
        fileName,
        `bytes ${position}..${entry.begin} of the data belong to no tensor (before tensor ` +
          `${entry.name}); the header does not describe the data`,
      );
    }
    position = entry.end;
    previous = entry.name;
  }
  if (position !== dataBytes) {
    throw new ModelLoadError(
      fileName,
      `the data is ${dataBytes} bytes long but the tensors cover only ${position}; the header ` +
        'does not describe the data',
    );
  }
}

/**
 * Serializes tensors (in map order) and string metadata into a safetensors file. The header is
 * padded with spaces to a multiple of 8 bytes so that every tensor of up to 8-byte elements
 * starts aligned when the file is read back.
 */
export function writeSafetensors(
  tensors: Map<string, HostTensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata !== undefined && Object.keys(metadata).length > 0) header.__metadata__ = metadata;

  // Tensors are laid out largest element first so each stays aligned to its element size.
  const order = [...tensors.entries()].sort(
    (a, b) => DTYPE_BYTES[b[1].dtype] - DTYPE_BYTES[a[1].dtype],
  );
  let dataBytes = 0;
  for (const [name, tensor] of order) {
    const byteLength = numel(tensor.shape) * DTYPE_BYTES[tensor.dtype];
    if (tensor.data.byteLength !== byteLength) {
      throw new RangeError(
        `writeSafetensors: tensor ${name} has shape ${formatShape(tensor.shape)} (${byteLength} ` +
          `bytes of ${tensor.dtype}) but its data holds ${tensor.data.byteLength} bytes`,
      );
    }
    header[name] = {
      dtype: DTYPE_CODES[tensor.dtype],
      shape: tensor.shape,
      data_offsets: [dataBytes, dataBytes + byteLength],
    };
    dataBytes += byteLength;
  }

  let headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const padding = (8 - (headerBytes.length % 8)) % 8;
  if (padding > 0) {
    headerBytes = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(padding));
  }

  const file = new Uint8Array(8 + headerBytes.length + dataBytes);
  new DataView(file.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  file.set(headerBytes, 8);
  let position = 8 + headerBytes.length;
  for (const [, tensor] of order) {
    const data = tensor.data;
    file.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), position);
    position += data.byteLength;
  }
  return file;
}
