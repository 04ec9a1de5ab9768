// The anatomy every WGSL kernel wrapper shares: validate the shape, build the pipeline once
// with the sizes as `override` constants, then bind and dispatch with ceil-divided workgroup
// counts (each shader also guards its own bounds).

import type { GpuContext } from '../../gpu';
import bf16Wgsl from '../kernels/bf16.wgsl?raw';
import tileWgsl from '../kernels/tile.wgsl?raw';

/** Numeric options of a kernel: bfloat16 rounding of results, and the weight storage format. */
export interface NumericFlags {
  /** Round results to bfloat16 where the authors' bfloat16 forward pass does. */
  activationsBf16: boolean;
  /** Weights are packed two bfloat16 values per u32 instead of f32 words. */
  weightsBf16: boolean;
}

/** A built kernel: its pipeline and the workgroup grid one dispatch covers. */
export interface KernelOp {
  readonly label: string;
  readonly pipeline: GPUComputePipeline;
  readonly workgroups: readonly [number, number, number];
  /** Bytes of workgroup memory the shader declares, for the limit check. */
  readonly workgroupStorageBytes: number;
}

export function ceilDiv(value: number, divisor: number): number {
  return Math.ceil(value / divisor);
}

/** Throws when a size is not a positive integer, naming the kernel and the size. */
export function requirePositiveInteger(kernel: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(
      `invalid ${name} for the ${kernel} kernel: ${value}; expected a positive integer`,
    );
  }
}

/** Build options of a kernel: its entry point, and whether it uses the shared register tile. */
export interface BuildOptions {
  /** Prepends kernels/tile.wgsl after the bfloat16 helpers. */
  tile?: boolean;
  entryPoint?: string;
}

/**
 * Whether the tiled products can read rows of `width` values with vec4 loads: rows must start
 * on a 16-byte boundary of x and of the weights (8 values when weights pack two per u32).
 * Must match tile_aligned() in tile.wgsl.
 */
export function tileAligned(width: number, flags: NumericFlags): boolean {
  return width % (flags.weightsBf16 ? 8 : 4) === 0;
}

/** Builds the pipeline for `wgsl` with the shared bfloat16 helpers prepended. */
export async function buildOp(
  gpu: GpuContext,
  label: string,
  wgsl: string,
  constants: Record<string, number>,
  flags: NumericFlags,
  workgroups: [number, number, number],
  workgroupStorageBytes: number,
  options: BuildOptions = {},
): Promise<KernelOp> {
  const limits = gpu.deviceLimits;
  const largest = Math.max(...workgroups);
  if (largest > limits.maxComputeWorkgroupsPerDimension) {
    throw new Error(
      `The ${label} kernel needs ${largest} workgroups in one dimension, but the device allows ` +
        `${limits.maxComputeWorkgroupsPerDimension} (maxComputeWorkgroupsPerDimension).`,
    );
  }
  if (workgroupStorageBytes > limits.maxComputeWorkgroupStorageSize) {
    throw new Error(
      `The ${label} kernel needs ${workgroupStorageBytes} bytes of workgroup memory, but the ` +
        `device allows ${limits.maxComputeWorkgroupStorageSize} (maxComputeWorkgroupStorageSize).`,
    );
  }
  const prefix = options.tile ? `${bf16Wgsl}\n${tileWgsl}\n` : `${bf16Wgsl}\n`;
  const pipeline = await gpu.createPipeline(
    label,
    prefix + wgsl,
    {
      ...constants,
      BF16: flags.activationsBf16 ? 1 : 0,
      WEIGHT_BF16: flags.weightsBf16 ? 1 : 0,
    },
    prefix.split('\n').length - 1,
    options.entryPoint,
  );
  return { label, pipeline, workgroups, workgroupStorageBytes };
}

/** Binds `buffers` to bindings 0, 1, 2, … of group 0. */
export function bindOp(gpu: GpuContext, op: KernelOp, buffers: GPUBuffer[]): GPUBindGroup {
  return gpu.device.createBindGroup({
    label: op.label,
    layout: op.pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
}

/** A kernel with the bind group of one use, ready to record. */
export interface BoundOp {
  op: KernelOp;
  bindGroup: GPUBindGroup;
}

export function dispatchOp(
  pass: GPUComputePassEncoder,
  op: KernelOp,
  bindGroup: GPUBindGroup,
): void {
  pass.setPipeline(op.pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(...op.workgroups);
}
