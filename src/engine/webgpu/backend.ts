// The WGSL engine as an HrmBackend: each session gets its own device, sized by requiredLimits
// for its model, and the shared Session drives its WebGpuKernel.

import type { HrmWeights } from '../../model/weights';
import type { DeviceListener } from '../gpu';
import { Session } from '../session';
import type { BackendKind, EngineOptions, HrmBackend, HrmSession } from '../types';
import { WebGpuKernel } from './kernel';
import { planModel } from './model-plan';

export class WebGpuBackend implements HrmBackend {
  readonly kind: BackendKind = 'webgpu';
  description = 'WebGPU (WGSL kernels)';

  private readonly kernels = new Set<WebGpuKernel>();
  private readonly listeners = new Set<DeviceListener>();
  private disposed = false;

  /** Creates the backend and reads the adapter's description for the UI. */
  static async create(): Promise<WebGpuBackend> {
    const backend = new WebGpuBackend();
    const adapter =
      typeof navigator !== 'undefined' && 'gpu' in navigator
        ? await navigator.gpu.requestAdapter()
        : null;
    if (adapter) {
      const info = adapter.info;
      const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
      backend.description = `WebGPU (WGSL kernels) on ${name || 'an unnamed adapter'}`;
    }
    return backend;
  }

  /** Bytes of GPU buffers held by all live sessions of this backend. */
  get allocatedBytes(): number {
    let total = 0;
    for (const kernel of this.kernels) {
      total += kernel.allocatedBytes;
    }
    return total;
  }

  /** Live sessions' kernels, for tests and the benchmark (dispatch counts, device access). */
  get liveKernels(): readonly WebGpuKernel[] {
    return [...this.kernels];
  }

  /**
   * Subscribes to device events of every session: loss, recovery, failed recovery and
   * uncaptured errors. Returns the unsubscribe function.
   */
  subscribe(listener: DeviceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async createSession(weights: HrmWeights, options: EngineOptions): Promise<HrmSession> {
    if (this.disposed) {
      throw new Error('WebGpuBackend used after dispose(); create a new backend');
    }
    const kernel = await WebGpuKernel.create(planModel(weights, options.numeric));
    kernel.gpu.subscribe((event) => {
      for (const listener of this.listeners) {
        listener(event);
      }
    });
    this.kernels.add(kernel);
    kernel.onDispose = () => this.kernels.delete(kernel);
    return new Session(kernel, weights.config, this.kind);
  }

  dispose(): void {
    this.disposed = true;
    for (const kernel of [...this.kernels]) {
      kernel.dispose();
    }
    this.listeners.clear();
  }
}
