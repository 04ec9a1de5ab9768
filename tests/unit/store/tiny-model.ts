// Loads the committed tiny random HRM (tests/fixtures/models/tiny) for store and controller tests
// that drive the real reference engine.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReferenceBackend } from '../../../src/engine/reference/backend';
import type { HrmSession } from '../../../src/engine/types';
import { weightsFromSafetensors } from '../../../src/model/safetensors-model';
import type { HrmWeights } from '../../../src/model/weights';

export const TINY_MODEL_PATH = join(
  import.meta.dirname,
  '../../fixtures/models/tiny/model.safetensors',
);

export function loadTinyWeights(): HrmWeights {
  const bytes = new Uint8Array(readFileSync(TINY_MODEL_PATH));
  return weightsFromSafetensors([{ name: 'model.safetensors', bytes }], undefined, {
    id: 'tiny',
    name: 'Tiny random HRM',
    source: TINY_MODEL_PATH,
  });
}

export async function createTinySession(weights = loadTinyWeights()): Promise<HrmSession> {
  return new ReferenceBackend().createSession(weights, { numeric: 'float32' });
}
