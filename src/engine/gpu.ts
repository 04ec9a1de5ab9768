// GPU errors in one place: adapter and device acquisition, limit checks, pipeline creation with
// WGSL compiler messages, uncaptured errors, device loss with recovery, and the byte count of
// every buffer this app allocates. Nothing here is specific to HRM, and src/engine/webgpu builds on it.

/** Every failure this module reports; `kind` lets callers and the UI banner tell them apart. */
export class GpuError extends Error {
  constructor(
    readonly kind: 'no-webgpu' | 'no-adapter' | 'limit' | 'pipeline' | 'device-lost',
    message: string,
  ) {
    super(message);
    this.name = 'GpuError';
  }
}

/** Device limits that the engine may need above the WebGPU defaults. */
export type RequestedLimitName =
  | 'maxStorageBufferBindingSize'
  | 'maxBufferSize'
  | 'maxComputeWorkgroupStorageSize'
  | 'maxComputeInvocationsPerWorkgroup'
  | 'maxStorageBuffersPerShaderStage'
  | 'maxComputeWorkgroupsPerDimension';

export type RequiredLimits = Partial<Record<RequestedLimitName, number>>;

/** The WebGPU specification's default limits, which every adapter supports. */
const DEFAULT_LIMITS: Record<RequestedLimitName, number> = {
  maxStorageBufferBindingSize: 134_217_728,
  maxBufferSize: 268_435_456,
  maxComputeWorkgroupStorageSize: 16_384,
  maxComputeInvocationsPerWorkgroup: 256,
  maxStorageBuffersPerShaderStage: 8,
  maxComputeWorkgroupsPerDimension: 65_535,
};

/** Events for the UI store: the device was lost, then recovered or failed to recover. */
export type DeviceEvent =
  | { type: 'lost'; reason: string; message: string }
  | { type: 'recovered' }
  | { type: 'recovery-failed'; error: Error }
  | { type: 'uncaptured-error'; message: string; count: number };

export type DeviceListener = (event: DeviceEvent) => void;

/**
 * Checks `needed` against what the adapter supports, and returns the limits to request: the
 * needed value or the default, whichever is larger.
 * Throws a GpuError naming the limit, the needed and the available value when one is too small.
 */
export function checkLimits(available: GPUSupportedLimits, needed: RequiredLimits): RequiredLimits {
  const request: RequiredLimits = {};
  for (const [name, value] of Object.entries(needed) as [RequestedLimitName, number][]) {
    const max = available[name];
    if (value > max) {
      throw new GpuError(
        'limit',
        `This model needs the WebGPU limit ${name} = ${value}, but the adapter allows at most ` +
          `${max}. Choose a smaller model or another backend (ort-wasm or reference).`,
      );
    }
    request[name] = Math.max(value, DEFAULT_LIMITS[name]);
  }
  return request;
}

function describeAdapter(adapter: GPUAdapter): string {
  const info = adapter.info;
  const text = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
  return text || 'unknown adapter';
}

/**
 * One WebGPU device with the app's error handling. Create it with `GpuContext.create`.
 * After a device loss that this object did not cause, it requests a new device with the same
 * limits and calls every `onRecover` hook (which rebuild buffers and pipelines) before it
 * reports `recovered`.
 */
export class GpuContext {
  device: GPUDevice;
  readonly adapterDescription: string;
  /** Bytes of live buffers created through `createBuffer`. */
  allocatedBytes = 0;
  /** Uncaptured errors since creation; only the first is logged. */
  uncapturedErrors = 0;

  private readonly listeners = new Set<DeviceListener>();
  private readonly recoverHooks = new Set<(device: GPUDevice) => Promise<void>>();
  private readonly sizes = new WeakMap<GPUBuffer, number>();
  private disposed = false;
  private lostFlag = false;
  private recovery: Promise<void> | null = null;

  private constructor(
    adapter: GPUAdapter,
    device: GPUDevice,
    private readonly limits: RequiredLimits,
  ) {
    this.device = device;
    this.adapterDescription = describeAdapter(adapter);
    this.watch(device);
  }

