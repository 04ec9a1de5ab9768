import probeShader from './kernels/probe.wgsl?raw';

export interface WebGpuProbe {
  available: boolean;
  /** Adapter vendor, architecture and description, when an adapter was found. */
  adapter?: string;
  /** Reason WebGPU is unavailable or the compute check failed. */
  reason?: string;
  /** True when the probe shader produced the expected values. */
  computeOk: boolean;
}

const PROBE_LENGTH = 100;
const WORKGROUP_SIZE = 64;

/** Requests an adapter and runs one tiny WGSL compute shader to prove that WebGPU works. */
export async function probeWebGpu(): Promise<WebGpuProbe> {
  if (typeof navigator === 'undefined' || !('gpu' in navigator)) {
    return {
      available: false,
      computeOk: false,
      reason: 'navigator.gpu is missing in this browser',
    };
  }
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) {
    return { available: false, computeOk: false, reason: 'requestAdapter() returned no adapter' };
  }
  const info = adapter.info;
  const adapterName = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
  const device = await adapter.requestDevice();
  try {
    const input = Float32Array.from({ length: PROBE_LENGTH }, (_, i) => i * 0.5);
    const buffer = device.createBuffer({
      size: input.byteLength,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(buffer, 0, input);
    const readback = device.createBuffer({
      size: input.byteLength,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const pipeline = device.createComputePipeline({
      layout: 'auto',
      compute: {
        module: device.createShaderModule({ code: probeShader }),
        entryPoint: 'main',
        constants: { WORKGROUP_SIZE },
      },
    });
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer } }],
    });

    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(Math.ceil(PROBE_LENGTH / WORKGROUP_SIZE));
    pass.end();
    encoder.copyBufferToBuffer(buffer, 0, readback, 0, input.byteLength);
    device.queue.submit([encoder.finish()]);

    await readback.mapAsync(GPUMapMode.READ);
    const output = new Float32Array(readback.getMappedRange().slice(0));
    readback.unmap();
    const computeOk = output.every((value, i) => value === input[i] * 2 + i);
    return {
      available: true,
      adapter: adapterName,
      computeOk,
      reason: computeOk ? undefined : 'the probe shader returned wrong values',
    };
  } finally {
    device.destroy();
  }
}
