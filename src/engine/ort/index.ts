// onnxruntime-web backends: 'ort-webgpu' (ORT's WebGPU execution provider) and 'ort-wasm' (its
// CPU execution provider compiled to WebAssembly). Both run the same ONNX graphs, built from the
// loaded weights in hrm-graphs.ts, under the shared Session.

import type { HrmWeights } from '../../model/weights';
import { Session } from '../session';
import type { EngineOptions, HrmBackend, HrmSession } from '../types';
import { type OrtExecutionProvider, OrtKernel } from './kernel';
import {
  checkOrtAvailability,
  loadOrt,
  type OrtAvailability,
  type OrtModule,
  wasmThreadsAvailable,
} from './runtime';

export type OrtBackendKind = 'ort-webgpu' | 'ort-wasm';

const EXECUTION_PROVIDERS: Record<OrtBackendKind, OrtExecutionProvider> = {
  'ort-webgpu': 'webgpu',
  'ort-wasm': 'wasm',
};

class OrtBackend implements HrmBackend {
  /** Kernels of the sessions created so far; disposing a kernel twice is harmless. */
  private readonly kernels = new Set<OrtKernel>();

  constructor(
    readonly kind: OrtBackendKind,
    private readonly ort: OrtModule,
  ) {}

  /**
   * The runtime and, for WASM, its thread count, which ORT settles when the first session starts.
   * NOTE: the WebGPU execution provider has only been run on Chromium's SwiftShader adapter, not
   * on a hardware GPU.
   */
  get description(): string {
    const version = this.ort.env.versions.web ?? '';
    if (this.kind === 'ort-webgpu') {
      return `onnxruntime-web ${version} on WebGPU`;
    }
    const count = this.ort.env.wasm.numThreads;
    const threads = !wasmThreadsAvailable()
      ? 'one thread (the page is not cross-origin isolated)'
      : count === undefined
        ? 'the default number of threads'
        : `${count} thread${count === 1 ? '' : 's'}`;
    return `onnxruntime-web ${version} on WebAssembly, ${threads}`;
  }

  async createSession(weights: HrmWeights, options: EngineOptions): Promise<HrmSession> {
    if (options.numeric !== 'float32') {
      // The WebGPU execution provider has no bfloat16 tensors, and ONNX has no operator that
      // rounds float32 to bfloat16 in place, so these backends cannot mimic bfloat16 runs.
      throw new Error(
        `Numeric mode ${options.numeric} is not supported by the ${this.kind} backend, which computes in float32; choose float32, or the WebGPU or reference engine for bfloat16.`,
      );
    }
    const kernel = await OrtKernel.create(this.ort, weights, {
      executionProvider: EXECUTION_PROVIDERS[this.kind],
    });
    this.kernels.add(kernel);
    return new Session(kernel, weights.config, this.kind);
  }

  dispose(): void {
    for (const kernel of this.kernels) {
      kernel.dispose();
    }
    this.kernels.clear();
  }
}

/**
 * Loads onnxruntime-web and returns the backend of `kind`. Throws when the page lacks what the
 * kind needs (a WebGPU adapter for 'ort-webgpu', WebAssembly for 'ort-wasm').
 */
export async function createOrtBackend(kind: OrtBackendKind): Promise<HrmBackend> {
  if (!(kind in EXECUTION_PROVIDERS)) {
    throw new Error(
      `Unknown onnxruntime backend ${String(kind)}; expected 'ort-webgpu' or 'ort-wasm'.`,
    );
  }
  const availability = await checkOrtAvailability();
  if (kind === 'ort-webgpu' && !availability.webgpu) {
    throw new Error(
      `The ort-webgpu backend cannot run here: ${availability.reason ?? 'no WebGPU adapter.'}`,
    );
  }
  if (kind === 'ort-wasm' && !availability.wasm) {
    throw new Error(
      `The ort-wasm backend cannot run here: ${availability.reason ?? 'no WebAssembly.'}`,
    );
  }

  const ort = await loadOrt();
  return new OrtBackend(kind, ort);
}

/** Reports which onnxruntime-web backends can run in this page, without loading onnxruntime-web. */
export function ortAvailability(): Promise<OrtAvailability> {
  return checkOrtAvailability();
}

export { OrtKernel } from './kernel';
