import type { GpuContext } from '../../gpu';
import shader from '../kernels/matmul-residual-norm.wgsl?raw';
import {
  buildOp,
  ceilDiv,
  type KernelOp,
  type NumericFlags,
  requirePositiveInteger,
  tileAligned,
} from './op';

/** Must match TILE_ROWS and TILE_COLUMNS in tile.wgsl: rows per workgroup, columns per invocation. */
const TILE_ROWS = 4;
const MAX_COLUMNS = 8;

export interface ResidualNormShape {
  rows: number;
  /** Columns of x and W: hidden_size for o_proj, inter for down_proj. */
  inputWidth: number;
  /** hidden_size. */
  outputWidth: number;
  rms_norm_eps: number;
}

/** Smallest power of two >= n, so the workgroup's tree reduction halves evenly. */
function powerOfTwoAtLeast(n: number): number {
  return 2 ** Math.ceil(Math.log2(n));
}

/** Builds h = rms_norm(h + x · Wᵀ). Bindings: x [rows, inputWidth], W [outputWidth, inputWidth], h. */
export async function createResidualNormOp(
  gpu: GpuContext,
  shape: ResidualNormShape,
  flags: NumericFlags,
): Promise<KernelOp> {
  const label = 'matmul-residual-norm';
  requirePositiveInteger(label, 'rows', shape.rows);
  requirePositiveInteger(label, 'inputWidth', shape.inputWidth);
  requirePositiveInteger(label, 'outputWidth', shape.outputWidth);
  if (flags.weightsBf16 && shape.inputWidth % 2 !== 0) {
    throw new Error(
      `invalid inputWidth for packed bfloat16 weights: ${shape.inputWidth}; expected an even width`,
    );
  }
  const maxInvocations = gpu.deviceLimits.maxComputeInvocationsPerWorkgroup;
  const workgroup = Math.min(
    256,
    maxInvocations,
    Math.max(32, powerOfTwoAtLeast(shape.outputWidth / MAX_COLUMNS)),
  );
  if (shape.outputWidth > workgroup * MAX_COLUMNS) {
    throw new Error(
      `hidden_size ${shape.outputWidth} is too wide for the residual RMSNorm kernel: one ` +
        `workgroup of ${workgroup} invocations covers at most ${workgroup * MAX_COLUMNS} columns.`,
    );
  }
  return buildOp(
    gpu,
    label,
    shader,
    {
      M: shape.rows,
      K: shape.inputWidth,
      N: shape.outputWidth,
      EPS: shape.rms_norm_eps,
      WORKGROUP: workgroup,
    },
    flags,
    [ceilDiv(shape.rows, TILE_ROWS), 1, 1],
    // One vec4 of row sums of squares per invocation.
    workgroup * 16,
    {
      tile: true,
      entryPoint: tileAligned(shape.inputWidth, flags) ? 'main' : 'main_unaligned',
    },
  );
}
