// Writer for NumPy's .npy format, version 1.0. A file starts with the magic "\x93NUMPY", the
// version bytes 1 0 and a little-endian uint16 header length. The header is an ASCII Python
// dict literal, padded with spaces and a newline so that the data starts at a multiple of 64
// bytes. The raw data follows in C order. numpy/lib/format.py specifies the format.

export type NpyData = Uint8Array | Int32Array;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const PREAMBLE_BYTES = 10; // magic, two version bytes and the uint16 header length
const ALIGNMENT = 64;

function describeDtype(data: NpyData): string {
  return data instanceof Uint8Array ? '|u1' : '<i4';
}

function formatShape(shape: readonly number[]): string {
  // Python writes a one-element tuple with a trailing comma: (5,).
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Encodes `data` with `shape` (C order) as the bytes of a .npy file. */
export function encodeNpy(data: NpyData, shape: readonly number[]): Uint8Array {
  const elements = shape.reduce((product, size) => product * size, 1);
  if (shape.some((size) => !Number.isInteger(size) || size < 0) || elements !== data.length) {
    throw new Error(
      `invalid .npy shape [${shape.join(', ')}] for ${data.length} elements; ` +
        'the product of the sizes must equal the element count',
    );
  }

  const dict = `{'descr': '${describeDtype(data)}', 'fortran_order': False, 'shape': ${formatShape(shape)}, }`;
  const unpadded = PREAMBLE_BYTES + dict.length + 1;
  const padding = (ALIGNMENT - (unpadded % ALIGNMENT)) % ALIGNMENT;
  const header = `${dict}${' '.repeat(padding)}\n`;

  const bytes = new Uint8Array(PREAMBLE_BYTES + header.length + data.byteLength);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  bytes[6] = 1;
  bytes[7] = 0;
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[PREAMBLE_BYTES + i] = header.charCodeAt(i);

  // Written element by element so the file is little-endian on any host.
  const dataStart = PREAMBLE_BYTES + header.length;
  if (data instanceof Uint8Array) {
    bytes.set(data, dataStart);
  } else {
    for (let i = 0; i < data.length; i++) view.setInt32(dataStart + i * 4, data[i], true);
  }

  return bytes;
}
