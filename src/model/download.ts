// Reading model bytes with byte-level progress: streamed fetch for URLs through the response
// body reader, and Blob.stream() for local files. Totals come from HEAD, Content-Length or the
// file size, so the caller can show the download size before the bytes arrive.

import { ModelLoadError } from './errors';

/** Progress of a whole load, summed over its files. */
export interface LoadProgress {
  /** The file being read, a URL or a local file name. */
  file: string;
  /** Bytes read so far over all files. */
  bytes: number;
  /** Bytes of all files, or null while the size of any file is unknown. */
  total: number | null;
  /** 0..100, or null while `total` is unknown. */
  percent: number | null;
}

/** Sums per-file progress into LoadProgress events. */
export class ProgressTracker {
  private readonly loaded = new Map<string, number>();
  private readonly totals = new Map<string, number | null>();

  constructor(
    files: readonly string[],
    private readonly onProgress?: (progress: LoadProgress) => void,
  ) {
    for (const file of files) {
      this.loaded.set(file, 0);
      this.totals.set(file, null);
    }
  }

  setTotal(file: string, total: number | null): void {
    this.totals.set(file, total);
  }

  /** Total over all files, or null when any size is unknown. */
  total(): number | null {
    let sum = 0;
    for (const total of this.totals.values()) {
      if (total === null) return null;
      sum += total;
    }
    return sum;
  }

  /** Records bytes read without reporting, e.g. for files found in the cache. */
  setLoaded(file: string, bytes: number): void {
    this.loaded.set(file, bytes);
  }

  update(file: string, bytes: number): void {
    this.loaded.set(file, bytes);
    this.report(file);
  }

  report(file: string): void {
    if (this.onProgress === undefined) return;
    let bytes = 0;
    for (const value of this.loaded.values()) bytes += value;
    const total = this.total();
    let percent: number | null = null;
    if (total !== null) percent = total === 0 ? 100 : Math.min(100, (100 * bytes) / total);
    this.onProgress({ file, bytes, total, percent });
  }
}

/** Content-Length of a response as a number, or null when absent or invalid. */
function contentLength(response: Response): number | null {
  const header = response.headers.get('content-length');
  if (header === null) return null;
  const value = Number(header);
  return Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/**
 * Asks the server for the size of `url` with a HEAD request. Returns null when the HEAD request
 * fails or the response has no Content-Length, because the GET that follows may still send it.
 */
export async function fetchSize(url: string, signal?: AbortSignal): Promise<number | null> {
  try {
    const response = await fetch(url, { method: 'HEAD', signal });
    return response.ok ? contentLength(response) : null;
  } catch (error) {
    if (signal?.aborted) throw error;
    return null;
  }
}

/** Reads a stream to its end into one array, reporting the running byte count. */
async function readStream(
  stream: ReadableStream<Uint8Array>,
  expectedBytes: number | null,
  onBytes: (bytes: number) => void,
): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  // With a known size the bytes go straight into one buffer; otherwise chunks are joined at the end.
  let buffer = expectedBytes !== null ? new Uint8Array(expectedBytes) : null;
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (buffer !== null && received + value.length <= buffer.length) {
      buffer.set(value, received);
    } else {
      if (buffer !== null) {
        chunks.push(buffer.subarray(0, received));
        buffer = null;
      }
      chunks.push(value);
    }
    received += value.length;
    onBytes(received);
  }
  if (buffer !== null) return received === buffer.length ? buffer : buffer.subarray(0, received);

  const joined = new Uint8Array(received);
  let position = 0;
  for (const chunk of chunks) {
    joined.set(chunk, position);
    position += chunk.length;
  }
  return joined;
}

/**
 * Downloads `url` with progress through `tracker`. Throws ModelLoadError for a network failure,
 * an HTTP error status, an HTML page in place of the file, and fewer bytes than Content-Length
 * announced.
 */
export async function downloadBytes(
  url: string,
  tracker: ProgressTracker,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ModelLoadError(
      url,
      `download failed (${(error as Error).message}); check the URL and the network`,
      {
        cause: error,
      },
    );
  }
  if (!response.ok || response.body === null) {
    throw new ModelLoadError(
      url,
      `download failed with HTTP ${response.status} ${response.statusText}; check that the URL points to the model file`,
    );
  }

  // Single-page-app hosts, the Vite dev server among them, respond to a request for a missing
  // file with their index.html and status 200.
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.startsWith('text/html')) {
    throw new ModelLoadError(
      url,
      'the server sent an HTML page (Content-Type text/html) instead of the model file; the ' +
        'file is missing there or the URL is wrong',
    );
  }

  // Compressed responses report the compressed Content-Length, which is not the byte count the
  // body reader returns, so it is only trusted without a Content-Encoding.
  const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
  const length = encoded ? null : contentLength(response);
  if (length !== null) tracker.setTotal(url, length);
  let received = 0;
  let bytes: Uint8Array;
  try {
    bytes = await readStream(response.body, length, (count) => {
      received = count;
      tracker.update(url, count);
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ModelLoadError(
      url,
      `download broke off after ${received} bytes (${(error as Error).message}); try again`,
      { cause: error },
    );
  }
  if (length !== null && bytes.length !== length) {
    throw new ModelLoadError(
      url,
      `download ended after ${bytes.length} of ${length} bytes; the connection dropped, try again`,
    );
  }
  tracker.setTotal(url, bytes.length);
  tracker.update(url, bytes.length);
  return bytes;
}

/** Reads a local file (a File from a picker or drag and drop) with progress. */
export async function readLocalFile(file: File, tracker: ProgressTracker): Promise<Uint8Array> {
  tracker.setTotal(file.name, file.size);
  const bytes = await readStream(file.stream(), file.size, (received) =>
    tracker.update(file.name, received),
  );
  tracker.update(file.name, bytes.length);
  return bytes;
}
