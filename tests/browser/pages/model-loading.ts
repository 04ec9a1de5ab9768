// Browser harness for tests/browser/model-loading.test.ts: loads models through the real
// loadModel (fetch, Cache Storage, File objects) and returns plain summaries to Playwright.

import type { LoadProgress } from '../../../src/model/download';
import type { ModelLoadWarning } from '../../../src/model/errors';
import { loadModel } from '../../../src/model/load-model';
import {
  deleteCachedModel,
  listCachedModels,
  MODEL_CACHE_NAME,
} from '../../../src/model/model-cache';
import type { HrmWeights } from '../../../src/model/weights';

export interface LoadSummary {
  config: HrmWeights['config'];
  parameterCount: number;
  provenance: HrmWeights['provenance'];
  progress: LoadProgress[];
  warnings: ModelLoadWarning[];
}

export interface CachedModelSummary {
  id: string;
  bytes: number;
  /** ISO date, because Date does not cross page.evaluate intact. */
  date: string;
  files: string[];
}

function summarize(
  weights: HrmWeights,
  progress: LoadProgress[],
  warnings: ModelLoadWarning[],
): LoadSummary {
  return {
    config: weights.config,
    parameterCount: weights.tensors.size,
    provenance: weights.provenance,
    progress,
    warnings,
  };
}

const modelLoading = {
  /** Loads a model by URL (relative to this page or absolute). */
  async loadUrl(url: string, cache = true): Promise<LoadSummary> {
    const progress: LoadProgress[] = [];
    const warnings: ModelLoadWarning[] = [];
    const weights = await loadModel(url, {
      cache,
      onProgress: (event) => progress.push(event),
      onWarning: (warning) => warnings.push(warning),
    });
    return summarize(weights, progress, warnings);
  },

  /**
   * Loads File objects, as a picker would give them, made from base64 bytes. The test reads
   * the fixtures in Node because the Vite dev server treats extensionless paths such as
   * `checkpoint` as modules and cannot serve them raw.
   */
  async loadFiles(files: { name: string; base64: string }[]): Promise<LoadSummary> {
    const objects = files.map(({ name, base64 }) => {
      const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
      return new File([bytes], name);
    });
    const progress: LoadProgress[] = [];
    const weights = await loadModel(objects, { onProgress: (event) => progress.push(event) });
    return summarize(weights, progress, []);
  },

  /** Returns the error message a load by URL fails with, or null when it succeeds. */
  async loadUrlError(url: string): Promise<string | null> {
    try {
      await loadModel(url, { cache: false });
      return null;
    } catch (error) {
      return `${(error as Error).name}: ${(error as Error).message}`;
    }
  },

  async list(): Promise<CachedModelSummary[]> {
    const models = await listCachedModels();
    return models.map((model) => ({ ...model, date: model.date.toISOString() }));
  },

  remove(id: string): Promise<number> {
    return deleteCachedModel(id);
  },

  /** Replaces a cached file's bytes but keeps its headers, so its stored SHA-256 no longer matches. */
  async corruptCachedFile(url: string): Promise<void> {
    const cache = await caches.open(MODEL_CACHE_NAME);
    const absolute = new URL(url, location.href).href;
    const response = await cache.match(absolute);
    if (response === undefined) throw new Error(`${absolute} is not cached`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    bytes[bytes.length - 1] ^= 0xff;
    await cache.put(absolute, new Response(bytes, { headers: response.headers }));
  },
};

export type ModelLoadingChecks = typeof modelLoading;

declare global {
  interface Window {
    modelLoading: ModelLoadingChecks;
  }
}

window.modelLoading = modelLoading;
const status = document.getElementById('status');
if (status !== null) status.textContent = 'ready';
