// Backend choice for the app: the WGSL engine when WebGPU works, else onnxruntime-web on WASM,
// else the plain-TypeScript reference engine. Returns the choice with a reason for the UI banner.

import type { BackendKind, HrmBackend } from './types';
import { probeWebGpu } from './webgpu/probe';

export const BACKEND_KINDS: readonly BackendKind[] = [
  'webgpu',
  'ort-webgpu',
  'ort-wasm',
  'reference',
];

export interface BackendChoice {
  kind: BackendKind;
  /** One human-readable sentence on why this backend runs. */
  reason: string;
}

/** The onnxruntime-web module's surface that this file uses. */
interface OrtModule {
  createOrtBackend(kind: 'ort-webgpu' | 'ort-wasm'): Promise<HrmBackend>;
  ortAvailability(): Promise<{ webgpu: boolean; wasm: boolean; reason?: string }>;
}

// Lazy, and empty when src/engine/ort/index.ts does not exist, so this file builds without it.
const ortModules = import.meta.glob<OrtModule>('./ort/index.ts');

async function loadOrt(): Promise<OrtModule | null> {
  const load = ortModules['./ort/index.ts'];
  return load ? load() : null;
}

export function parseBackendKind(value: string): BackendKind {
  if ((BACKEND_KINDS as readonly string[]).includes(value)) {
    return value as BackendKind;
  }
  throw new Error(`invalid backend: ${value}; expected one of ${BACKEND_KINDS.join(', ')} or auto`);
}

/**
 * Picks a backend. `requested` other than 'auto' is honoured as given (an explicit override);
 * the reason then states that. Otherwise WebGPU wins when the probe's compute check passes.
 */
export async function chooseBackend(
  requested: BackendKind | 'auto' = 'auto',
): Promise<BackendChoice> {
  if (requested !== 'auto') {
    return {
      kind: parseBackendKind(requested),
      reason: `Backend ${requested} was selected explicitly.`,
    };
  }

  const probe = await probeWebGpu();
  if (probe.available && probe.computeOk) {
    return {
      kind: 'webgpu',
      reason: `WebGPU works on ${probe.adapter ?? 'this adapter'}; running the WGSL engine.`,
    };
  }
  const gpuProblem = probe.reason ?? 'WebGPU is unavailable';

  try {
    const ort = await loadOrt();
    if (ort) {
      const availability = await ort.ortAvailability();
      if (availability.wasm) {
        return {
          kind: 'ort-wasm',
          reason: `${gpuProblem}; running onnxruntime-web on WebAssembly.`,
        };
      }
      return {
        kind: 'reference',
        reason: `${gpuProblem}, and onnxruntime-web cannot run (${availability.reason ?? 'no WASM support'}); running the plain TypeScript engine.`,
      };
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      kind: 'reference',
      reason: `${gpuProblem}, and onnxruntime-web failed to load (${message}); running the plain TypeScript engine.`,
    };
  }
  return { kind: 'reference', reason: `${gpuProblem}; running the plain TypeScript engine.` };
}

/** Creates the backend of `kind`, importing each implementation only when it is needed. */
export async function createBackend(kind: BackendKind): Promise<HrmBackend> {
  switch (kind) {
    case 'webgpu': {
      const { WebGpuBackend } = await import('./webgpu/backend');
      return WebGpuBackend.create();
    }
    case 'ort-webgpu':
    case 'ort-wasm': {
      const ort = await loadOrt();
      if (!ort) {
        throw new Error(`backend ${kind} is not part of this build; choose webgpu or reference`);
      }
      return ort.createOrtBackend(kind);
    }
    case 'reference': {
      const { ReferenceBackend } = await import('./reference/backend');
      return new ReferenceBackend();
    }
  }
  throw new Error(`invalid backend: ${String(kind)}; expected one of ${BACKEND_KINDS.join(', ')}`);
}