  /** Requests an adapter and a device with `needed` limits; see `checkLimits` for errors. */
  static async create(needed: RequiredLimits = {}): Promise<GpuContext> {
    if (typeof navigator === 'undefined' || !('gpu' in navigator)) {
      throw new GpuError('no-webgpu', 'WebGPU is not available: navigator.gpu is missing.');
    }
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) {
      throw new GpuError(
        'no-adapter',
        'WebGPU is present but requestAdapter() returned no adapter; the GPU may be blocked ' +
          'or disabled in this browser.',
      );
    }
    const limits = checkLimits(adapter.limits, needed);
    const device = await adapter.requestDevice({ requiredLimits: limits });
    return new GpuContext(adapter, device, limits);
  }

  /** Limits granted to the current device. */
  get deviceLimits(): GPUSupportedLimits {
    return this.device.limits;
  }

  /** True from a loss until recovery completes. */
  get lost(): boolean {
    return this.lostFlag;
  }

  /** Resolves when no recovery is in flight; rejects when the last recovery failed. */
  async ready(): Promise<void> {
    if (this.recovery) {
      await this.recovery;
    }
  }

  subscribe(listener: DeviceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Registers a hook that rebuilds GPU state on a new device after a loss. */
  onRecover(hook: (device: GPUDevice) => Promise<void>): () => void {
    this.recoverHooks.add(hook);
    return () => this.recoverHooks.delete(hook);
  }

  createBuffer(label: string, size: number, usage: GPUBufferUsageFlags): GPUBuffer {
    // WebGPU rejects zero-sized bindings, and copies need 4-byte multiples.
    const bytes = Math.max(4, Math.ceil(size / 4) * 4);
    const buffer = this.device.createBuffer({ label, size: bytes, usage });
    this.sizes.set(buffer, bytes);
    this.allocatedBytes += bytes;
    return buffer;
  }

  /** Creates a storage buffer holding `data`. */
  createStorage(
    label: string,
    data: ArrayBufferView,
    extraUsage: GPUBufferUsageFlags = 0,
  ): GPUBuffer {
    const buffer = this.createBuffer(
      label,
      data.byteLength,
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | extraUsage,
    );
    this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return buffer;
  }

  destroyBuffer(buffer: GPUBuffer): void {
    const bytes = this.sizes.get(buffer);
    if (bytes === undefined) {
      return;
    }
    this.sizes.delete(buffer);
    this.allocatedBytes -= bytes;
    buffer.destroy();
  }

  /**
   * Compiles `code` and builds a compute pipeline. Throws a GpuError with the WGSL compiler's
   * messages (line:column) when compilation or pipeline validation fails. `prefixLines` lines
   * prepended to the kernel's own file are subtracted from the reported line numbers.
   */
  async createPipeline(
    label: string,
    code: string,
    constants: Record<string, number>,
    prefixLines = 0,
    entryPoint = 'main',
  ): Promise<GPUComputePipeline> {
    const device = this.device;
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ label, code });
    let pipeline: GPUComputePipeline | undefined;
    let failure: string | undefined;
    try {
      pipeline = await device.createComputePipelineAsync({
        label,
        layout: 'auto',
        compute: { module, entryPoint, constants },
      });
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    const scopeError = await device.popErrorScope();
    if (pipeline && !scopeError && !failure) {
      return pipeline;
    }

    const info = await module.getCompilationInfo();
    const compilerMessages = info.messages
      .filter((m) => m.type === 'error')
      .map((m) => `${label}.wgsl:${m.lineNum - prefixLines}:${m.linePos}: ${m.message}`);
    const details = [...compilerMessages, scopeError?.message, failure].filter(Boolean);
    throw new GpuError(
      'pipeline',
      `Building the WGSL pipeline ${label} failed:\n${details.join('\n')}`,
    );
  }

  /** Destroys the device on purpose; no recovery follows. */
  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
    this.recoverHooks.clear();
    this.device.destroy();
  }

  private emit(event: DeviceEvent): void {
    for (const listener of this.listeners) {
      listener(event);
    }
  }

  private watch(device: GPUDevice): void {
    device.onuncapturederror = (event: GPUUncapturedErrorEvent) => {
      this.uncapturedErrors += 1;
      if (this.uncapturedErrors === 1) {
        console.error(`[gpu] uncaptured WebGPU error: ${event.error.message}`);
      }
      this.emit({
        type: 'uncaptured-error',
        message: event.error.message,
        count: this.uncapturedErrors,
      });
    };
    void device.lost.then((info) => {
      // A replaced device or our own dispose() is not a loss to recover from.
      if (this.disposed || device !== this.device) {
        return;
      }
      this.lostFlag = true;
      console.warn(`[gpu] device lost (${info.reason}): ${info.message}; recreating it`);
      this.emit({ type: 'lost', reason: info.reason, message: info.message });
      this.recovery = this.recover();
      this.recovery.catch(() => {
        // Reported through the recovery-failed event; ready() rethrows it to callers.
      });
    });
  }

  private async recover(): Promise<void> {
    try {
      // The old device's buffers are gone; their bytes no longer count.
      this.allocatedBytes = 0;
      // An adapter hands out one device only, so recovery starts from a fresh adapter.
      const adapter = await navigator.gpu.requestAdapter();
      if (!adapter) {
        throw new GpuError(
          'device-lost',
          'The GPU device was lost and no adapter is available any more.',
        );
      }
      const device = await adapter.requestDevice({ requiredLimits: this.limits });
      this.device = device;
      this.watch(device);
      for (const hook of this.recoverHooks) {
        await hook(device);
      }
      this.lostFlag = false;
      this.recovery = null;
      console.info('[gpu] device recovered');
      this.emit({ type: 'recovered' });
    } catch (error) {
      const wrapped = error instanceof Error ? error : new Error(String(error));
      console.error(`[gpu] device recovery failed: ${wrapped.message}`);
      this.emit({ type: 'recovery-failed', error: wrapped });
      throw wrapped;
    }
  }
}
