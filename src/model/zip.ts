// Minimal reader for the zip archives PyTorch writes with torch.save: it reads the central
// directory (ZIP64 included, for files over 4 GiB) and returns each entry's bytes as a view
// into the file. PyTorch stores entries uncompressed; deflated entries are inflated with fflate.

import { inflateSync } from 'fflate';
import { ModelLoadError } from './errors';

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_END_LOCATOR = 0x07064b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY = 0x06064b50;
const ZIP64_EXTRA_FIELD = 0x0001;

/** The end record is 22 bytes plus a comment of at most 65535 bytes. */
const MAX_END_RECORD_SEARCH = 22 + 0xffff;

export interface ZipEntry {
  name: string;
  /** Offset of the entry's data in the archive; PyTorch aligns storages to 64 bytes. */
  dataOffset: number;
  compressedSize: number;
  size: number;
  /** 0 stored, 8 deflate. */
  method: number;
}

/** A zip archive's entries by name, with a function to get an entry's bytes. */
export interface ZipArchive {
  entries: Map<string, ZipEntry>;
  read(entry: ZipEntry): Uint8Array;
}

/** True when `bytes` starts with a zip local file header. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && readU32(bytes, 0) === LOCAL_HEADER;
}

function readU16(bytes: Uint8Array, offset: number): number {
  return bytes[offset] | (bytes[offset + 1] << 8);
}

function readU32(bytes: Uint8Array, offset: number): number {
  return (readU16(bytes, offset) | (readU16(bytes, offset + 2) << 16)) >>> 0;
}

function readU64(bytes: Uint8Array, offset: number, fileName: string): number {
  const value = readU32(bytes, offset) + readU32(bytes, offset + 4) * 2 ** 32;
  if (!Number.isSafeInteger(value)) {
    throw new ModelLoadError(
      fileName,
      `zip field at byte ${offset} is ${value}, larger than 2^53; the file is invalid`,
    );
  }
  return value;
}

/** Reads the central directory of a zip archive. Throws ModelLoadError for a damaged archive. */
export function readZip(bytes: Uint8Array, fileName: string): ZipArchive {
  const truncated = 'the file is truncated or damaged; download it again';
  const endOffset = findEndRecord(bytes);
  if (endOffset < 0) {
    throw new ModelLoadError(
      fileName,
      `no zip end-of-central-directory record found in ${bytes.length} bytes; ${truncated}`,
    );
  }

  let entryCount = readU16(bytes, endOffset + 10);
  let directorySize = readU32(bytes, endOffset + 12);
  let directoryOffset = readU32(bytes, endOffset + 16);

  // ZIP64 archives store 0xffff / 0xffffffff here and the real values in the ZIP64 record.
  const locatorOffset = endOffset - 20;
  if (locatorOffset >= 0 && readU32(bytes, locatorOffset) === ZIP64_END_LOCATOR) {
    const recordOffset = readU64(bytes, locatorOffset + 8, fileName);
    if (
      recordOffset + 56 > bytes.length ||
      readU32(bytes, recordOffset) !== ZIP64_END_OF_CENTRAL_DIRECTORY
    ) {
      throw new ModelLoadError(
        fileName,
        `ZIP64 end record missing at byte ${recordOffset}; ${truncated}`,
      );
    }
    entryCount = readU64(bytes, recordOffset + 32, fileName);
    directorySize = readU64(bytes, recordOffset + 40, fileName);
    directoryOffset = readU64(bytes, recordOffset + 48, fileName);
  }
  if (directoryOffset + directorySize > bytes.length) {
    throw new ModelLoadError(
      fileName,
      `zip central directory (bytes ${directoryOffset}..${directoryOffset + directorySize}) lies ` +
        `past the end of the ${bytes.length}-byte file; ${truncated}`,
    );
  }

  const entries = new Map<string, ZipEntry>();
  let position = directoryOffset;
  for (let i = 0; i < entryCount; i++) {
    const entry = readCentralEntry(bytes, position, fileName);
    entries.set(entry.entry.name, entry.entry);
    position = entry.next;
  }

  // Stored entries are views, but deflated ones are inflated once and kept for tensors that
  // share a storage.
  const inflated = new Map<string, Uint8Array>();
  return {
    entries,
    read: (entry) => {
      const known = inflated.get(entry.name);
      if (known !== undefined) return known;
      const data = readEntryData(bytes, entry, fileName);
      if (entry.method !== 0) inflated.set(entry.name, data);
      return data;
    },
  };
}

