// Loads onnxruntime-web in the browser and points it at its WebAssembly files served by this app.
//
// The default `onnxruntime-web` entry (1.31) is the JSEP build: one .wasm/.mjs pair that runs
// both the WebGPU execution provider (WGSL kernels written in JavaScript) and the WASM (CPU)
// execution provider. Vite copies both files into the build as assets through the `?url`
// imports below, so nothing is fetched from a CDN. WASM runs multi-threaded only when the page is
// cross-origin isolated (COOP same-origin and COEP require-corp), because threads need
// SharedArrayBuffer.

import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.mjs?url';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';

export type OrtModule = typeof import('onnxruntime-web');

let loading: Promise<OrtModule> | undefined;

/** Imports onnxruntime-web once and sets env.wasm.wasmPaths to the locally served files. */
export function loadOrt(): Promise<OrtModule> {
  loading ??= import('onnxruntime-web').then((ort) => {
    ort.env.wasm.wasmPaths = { mjs: ortMjsUrl, wasm: ortWasmUrl };
    return ort;
  });
  return loading;
}

/** Execution providers this page can use, and the reason when one cannot run. */
export interface OrtAvailability {
  webgpu: boolean;
  wasm: boolean;
  reason?: string;
}

/**
 * Checks for WebGPU (an adapter, not only `navigator.gpu`) and WebAssembly. Does not load
 * onnxruntime-web itself, so it is cheap to call before the user picks a backend.
 */
export async function checkOrtAvailability(): Promise<OrtAvailability> {
  const reasons: string[] = [];
  const wasm = typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function';
  if (!wasm) {
    reasons.push('WebAssembly is not available in this browser.');
  }

  let webgpu = false;
  if (typeof navigator === 'undefined' || !('gpu' in navigator)) {
    reasons.push('WebGPU is not available (navigator.gpu is missing).');
  } else {
    try {
      const adapter = await navigator.gpu.requestAdapter();
      webgpu = adapter !== null;
      if (!webgpu) {
        reasons.push('WebGPU is present but no GPU adapter was found.');
      }
    } catch (error) {
      reasons.push(`WebGPU adapter request failed: ${String(error)}`);
    }
  }

  return reasons.length > 0 ? { webgpu, wasm, reason: reasons.join(' ') } : { webgpu, wasm };
}

/** Returns whether WASM can use threads here, which requires cross-origin isolation. */
export function wasmThreadsAvailable(): boolean {
  return typeof crossOriginIsolated === 'boolean' && crossOriginIsolated;
}
