import type { GpuContext } from '../../gpu';
import shader from '../kernels/matmul-residual-norm.wgsl?raw';
import { buildOp, ceilDiv, type KernelOp, type NumericFlags, requirePositiveInteger } from './op';

/** Must match ROWS, TILE_K and MAX_COLUMNS in matmul-residual-norm.wgsl. */
const ROWS = 8;
const TILE_K = 32;
const MAX_COLUMNS = 4;

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
    Math.max(64, powerOfTwoAtLeast(shape.outputWidth / MAX_COLUMNS)),
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
    [ceilDiv(shape.rows, ROWS), 1, 1],
    (ROWS * TILE_K + workgroup) * 4,
  );
}
