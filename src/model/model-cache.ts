// Downloaded model files kept in Cache Storage, so a model loads again without the network.
// Each file is one cache entry under its URL; headers beside the bytes record its SHA-256, the
// model it belongs to and when it was stored. A hash mismatch on read drops the entry.

import type { ModelLoadWarning } from './errors';

/** Cache name; bump the version when the stored layout changes, and old caches are deleted. */
export const MODEL_CACHE_NAME = 'hrm-models-v1';
const CACHE_PREFIX = 'hrm-models-';

const HASH_HEADER = 'x-hrm-sha256';
const MODEL_HEADER = 'x-hrm-model-id';
const DATE_HEADER = 'x-hrm-cached-at';

/** A cached model: all files stored under one model id. */
export interface CachedModel {
  /** The URL the model was loaded from (the .safetensors, index or checkpoint URL). */
  id: string;
  /** Bytes over all its files. */
  bytes: number;
  /** When the newest of its files was stored. */
  date: Date;
  /** URLs of its files. */
  files: string[];
}

/** Cache Storage, or null where the page has none (insecure origins, some private modes). */
function cacheStorage(): CacheStorage | null {
  return typeof caches === 'undefined' ? null : caches;
}

let staleCachesDeleted = false;

async function openModelCache(storage: CacheStorage): Promise<Cache> {
  if (!staleCachesDeleted) {
    staleCachesDeleted = true;
    for (const name of await storage.keys()) {
      if (name.startsWith(CACHE_PREFIX) && name !== MODEL_CACHE_NAME) await storage.delete(name);
    }
  }
  return storage.open(MODEL_CACHE_NAME);
}

/** SHA-256 of `bytes` as lowercase hex. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError';
}

/**
 * Returns the cached bytes of `url`, or null when they are not cached or no longer match their
 * stored SHA-256 (the entry is then deleted and a warning reported).
 */
export async function readCachedFile(
  url: string,
  onWarning: (warning: ModelLoadWarning) => void,
): Promise<Uint8Array | null> {
  const storage = cacheStorage();
  if (storage === null) return null;
  try {
    const cache = await openModelCache(storage);
    const response = await cache.match(url);
    if (response === undefined) return null;

    const bytes = new Uint8Array(await response.arrayBuffer());
    const expected = response.headers.get(HASH_HEADER);
    if (expected !== null && expected === (await sha256Hex(bytes))) return bytes;

    await cache.delete(url);
    onWarning({
      kind: 'cache-corrupt',
      message: `The cached copy of ${url} did not match its SHA-256 and was deleted; downloading it again.`,
    });
    return null;
  } catch (error) {
    onWarning({
      kind: 'cache-unavailable',
      message: `Could not read the model cache (${(error as Error).message}); downloading ${url}.`,
    });
    return null;
  }
}

/**
 * Stores the bytes of `url` as part of model `modelId`. Cache failures do not throw: a full quota
 * or a missing Cache Storage is reported through `onWarning`, so the model still loads.
 */
export async function writeCachedFile(
  url: string,
  modelId: string,
  bytes: Uint8Array,
  onWarning: (warning: ModelLoadWarning) => void,
): Promise<void> {
  const storage = cacheStorage();
  if (storage === null) {
    onWarning({
      kind: 'cache-unavailable',
      message:
        'This page has no Cache Storage (it needs https or localhost), so the model is not cached.',
    });
    return;
  }
  try {
    const cache = await openModelCache(storage);
    const headers = new Headers({
      'content-type': 'application/octet-stream',
      'content-length': String(bytes.length),
      [HASH_HEADER]: await sha256Hex(bytes),
      [MODEL_HEADER]: modelId,
      [DATE_HEADER]: new Date().toISOString(),
    });
    await cache.put(url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers }));
  } catch (error) {
    if (isQuotaError(error)) {
      onWarning({
        kind: 'cache-quota',
        message:
          `The browser's storage quota is full, so ${url} (${bytes.length} bytes) was not cached. ` +
          'The model is loaded; delete cached models to make room.',
      });
      return;
    }
    onWarning({
      kind: 'cache-unavailable',
      message: `Could not cache ${url} (${(error as Error).message}); the model is loaded but not cached.`,
    });
  }
}

/** Lists the cached models, newest first. */
export async function listCachedModels(): Promise<CachedModel[]> {
  const storage = cacheStorage();
  if (storage === null) return [];
  const cache = await openModelCache(storage);
  const models = new Map<string, CachedModel>();
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    if (response === undefined) continue;
    const id = response.headers.get(MODEL_HEADER) ?? request.url;
    const bytes = Number(response.headers.get('content-length') ?? 0);
    const date = new Date(response.headers.get(DATE_HEADER) ?? 0);

    const model = models.get(id) ?? { id, bytes: 0, date, files: [] };
    model.bytes += bytes;
    if (date > model.date) model.date = date;
    model.files.push(request.url);
    models.set(id, model);
  }
  return [...models.values()].sort((a, b) => b.date.getTime() - a.date.getTime());
}

/** Deletes every cached file of model `id`. Returns how many files were deleted. */
export async function deleteCachedModel(id: string): Promise<number> {
  const storage = cacheStorage();
  if (storage === null) return 0;
  const cache = await openModelCache(storage);
  let deleted = 0;
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    const modelId = response?.headers.get(MODEL_HEADER) ?? request.url;
    if (modelId === id && (await cache.delete(request))) deleted++;
  }
  return deleted;
}
