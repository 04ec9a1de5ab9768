// The model catalog (public/models/index.json), the loaded model, load progress and the backend
// that runs it. Loading itself is done by src/model and src/engine through the app controller;
// this store records the outcome so the picker, banner and charts can show it.

import { createStore } from 'zustand/vanilla';
import type { DeviceEvent } from '../engine/gpu';
import type { BackendKind } from '../engine/types';
import type { HrmConfig } from '../model/config';
import type { ModelProvenance } from '../model/weights';
import type { Task } from './puzzle';

/** One entry of public/models/index.json, as written by training/. */
export interface CatalogEntry {
  id: string;
  name: string;
  task: Task;
  /** Path relative to the app's base URL, e.g. `models/<id>/model.safetensors`. */
  path: string;
  /** Size of the weight file in bytes, shown before download. */
  bytes: number;
  /** Path of MODEL_CARD.md relative to the app's base URL. */
  card?: string;
  default: boolean;
}

/** Stages of a model load, in order. */
export type LoadStage = 'download' | 'parse' | 'compile';

export interface LoadProgress {
  /** Model name or file name being loaded. */
  label: string;
  stage: LoadStage;
  /** Bytes received so far (download stage). */
  loaded: number;
  /** Total bytes, when known. */
  total: number | null;
}

export interface LoadedModel {
  provenance: ModelProvenance;
  task: Task;
  config: HrmConfig;
}

export interface BackendInfo {
  kind: BackendKind;
  /** Reason for choosing this backend, from src/engine/select.ts. */
  reason: string;
  /** Adapter or runtime description. */
  description: string;
}

export interface ModelState {
  catalog: CatalogEntry[];
  catalogError: string | null;
  current: LoadedModel | null;
  backend: BackendInfo | null;
  loading: LoadProgress | null;
  /** Last load error; the previously loaded model stays in use. */
  error: string | null;
  /** Last WebGPU device event (loss, recovery, uncaptured error), or null. */
  device: DeviceEvent | null;
  setCatalog(catalog: CatalogEntry[]): void;
  setCatalogError(message: string): void;
  setLoading(progress: LoadProgress | null): void;
  setLoaded(model: LoadedModel, backend: BackendInfo): void;
  setError(message: string | null): void;
  setDeviceEvent(event: DeviceEvent | null): void;
}

/**
 * Validates the parsed contents of public/models/index.json and returns its entries. Throws an
 * error that names the first invalid field.
 */
export function parseCatalog(json: unknown): CatalogEntry[] {
  if (
    typeof json !== 'object' ||
    json === null ||
    !Array.isArray((json as { models?: unknown }).models)
  ) {
    throw new Error('invalid models/index.json: expected an object with a "models" array');
  }
  const models = (json as { models: unknown[] }).models;
  return models.map((raw, i) => {
    const entry = raw as Record<string, unknown>;
    const where = `models/index.json models[${i}]`;
    for (const field of ['id', 'name', 'path'] as const) {
      if (typeof entry[field] !== 'string' || entry[field] === '') {
        throw new Error(
          `invalid ${where}.${field}: ${JSON.stringify(entry[field])}; expected a non-empty string`,
        );
      }
    }
    if (entry.task !== 'sudoku' && entry.task !== 'maze') {
      throw new Error(
        `invalid ${where}.task: ${JSON.stringify(entry.task)}; expected "sudoku" or "maze"`,
      );
    }
    if (typeof entry.bytes !== 'number' || !(entry.bytes >= 0)) {
      throw new Error(
        `invalid ${where}.bytes: ${JSON.stringify(entry.bytes)}; expected a byte count`,
      );
    }
    return {
      id: entry.id as string,
      name: entry.name as string,
      task: entry.task,
      path: entry.path as string,
      bytes: entry.bytes,
      card: typeof entry.card === 'string' ? entry.card : undefined,
      default: entry.default === true,
    };
  });
}

/** Returns the catalog entry marked default, else the first one, else null. */
export function defaultEntry(catalog: CatalogEntry[]): CatalogEntry | null {
  return catalog.find((entry) => entry.default) ?? catalog[0] ?? null;
}

export function createModelStore() {
  return createStore<ModelState>()((set) => ({
    catalog: [],
    catalogError: null,
    current: null,
    backend: null,
    loading: null,
    error: null,
    device: null,
    setCatalog: (catalog) => set({ catalog, catalogError: null }),
    setCatalogError: (message) => set({ catalogError: message }),
    setLoading: (progress) => set({ loading: progress }),
    setLoaded: (model, backend) => set({ current: model, backend, loading: null, error: null }),
    setError: (message) => set({ error: message, loading: null }),
    setDeviceEvent: (event) => set({ device: event }),
  }));
}

export type ModelStore = ReturnType<typeof createModelStore>;
