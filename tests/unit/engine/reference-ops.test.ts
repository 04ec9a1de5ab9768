import { describe, expect, it } from 'vitest';
import { attention, createAttentionScratch } from '../../../src/engine/reference/attention';
import { runBlock } from '../../../src/engine/reference/block';
import { computeQ, decodeLogits } from '../../../src/engine/reference/heads';
import { linear } from '../../../src/engine/reference/linear';
import {
  precisionFor,
  roundArrayToBfloat16,
  roundToBfloat16,
} from '../../../src/engine/reference/precision';
import { rmsNorm } from '../../../src/engine/reference/rms-norm';
import { applyRope, buildRopeTables } from '../../../src/engine/reference/rope';
import { createSwigluScratch, swiglu } from '../../../src/engine/reference/swiglu';
import { deriveDims } from '../../../src/model/config';
import { SMALL_CONFIG } from './random-model';

const float32 = precisionFor('float32');
const bfloat16 = precisionFor('bfloat16');

function expectClose(actual: ArrayLike<number>, expected: number[], digits = 5) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(actual[i], `element ${i}`).toBeCloseTo(expected[i], digits);
  }
}

describe('bfloat16 rounding', () => {
  it('rounds ties to even', () => {
    // The bfloat16 ulp at 1 is 2^-7, so 1 + 2^-8 is a tie between 1 and 1 + 2^-7.
    expect(roundToBfloat16(1 + 2 ** -8)).toBe(1);
    expect(roundToBfloat16(1 + 3 * 2 ** -8)).toBe(1 + 2 ** -6);
  });

  it('rounds to nearest off ties', () => {
    expect(roundToBfloat16(1 + 2 ** -8 + 2 ** -12)).toBe(1 + 2 ** -7);
    expect(roundToBfloat16(-(1 + 2 ** -9))).toBe(-1);
  });

  it('keeps NaN and overflows to Infinity', () => {
    expect(roundToBfloat16(Number.NaN)).toBeNaN();
    expect(roundToBfloat16(3.4e38)).toBe(Number.POSITIVE_INFINITY);
    expect(roundToBfloat16(Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('rounds an array range in place', () => {
    const values = Float32Array.of(1 + 2 ** -6 + 2 ** -10, 1 + 2 ** -10, 1 + 2 ** -10);
    roundArrayToBfloat16(values, 1, 2);
    expect(values[0]).toBe(Math.fround(1 + 2 ** -6 + 2 ** -10));
    expect(values[1]).toBe(1);
    expect(values[2]).toBe(Math.fround(1 + 2 ** -10));
  });

  it('casts Python float multipliers', () => {
    expect(bfloat16.scalar(Math.sqrt(128))).toBe(11.3125);
    expect(float32.scalar(Math.sqrt(128))).toBe(Math.fround(Math.sqrt(128)));
  });

  it('matches PyTorch 1.13 CPU SiLU on bfloat16', () => {
    // Outputs of torch.nn.functional.silu on bfloat16 tensors in PyTorch 1.13 (CPU). The first
    // four differ from silu computed in float32 and rounded once (3.921875, 0.5078125,
    // 1.2265625, -0.279296875).
    const cases: [number, number][] = [
      [4, 3.9375],
      [0.75, 0.51171875],
      [1.5, 1.234375],
      [-1.25, -0.27734375],
      [0.3125, 0.1806640625],
      [-2.5, -0.189453125],
      [0, 0],
    ];
    for (const [x, expected] of cases) {
      expect(bfloat16.silu(x), `silu(${x})`).toBe(expected);
    }
  });
});

describe('linear', () => {
  it('computes x · Wᵀ + b', () => {
    // x [2, 3], W [2, 3], b [2]
    const x = Float32Array.of(1, 2, 3, 4, 5, 6);
    const weight = {
      data: Float32Array.of(1, 0, -1, 0.5, 0.5, 0.5),
      outFeatures: 2,
      inFeatures: 3,
    };
    const y = new Float32Array(4);
    linear(x, 2, { ...weight, bias: Float32Array.of(10, 20) }, y, float32);
    expectClose(y, [8, 23, 8, 27.5]);
  });

  it('handles row counts beyond the four-row block', () => {
    const rows = 7;
    const x = Float32Array.from({ length: rows * 2 }, (_, i) => i);
    const weight = { data: Float32Array.of(1, 1), outFeatures: 1, inFeatures: 2 };
    const y = new Float32Array(rows);
    linear(x, rows, weight, y, float32);
    expectClose(y, [1, 5, 9, 13, 17, 21, 25]);
  });

  it('rounds the biased sum once in bfloat16', () => {
    // 1 + 2^-8 (a tie) plus a bias of 2^-9 is above the tie, so it rounds up. Rounding the
    // product first would land on 1 and then stay there.
    const x = Float32Array.of(1 + 2 ** -8);
    const weight = {
      data: Float32Array.of(1),
      outFeatures: 1,
      inFeatures: 1,
      bias: Float32Array.of(2 ** -9),
    };
    const y = new Float32Array(1);
    linear(x, 1, weight, y, bfloat16);
    expect(y[0]).toBe(1 + 2 ** -7);
  });
});

describe('rmsNorm', () => {
  it('divides by the root mean square', () => {
    // mean(3², 4²) = 12.5, sqrt(12.5) = 3.5355339
    const x = Float32Array.of(3, 4, 1, -1);
    rmsNorm(x, 2, 2, 0, float32);
    expectClose(x, [3 / Math.sqrt(12.5), 4 / Math.sqrt(12.5), 1, -1]);
  });

  it('adds eps inside the square root', () => {
    const x = Float32Array.of(0.001, 0.001);
    rmsNorm(x, 1, 2, 1e-5, float32);
    const expected = 0.001 / Math.sqrt(1e-6 + 1e-5);
    expectClose(x, [expected, expected], 5);
  });

  it('has no learned scale', () => {
    const x = Float32Array.of(2, 2, 2, 2);
    rmsNorm(x, 1, 4, 0, float32);
    expectClose(x, [1, 1, 1, 1]);
  });
});

describe('rope', () => {
  it('builds frequencies shared by both halves', () => {
    // head_dim 4: freq_0 = 1, freq_1 = 10000^(-2/4) = 0.01.
    const tables = buildRopeTables(2, 4, 10000);
    expectClose(tables.cos.subarray(0, 4), [1, 1, 1, 1]);
    expectClose(tables.cos.subarray(4, 8), [
      Math.cos(1),
      Math.cos(0.01),
      Math.cos(1),
      Math.cos(0.01),
    ]);
    expectClose(tables.sin.subarray(4, 8), [
      Math.sin(1),
      Math.sin(0.01),
      Math.sin(1),
      Math.sin(0.01),
    ]);
  });

  it('rotates with rotate_half', () => {
    // Position 1, x = [a | b] = [1, 2 | 3, 4]; rotate_half(x) = [-3, -4, 1, 2].
    const tables = buildRopeTables(2, 4, 10000);
    const x = Float32Array.of(9, 9, 9, 9, 1, 2, 3, 4); // [positions 2, head_dim 4], one head
    applyRope(x, 4, 0, 1, tables, float32);
    const c1 = Math.cos(1);
    const s1 = Math.sin(1);
    const c2 = Math.cos(0.01);
    const s2 = Math.sin(0.01);
    expectClose(x, [9, 9, 9, 9, c1 - 3 * s1, 2 * c2 - 4 * s2, 3 * c1 + s1, 4 * c2 + 2 * s2]);
  });

  it('rotates each head at its offset and stride', () => {
    // Two heads of head_dim 2 after an untouched column: row stride 5, offset 1.
    const tables = buildRopeTables(2, 2, 10000);
    const x = Float32Array.of(7, 1, 0, 0, 1, 7, 1, 0, 0, 1);
    applyRope(x, 5, 1, 2, tables, float32);
    const c = Math.cos(1);
    const s = Math.sin(1);
    expectClose(x, [7, 1, 0, 0, 1, 7, c, s, -s, c]);
  });

  it('rejects an odd head_dim', () => {
    expect(() => buildRopeTables(2, 3, 10000)).toThrow(/head_dim/);
  });
});

describe('attention', () => {
  // One head of head_dim 2 with q = k = v = x (W_qkv stacks three identities) and W_o = I.
  const identityQkv = Float32Array.of(1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1);
  const weights = {
    qkv: { data: identityQkv, outFeatures: 6, inFeatures: 2 },
    out: { data: Float32Array.of(1, 0, 0, 1), outFeatures: 2, inFeatures: 2 },
  };
  const shape = { positions: 2, num_heads: 1, head_dim: 2 };

  it('is a scaled non-causal softmax', () => {
    // scores = x·xᵀ / sqrt(2) = [[0.7071, 0], [0, 0.7071]]; p = sigmoid(0.7071) = 0.66976.
    const x = Float32Array.of(1, 0, 0, 1);
    const out = new Float32Array(4);
    attention(x, weights, shape, null, createAttentionScratch(shape), out, float32);
    const p = 1 / (1 + Math.exp(-Math.SQRT1_2));
    expectClose(out, [p, 1 - p, 1 - p, p]);
  });

  it('lets the first position attend to later ones', () => {
    // Position 0 has a zero query, so it averages both values: [0.5, 1.5]. A causal mask would give [0, 0].
    const x = Float32Array.of(0, 0, 1, 3);
    const out = new Float32Array(4);
    attention(x, weights, shape, null, createAttentionScratch(shape), out, float32);
    expect(out[0]).toBeCloseTo(0.5, 5);
    expect(out[1]).toBeCloseTo(1.5, 5);
  });

  it('splits heads as queries, then keys, then values', () => {
    // Two heads of head_dim 1; head 1's key is zero, so it averages its values.
    const twoHeads = { positions: 2, num_heads: 2, head_dim: 1 };
    // qkv rows: q0, q1, k0, k1, v0, v1 from x = [x0, x1].
    const qkv = Float32Array.of(1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1);
    const headWeights = {
      qkv: { data: qkv, outFeatures: 6, inFeatures: 2 },
      out: { data: Float32Array.of(1, 0, 0, 1), outFeatures: 2, inFeatures: 2 },
    };
    const x = Float32Array.of(1, 2, 3, 4);
    const out = new Float32Array(4);
    attention(x, headWeights, twoHeads, null, createAttentionScratch(twoHeads), out, float32);
    // Head 0 (q = k = v = x0): scores [[1, 3], [3, 9]]; head 1 averages v1 = [2, 4] to 3.
    const p0 = 1 / (1 + Math.exp(-(3 - 1)));
    const p1 = 1 / (1 + Math.exp(-(9 - 3)));
    expectClose(out, [p0 * 3 + (1 - p0) * 1, 3, p1 * 3 + (1 - p1) * 1, 3]);
  });
});

describe('swiglu', () => {
  it('computes (silu(g) * u) · W_downᵀ', () => {
    // hidden 1, inter 1: g = 2x, u = 3x, down = 0.5; x = 1 gives 0.5 * 3 * 2 / (1 + e^-2).
    const weights = {
      gateUp: { data: Float32Array.of(2, 3), outFeatures: 2, inFeatures: 1 },
      down: { data: Float32Array.of(0.5), outFeatures: 1, inFeatures: 1 },
    };
    const out = new Float32Array(2);
    swiglu(Float32Array.of(1, -1), 2, weights, createSwigluScratch(2, 1), out, float32);
    const silu = (v: number) => v / (1 + Math.exp(-v));
    expectClose(out, [0.5 * silu(2) * 3, 0.5 * silu(-2) * -3]);
  });

  it('takes the gate from the first inter outputs', () => {
    // inter 2, x = 2: g = [x, 0] and u = [3x, 5x] give silu(2) * 6 + silu(0) * 10. Taking the
    // gate from the last outputs instead would give silu(6) * 2 + silu(10) * 0.
    const weights = {
      gateUp: { data: Float32Array.of(1, 0, 3, 5), outFeatures: 4, inFeatures: 1 },
      down: { data: Float32Array.of(1, 1), outFeatures: 1, inFeatures: 2 },
    };
    const out = new Float32Array(1);
    swiglu(Float32Array.of(2), 1, weights, createSwigluScratch(1, 2), out, float32);
    expect(out[0]).toBeCloseTo((2 / (1 + Math.exp(-2))) * 6, 5);
  });
});

describe('inter width', () => {
  it('rounds 2/3 of the expansion up to 256', () => {
    const inter = (hidden_size: number, expansion: number) =>
      deriveDims({ ...SMALL_CONFIG, hidden_size, expansion, num_heads: 1 }).inter;
    expect(inter(512, 4)).toBe(1536);
    expect(inter(128, 4)).toBe(512);
    expect(inter(64, 4)).toBe(256);
    expect(inter(384, 4)).toBe(1024);
  });
});

describe('block', () => {
  it('normalizes after each residual add', () => {
    // Zero weights make attention and the MLP output zero, so the block is two RMSNorms.
    const shape = { positions: 2, num_heads: 1, head_dim: 2, inter: 1, rms_norm_eps: 0 };
    const zeros = (outFeatures: number, inFeatures: number) => ({
      data: new Float32Array(outFeatures * inFeatures),
      outFeatures,
      inFeatures,
    });
    const weights = {
      attention: { qkv: zeros(6, 2), out: zeros(2, 2) },
      mlp: { gateUp: zeros(2, 2), down: zeros(2, 1) },
    };
    const scratch = {
      attention: createAttentionScratch(shape),
      mlp: createSwigluScratch(2, 1),
      sublayerOut: new Float32Array(4),
    };
    const x = Float32Array.of(3, 4, -2, 0);
    runBlock(x, weights, shape, null, scratch, float32);
    expectClose(x, [3 / Math.sqrt(12.5), 4 / Math.sqrt(12.5), -Math.SQRT2, 0]);
  });
});

describe('heads', () => {
  it('decodes argmax, top probability and entropy', () => {
    // Cell 0: p = [0.25, 0.75]. Cell 1: a tie, where argmax takes the first index.
    const logits = Float32Array.of(Math.log(1), Math.log(3), 2, 2);
    const decoded = decodeLogits(logits, 2, 2);
    expect([...decoded.prediction]).toEqual([1, 0]);
    expectClose(decoded.confidence, [0.75, 0.5]);
    expectClose(decoded.entropy, [-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), Math.LN2]);
  });

  it('reads the Q head from position 0', () => {
    // z_H [2 positions, hidden 2]; only position 0 reaches the Q head.
    const z_H = Float32Array.of(1, 2, 100, 100);
    const qHead = {
      data: Float32Array.of(1, 0, 0, 1),
      outFeatures: 2,
      inFeatures: 2,
      bias: Float32Array.of(0.5, -0.5),
    };
    const q = computeQ(z_H, qHead, float32);
    expect(q.halt).toBeCloseTo(1.5, 6);
    expect(q.continue).toBeCloseTo(1.5, 6);
  });
});
