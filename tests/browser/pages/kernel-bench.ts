// Per-kernel timing page for scripts/bench.ts: builds each kernel of one transformer block at a
// given shape on random data, dispatches it `repeats` times in one submission and reports the
// wall time per dispatch. This shows where the time of a segment goes; the benchmark's segment
// figures add the injections, state updates, heads and readbacks.

import { GpuContext } from '../../../src/engine/gpu';
import { createTiledAttentionOps } from '../../../src/engine/webgpu/ops/attention';
import { createMatmulPairsOp } from '../../../src/engine/webgpu/ops/matmul-pairs';
import { createResidualNormOp } from '../../../src/engine/webgpu/ops/matmul-residual-norm';
import {
  bindOp,
  dispatchOp,
  type KernelOp,
  type NumericFlags,
} from '../../../src/engine/webgpu/ops/op';
import { packBfloat16Pairs } from '../../../src/model/convert';
import { randomArray, seededRandom } from './harness';

export interface KernelBenchRequest {
  positions: number;
  hidden_size: number;
  num_heads: number;
  inter: number;
  numeric: 'float32' | 'bfloat16';
  /** Dispatches per timed submission. */
  repeats: number;
  /** Timed submissions per kernel. */
  samples: number;
}

export interface KernelTiming {
  kernel: string;
  /** Milliseconds per dispatch, one entry per timed submission. */
  ms: number[];
}

async function timeOp(
  gpu: GpuContext,
  op: KernelOp,
  buffers: GPUBuffer[],
  request: KernelBenchRequest,
): Promise<number[]> {
  const bindGroup = bindOp(gpu, op, buffers);
  const submit = async (count: number): Promise<number> => {
    const start = performance.now();
    const encoder = gpu.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    for (let i = 0; i < count; i++) {
      dispatchOp(pass, op, bindGroup);
    }
    pass.end();
    gpu.device.queue.submit([encoder.finish()]);
    await gpu.device.queue.onSubmittedWorkDone();
    return performance.now() - start;
  };

  // The first submission compiles the shader.
  await submit(1);
  const ms: number[] = [];
  for (let s = 0; s < request.samples; s++) {
    ms.push((await submit(request.repeats)) / request.repeats);
  }
  return ms;
}

async function runKernels(request: KernelBenchRequest): Promise<KernelTiming[]> {
  const gpu = await GpuContext.create({ maxComputeWorkgroupStorageSize: 16384 });
  const random = seededRandom(5);
  const { positions: rows, hidden_size, num_heads, inter } = request;
  const head_dim = hidden_size / num_heads;
  const bf16 = request.numeric === 'bfloat16';
  const flags: NumericFlags = { activationsBf16: bf16, weightsBf16: bf16 };
  const storage = (label: string, values: Float32Array | Uint32Array): GPUBuffer =>
    gpu.createStorage(label, values, GPUBufferUsage.COPY_SRC);
  const weights = (label: string, count: number): GPUBuffer => {
    const values = randomArray(random, count, 1 / Math.sqrt(hidden_size));
    return storage(label, bf16 ? packBfloat16Pairs(values) : values);
  };

  const x = storage('x', randomArray(random, rows * Math.max(hidden_size, inter), 1));
  const h = storage('h', randomArray(random, rows * hidden_size, 1));
  const qkv = storage('qkv', randomArray(random, rows * 3 * hidden_size, 1));
  const attended = storage('attended', new Float32Array(rows * hidden_size));
  const mlp = storage('mlp', new Float32Array(rows * inter));
  const rope = storage('rope', randomArray(random, rows * head_dim, 1));
  const qkvWeight = weights('qkv_proj', 3 * hidden_size * hidden_size);
  const oWeight = weights('o_proj', hidden_size * hidden_size);
  const gateUpWeight = weights('gate_up_proj', 2 * inter * hidden_size);
  const downWeight = weights('down_proj', hidden_size * inter);
  const attention = await createTiledAttentionOps(
    gpu,
    { positions: rows, hidden_size, num_heads },
    flags,
  );
  const probs = gpu.createBuffer('probs', attention.probsBytes, GPUBufferUsage.STORAGE);

  const pairs = { rows, inputWidth: hidden_size, hidden_size, head_dim };
  const cases: [string, KernelOp, GPUBuffer[]][] = [
    [
      'qkv_proj + RoPE',
      await createMatmulPairsOp(
        gpu,
        { ...pairs, epilogue: 'qkv', pairs: (3 * hidden_size) / 2, rope: true },
        flags,
      ),
      [x, qkvWeight, qkv, rope],
    ],
    ['attention scores + softmax', attention.scores, [qkv, probs]],
    ['attention values', attention.values, [probs, qkv, attended]],
    [
      'o_proj + residual + RMSNorm',
      await createResidualNormOp(
        gpu,
        { rows, inputWidth: hidden_size, outputWidth: hidden_size, rms_norm_eps: 1e-5 },
        flags,
      ),
      [attended, oWeight, h],
    ],
    [
      'gate_up_proj + SwiGLU',
      await createMatmulPairsOp(
        gpu,
        { ...pairs, epilogue: 'swiglu', pairs: inter, rope: false },
        flags,
      ),
      [x, gateUpWeight, mlp, rope],
    ],
    [
      'down_proj + residual + RMSNorm',
      await createResidualNormOp(
        gpu,
        { rows, inputWidth: inter, outputWidth: hidden_size, rms_norm_eps: 1e-5 },
        flags,
      ),
      [mlp, downWeight, h],
    ],
  ];

  const timings: KernelTiming[] = [];
  for (const [kernel, op, buffers] of cases) {
    timings.push({ kernel, ms: await timeOp(gpu, op, buffers, request) });
  }
  gpu.dispose();
  return timings;
}

const kernelBench = { runKernels };

export type KernelBench = typeof kernelBench;

declare global {
  interface Window {
    kernelBench: KernelBench;
  }
}

window.kernelBench = kernelBench;
const status = document.getElementById('status');
if (status) {
  status.textContent = 'ready';
}