function findEndRecord(bytes: Uint8Array): number {
  const stop = Math.max(0, bytes.length - MAX_END_RECORD_SEARCH);
  for (let offset = bytes.length - 22; offset >= stop; offset--) {
    if (readU32(bytes, offset) === END_OF_CENTRAL_DIRECTORY) return offset;
  }
  return -1;
}

function readCentralEntry(
  bytes: Uint8Array,
  offset: number,
  fileName: string,
): { entry: ZipEntry; next: number } {
  if (offset + 46 > bytes.length || readU32(bytes, offset) !== CENTRAL_HEADER) {
    throw new ModelLoadError(
      fileName,
      `invalid zip central directory entry at byte ${offset}; the file is damaged`,
    );
  }
  const method = readU16(bytes, offset + 10);
  let compressedSize = readU32(bytes, offset + 20);
  let size = readU32(bytes, offset + 24);
  const nameLength = readU16(bytes, offset + 28);
  const extraLength = readU16(bytes, offset + 30);
  const commentLength = readU16(bytes, offset + 32);
  let localOffset = readU32(bytes, offset + 42);
  const name = new TextDecoder().decode(bytes.subarray(offset + 46, offset + 46 + nameLength));

  // The ZIP64 extra field holds, in this order, only the values saturated at 0xffffffff.
  const extraStart = offset + 46 + nameLength;
  const extraEnd = extraStart + extraLength;
  for (let field = extraStart; field + 4 <= extraEnd; ) {
    const id = readU16(bytes, field);
    const length = readU16(bytes, field + 2);
    if (id === ZIP64_EXTRA_FIELD) {
      let value = field + 4;
      if (size === 0xffffffff) {
        size = readU64(bytes, value, fileName);
        value += 8;
      }
      if (compressedSize === 0xffffffff) {
        compressedSize = readU64(bytes, value, fileName);
        value += 8;
      }
      if (localOffset === 0xffffffff) localOffset = readU64(bytes, value, fileName);
    }
    field += 4 + length;
  }

  if (localOffset + 30 > bytes.length || readU32(bytes, localOffset) !== LOCAL_HEADER) {
    throw new ModelLoadError(
      fileName,
      `zip entry ${name}: local header missing at byte ${localOffset}; the file is truncated or damaged`,
    );
  }
  const dataOffset =
    localOffset + 30 + readU16(bytes, localOffset + 26) + readU16(bytes, localOffset + 28);
  return {
    entry: { name, dataOffset, compressedSize, size, method },
    next: extraEnd + commentLength,
  };
}

function readEntryData(bytes: Uint8Array, entry: ZipEntry, fileName: string): Uint8Array {
  if (entry.dataOffset + entry.compressedSize > bytes.length) {
    throw new ModelLoadError(
      fileName,
      `zip entry ${entry.name} (bytes ${entry.dataOffset}..${entry.dataOffset + entry.compressedSize}) ` +
        `runs past the end of the ${bytes.length}-byte file; the file is truncated`,
    );
  }
  const raw = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) {
      throw new ModelLoadError(
        fileName,
        `zip entry ${entry.name} is stored uncompressed but lists ${entry.compressedSize} stored ` +
          `and ${entry.size} original bytes; the file is damaged`,
      );
    }
    return raw;
  }
  if (entry.method === 8) return inflateSync(raw, { out: new Uint8Array(entry.size) });
  throw new ModelLoadError(
    fileName,
    `zip entry ${entry.name} uses compression method ${entry.method}; only stored (0) and ` +
      'deflate (8) are supported, so re-save the checkpoint with torch.save',
  );
}
